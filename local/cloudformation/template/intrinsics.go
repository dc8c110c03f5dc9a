package template

import (
	"fmt"
	"strconv"
	"strings"
)

// Pseudo parameter names.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
const (
	PseudoAccountID        = "AWS::AccountId"
	PseudoRegion           = "AWS::Region"
	PseudoStackName        = "AWS::StackName"
	PseudoStackID          = "AWS::StackId"
	PseudoPartition        = "AWS::Partition"
	PseudoURLSuffix        = "AWS::URLSuffix"
	PseudoNoValue          = "AWS::NoValue"
	PseudoNotificationARNs = "AWS::NotificationARNs"
)

var pseudoParams = map[string]bool{
	PseudoAccountID: true, PseudoRegion: true, PseudoStackName: true, PseudoStackID: true,
	PseudoPartition: true, PseudoURLSuffix: true, PseudoNoValue: true, PseudoNotificationARNs: true,
}

func (e *Evaluator) pseudo(name string) (any, bool) {
	switch name {
	case PseudoAccountID:
		return e.env.AccountID, true
	case PseudoRegion:
		return e.env.Region, true
	case PseudoStackName:
		return e.env.StackName, true
	case PseudoStackID:
		return e.env.StackID, true
	case PseudoPartition:
		return e.env.Partition, true
	case PseudoURLSuffix:
		return e.env.URLSuffix, true
	case PseudoNoValue:
		return noValue{}, true
	case PseudoNotificationARNs:
		return toAnyList(e.env.NotificationARNs), true
	}
	return nil, false
}

// call evaluates intrinsic fn with its (unevaluated) argument.
func (e *Evaluator) call(fn string, arg any, path string, inCondition bool) (any, error) {
	fail := func(format string, args ...any) (any, error) {
		return nil, fmt.Errorf("Template error: %s: "+format, append([]any{path}, args...)...)
	}
	// args evaluates a list argument of exactly n elements (n < 0: any).
	args := func(n int) ([]any, error) {
		list, ok := arg.([]any)
		if !ok || n >= 0 && len(list) != n {
			return nil, fmt.Errorf("Template error: %s: %s takes a list of %d values", path, fn, n)
		}
		out := make([]any, len(list))
		for i, a := range list {
			v, err := e.resolve(a, path+"["+strconv.Itoa(i)+"]", inCondition)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return fail("Ref takes the name of a parameter, resource or pseudo parameter")
		}
		return e.ref(name, path, inCondition)

	case "Condition":
		name, ok := arg.(string)
		if !ok {
			return fail("Condition takes the name of a condition")
		}
		return e.condition(name, nil)

	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		return e.conditionValue(map[string]any{fn: arg}, path, nil)

	case "Fn::If":
		list, ok := arg.([]any)
		if !ok || len(list) != 3 {
			return fail("Fn::If takes [condition name, value if true, value if false]")
		}
		name, ok := list[0].(string)
		if !ok {
			return fail("Fn::If's first element must name a condition")
		}
		b, err := e.condition(name, nil)
		if err != nil {
			return nil, err
		}
		// Only the chosen branch is evaluated: the other may refer to
		// resources that do not exist under this condition.
		if b {
			return e.resolve(list[1], path+"[1]", inCondition)
		}
		return e.resolve(list[2], path+"[2]", inCondition)

	case "Fn::GetAtt":
		res, attr, err := getAttArgs(arg)
		if err != nil {
			return fail("%v", err)
		}
		if a, isIntrinsic := attr.(map[string]any); isIntrinsic {
			v, err := e.resolve(a, path+"[1]", inCondition)
			if err != nil {
				return nil, err
			}
			attr = v
		}
		name, ok := text(attr)
		if !ok {
			return fail("Fn::GetAtt's attribute name must be a string")
		}
		return e.getAtt(res, name, path, inCondition)

	case "Fn::Join":
		a, err := args(2)
		if err != nil {
			return nil, err
		}
		delim, ok := a[0].(string)
		if !ok {
			return fail("Fn::Join's delimiter must be a string")
		}
		list, ok := stringList(a[1])
		if !ok {
			return fail("Fn::Join's second element must be a list of strings, got %s", kind(a[1]))
		}
		return strings.Join(list, delim), nil

	case "Fn::Sub":
		return e.sub(arg, path, inCondition)

	case "Fn::Select":
		a, err := args(2)
		if err != nil {
			return nil, err
		}
		is, ok := text(a[0])
		idx, convErr := strconv.Atoi(is)
		if !ok || convErr != nil {
			return fail("Fn::Select's index must be an integer, got %v", scalarText(a[0]))
		}
		var list []any
		switch l := a[1].(type) {
		case []any:
			list = l
		case []string:
			list = toAnyList(l)
		default:
			return fail("Fn::Select's second element must be a list, got %s", kind(a[1]))
		}
		if idx < 0 || idx >= len(list) {
			return fail("Fn::Select cannot select nonexistent value at index %d", idx)
		}
		return list[idx], nil

	case "Fn::Split":
		a, err := args(2)
		if err != nil {
			return nil, err
		}
		delim, ok1 := a[0].(string)
		s, ok2 := text(a[1])
		if !ok1 || !ok2 || delim == "" {
			return fail("Fn::Split takes [non-empty delimiter, string]")
		}
		return toAnyList(strings.Split(s, delim)), nil

	case "Fn::GetAZs":
		v, err := e.resolve(arg, path, inCondition)
		if err != nil {
			return nil, err
		}
		region, ok := text(v)
		if !ok {
			return fail("Fn::GetAZs takes a region name or an empty string")
		}
		if region == "" {
			region = e.env.Region
		}
		return []any{region + "a", region + "b", region + "c"}, nil

	case "Fn::Base64":
		v, err := e.resolve(arg, path, inCondition)
		if err != nil {
			return nil, err
		}
		s, ok := text(v)
		if !ok {
			return fail("Fn::Base64 takes a string, got %s", kind(v))
		}
		return b64(s), nil

	case "Fn::FindInMap":
		a, err := args(3)
		if err != nil {
			return nil, err
		}
		keys := make([]string, 3)
		for i, k := range a {
			s, ok := text(k)
			if !ok {
				return fail("Fn::FindInMap's keys must be strings")
			}
			keys[i] = s
		}
		if v, ok := e.t.Mappings[keys[0]][keys[1]][keys[2]]; ok {
			return v, nil
		}
		return fail("Unable to get mapping for %s::%s::%s", keys[0], keys[1], keys[2])

	case "Fn::ImportValue":
		v, err := e.resolve(arg, path, inCondition)
		if err != nil {
			return nil, err
		}
		name, ok := text(v)
		if !ok {
			return fail("Fn::ImportValue takes an export name")
		}
		if e.env.Imports != nil {
			if val, found := e.env.Imports(name); found {
				return val, nil
			}
		}
		return nil, &MissingExportError{Name: name}

	case "Fn::Cidr":
		a, err := args(3)
		if err != nil {
			return nil, err
		}
		block, ok := text(a[0])
		cs, ok1 := text(a[1])
		bs, ok2 := text(a[2])
		count, err1 := strconv.Atoi(cs)
		bits, err2 := strconv.Atoi(bs)
		if !ok || !ok1 || !ok2 || err1 != nil || err2 != nil {
			return fail("Fn::Cidr takes [ipBlock, count, cidrBits]")
		}
		subnets, err := cidr(block, count, bits)
		if err != nil {
			return fail("Fn::Cidr: %v", err)
		}
		return toAnyList(subnets), nil
	}
	return fail("Encountered unsupported function: %s", fn)
}

// MissingExportError is Fn::ImportValue naming an export that no stack
// exports. Its message is AWS's.
type MissingExportError struct{ Name string }

func (e *MissingExportError) Error() string { return "No export named " + e.Name + " found." }

// getAttArgs splits Fn::GetAtt's argument, which is [resource, attribute]
// or (in the JSON short form some tools write) "resource.attribute".
func getAttArgs(arg any) (string, any, error) {
	switch a := arg.(type) {
	case string:
		res, attr, ok := strings.Cut(a, ".")
		if ok {
			return res, attr, nil
		}
	case []any:
		if len(a) == 2 {
			if res, ok := a[0].(string); ok {
				return res, a[1], nil
			}
		}
	}
	return "", nil, fmt.Errorf("Fn::GetAtt takes [resource, attribute]")
}

func (e *Evaluator) ref(name, path string, inCondition bool) (any, error) {
	if v, ok := e.pseudo(name); ok {
		return v, nil
	}
	if p, ok := e.t.Parameters[name]; ok {
		v, ok := e.env.Parameters[name]
		if !ok {
			return nil, fmt.Errorf("Template error: %s: parameter %s has no value", path, name)
		}
		if p.IsList() {
			return toAnyList(SplitList(v)), nil
		}
		return v, nil
	}
	if _, ok := e.t.Resources[name]; ok && !inCondition {
		if !e.Active(name) {
			return nil, fmt.Errorf("Template error: %s: Ref to resource %s, which its Condition %s leaves out of this stack; guard the reference with Fn::If on the same condition", path, name, e.t.Resources[name].Condition)
		}
		if e.env.Resources == nil {
			return nil, fmt.Errorf("Template error: %s: Ref to resource %s before it exists", path, name)
		}
		return e.env.Resources.Ref(name)
	}
	if inCondition {
		return nil, fmt.Errorf("Template format error: Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", name)
	}
	return nil, fmt.Errorf("Template format error: Unresolved resource dependencies [%s] in the Resources block of the template", name)
}

func (e *Evaluator) getAtt(res, attr, path string, inCondition bool) (any, error) {
	r, ok := e.t.Resources[res]
	if !ok || inCondition {
		return nil, fmt.Errorf("Template error: instance of Fn::GetAtt references undefined resource %s", res)
	}
	if !e.Active(res) {
		return nil, fmt.Errorf("Template error: %s: Fn::GetAtt of resource %s, which its Condition %s leaves out of this stack; guard the reference with Fn::If on the same condition", path, res, r.Condition)
	}
	if e.env.Resources == nil {
		return nil, fmt.Errorf("Template error: %s: Fn::GetAtt of resource %s before it exists", path, res)
	}
	return e.env.Resources.GetAtt(res, attr)
}
