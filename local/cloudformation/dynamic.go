package cloudformation

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/core"
)

// ParameterStore is what CloudFormation needs of Systems Manager to resolve
// {{resolve:ssm:NAME[:VERSION]}}: a parameter's value at a version (0 for
// the latest). local/ssm implements it.
type ParameterStore interface {
	Parameter(name string, version int64) (value string, ok bool)
}

// dynamicRef matches a dynamic reference: {{resolve:SERVICE:KEY}}.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
var dynamicRef = regexp.MustCompile(`\{\{resolve:([a-z-]+):([^{}]*)\}\}`)

// ssmRef is the reference key of an ssm dynamic reference: a parameter
// name and an optional version.
var ssmRef = regexp.MustCompile(`^([a-zA-Z0-9_.\-/]+)(?::(\d+))?$`)

// resolveDynamic replaces every dynamic reference in the strings of a
// resource's properties: ssm from the Parameter Store, the others refused
// with the resource and property named. A parameter that does not exist is
// AWS's ValidationError "Parameters: [ssm:NAME] cannot be found.", raised
// before the stack operation starts. Strings still holding a value known
// only once a resource is made are left for the operation to resolve.
func resolveDynamic(ps ParameterStore, logicalID string, props map[string]any) (map[string]any, error) {
	var missing []string
	var refuse error
	var walk func(v any, path string) any
	walk = func(v any, path string) any {
		switch x := v.(type) {
		case string:
			if !strings.Contains(x, "{{resolve:") || strings.Contains(x, unknownMarker) {
				return x
			}
			return dynamicRef.ReplaceAllStringFunc(x, func(ref string) string {
				m := dynamicRef.FindStringSubmatch(ref)
				service, key := m[1], m[2]
				switch service {
				case "ssm":
					k := ssmRef.FindStringSubmatch(key)
					if k == nil {
						refuse = dynamicErr(logicalID, path, ref, "the reference key must be a parameter name, optionally followed by :VERSION")
						return ref
					}
					var ver int64
					if k[2] != "" {
						ver, _ = strconv.ParseInt(k[2], 10, 64)
					}
					if ps == nil {
						refuse = dynamicErr(logicalID, path, ref, "the local cloud runs no Systems Manager Parameter Store")
						return ref
					}
					val, ok := ps.Parameter(k[1], ver)
					if !ok {
						missing = append(missing, "ssm:"+key)
						return ref
					}
					return val
				case "ssm-secure":
					refuse = dynamicErr(logicalID, path, ref, "SecureString parameters are not supported by the local cloud (it runs no KMS); use a String parameter and {{resolve:ssm:...}} for local runs")
				case "secretsmanager":
					refuse = dynamicErr(logicalID, path, ref, "the local cloud has no Secrets Manager; pass the value as a NoEcho template parameter or use {{resolve:ssm:...}} for local runs")
				default:
					refuse = dynamicErr(logicalID, path, ref, "the service "+service+" is not one of ssm, ssm-secure and secretsmanager")
				}
				return ref
			})
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = walk(e, path+"."+k)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = walk(e, fmt.Sprintf("%s[%d]", path, i))
			}
			return out
		}
		return v
	}
	out := make(map[string]any, len(props))
	for _, k := range sortedKeys(props) {
		out[k] = walk(props[k], k)
	}
	if refuse != nil {
		return nil, refuse
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, validationError("Parameters: [%s] cannot be found.", strings.Join(missing, ", "))
	}
	return out, nil
}

func dynamicErr(logicalID, path, ref, why string) error {
	return core.Errorf(http.StatusBadRequest, "ValidationError", "Resources.%s.Properties.%s: dynamic reference %s: %s", logicalID, path, ref, why)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ssmParameters returns the values the template's parameters stand for:
// a parameter of type AWS::SSM::Parameter::Value<T> is given a Systems
// Manager parameter's name and stands for its current value, which is read
// when the operation is planned and when it runs. The names themselves stay
// the stack's parameter values, as DescribeStacks shows them on AWS. A name
// the Parameter Store does not have is AWS's ValidationError.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types
func ssmParameters(ps ParameterStore, tpl *template.Template, params map[string]string) (map[string]string, error) {
	var out map[string]string
	var missing []string
	for _, name := range tpl.SortedParameters() {
		if tpl.Parameters[name].SSMValueType() == "" {
			continue
		}
		if out == nil {
			out = maps.Clone(params)
		}
		var v string
		ok := false
		if ps != nil {
			v, ok = ps.Parameter(params[name], 0)
		}
		if !ok {
			missing = append(missing, params[name])
			continue
		}
		out[name] = v
	}
	if len(missing) > 0 {
		return nil, validationError("Unable to fetch parameters [%s] from parameter store for this account.", strings.Join(missing, ","))
	}
	if out == nil {
		return params, nil
	}
	return out, nil
}
