//go:build !lambdabinary

package cfn

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Size limits from the CloudFormation quotas page.
const (
	MaxTemplateBodyBytes = 51200   // larger templates must be uploaded to S3
	MaxTemplateURLBytes  = 1 << 20 // the limit for a template in S3
	maxResources         = 500
)

var pseudoParameters = []string{
	"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
	"AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
}

var subVariable = regexp.MustCompile(`\$\{([^!][^}]*)\}`)

// ValidateTemplate checks a rendered template before anything is deployed:
// every Ref, Fn::GetAtt, Fn::Sub variable and DependsOn names a resource,
// parameter or pseudo parameter that exists; resource and size limits hold.
// Each problem names the resource (or output) at fault.
func ValidateTemplate(rendered []byte) error {
	doc, err := Decode(rendered)
	if err != nil {
		return err
	}
	var errs []error
	if len(rendered) > MaxTemplateURLBytes {
		errs = append(errs, fmt.Errorf("template is %d bytes, over CloudFormation's 1 MB limit: split the service", len(rendered)))
	}
	resources, _ := doc["Resources"].(map[string]any)
	params, _ := doc["Parameters"].(map[string]any)
	if len(resources) == 0 {
		errs = append(errs, errors.New("template has no Resources: declare at least one function or decorator"))
	}
	if len(resources) > maxResources {
		errs = append(errs, fmt.Errorf("template has %d resources, over CloudFormation's %d", len(resources), maxResources))
	}
	known := func(name string) bool {
		_, r := resources[name]
		_, p := params[name]
		return r || p || slices.Contains(pseudoParameters, name)
	}
	check := func(where string, node any) {
		WalkIntrinsics(node, func(fn string, arg any) {
			switch fn {
			case "Ref":
				if s, ok := arg.(string); ok && !known(s) {
					errs = append(errs, fmt.Errorf("%s: Ref to %q, which is not a resource or parameter of the template", where, s))
				}
			case "Fn::GetAtt":
				var target string
				switch a := arg.(type) {
				case []any:
					if len(a) == 2 {
						target, _ = a[0].(string)
					}
				case string:
					target, _, _ = strings.Cut(a, ".")
				}
				if _, ok := resources[target]; !ok {
					errs = append(errs, fmt.Errorf("%s: Fn::GetAtt on %q, which is not a resource of the template", where, target))
				}
			case "Fn::Sub":
				text, vars := "", map[string]any{}
				switch a := arg.(type) {
				case string:
					text = a
				case []any:
					if len(a) == 2 {
						text, _ = a[0].(string)
						vars, _ = a[1].(map[string]any)
					}
				}
				for _, m := range subVariable.FindAllStringSubmatch(text, -1) {
					name, _, _ := strings.Cut(m[1], ".")
					if _, local := vars[name]; !local && !known(name) {
						errs = append(errs, fmt.Errorf("%s: Fn::Sub refers to ${%s}, which is not a resource or parameter of the template", where, m[1]))
					}
				}
			}
		})
	}
	for _, id := range sortedMapKeys(resources) {
		r, _ := resources[id].(map[string]any)
		if _, ok := r["Type"].(string); !ok {
			errs = append(errs, fmt.Errorf("resource %s: no Type", id))
		}
		where := fmt.Sprintf("resource %s (%v)", id, r["Type"])
		check(where, r["Properties"])
		for _, dep := range DependsOn(r["DependsOn"]) {
			if _, ok := resources[dep]; !ok {
				errs = append(errs, fmt.Errorf("%s: DependsOn %q, which is not a resource of the template", where, dep))
			}
		}
	}
	outputs, _ := doc["Outputs"].(map[string]any)
	for _, id := range sortedMapKeys(outputs) {
		check("output "+id, outputs[id])
	}
	return errors.Join(errs...)
}
