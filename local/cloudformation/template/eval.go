package template

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Env is what a template cannot know by itself: the stack it is deployed
// as, its parameter values, the resources created so far and the exports of
// other stacks.
type Env struct {
	// Parameters are the values returned by [Template.ResolveParameters].
	Parameters map[string]string
	// Pseudo parameters.
	// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
	AccountID, Region, StackName, StackID string
	// Partition and URLSuffix default to "aws" and "amazonaws.com".
	Partition, URLSuffix string
	NotificationARNs     []string
	// Resources answers Ref and Fn::GetAtt for resources; nil makes any
	// reference to a resource an error.
	Resources Resources
	// Imports answers Fn::ImportValue; nil means no exports exist.
	Imports func(name string) (string, bool)
}

// Resources answers references to the stack's resources.
type Resources interface {
	// Ref returns what {"Ref": logicalID} yields.
	Ref(logicalID string) (string, error)
	// GetAtt returns attribute of logicalID.
	GetAtt(logicalID, attribute string) (any, error)
}

// Evaluator resolves a template's values in one [Env]. Conditions are
// evaluated once, when it is built.
type Evaluator struct {
	t     *Template
	env   Env
	conds map[string]bool
}

// noValue is what {"Ref": "AWS::NoValue"} yields: the property holding it
// is removed from its object or list.
type noValue struct{}

// Evaluator evaluates the template's conditions in env and returns an
// evaluator for its resources and outputs.
func (t *Template) Evaluator(env Env) (*Evaluator, error) {
	if env.Partition == "" {
		env.Partition = "aws"
	}
	if env.URLSuffix == "" {
		env.URLSuffix = "amazonaws.com"
	}
	e := &Evaluator{t: t, env: env, conds: map[string]bool{}}
	var errs []error
	names := make([]string, 0, len(t.Conditions))
	for n := range t.Conditions {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := e.condition(n, nil); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return e, nil
}

// Condition returns the value of a named condition.
func (e *Evaluator) Condition(name string) bool { return e.conds[name] }

// Active reports whether the resource logicalID exists in this deployment:
// it is declared and has no Condition or a true one.
func (e *Evaluator) Active(logicalID string) bool {
	r, ok := e.t.Resources[logicalID]
	return ok && (r.Condition == "" || e.conds[r.Condition])
}

// ActiveResources returns the logical IDs of the active resources, sorted.
func (e *Evaluator) ActiveResources() []string {
	var ids []string
	for _, id := range e.t.SortedResources() {
		if e.Active(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Properties resolves the properties of resource logicalID: every
// intrinsic evaluated and AWS::NoValue removed.
func (e *Evaluator) Properties(logicalID string) (map[string]any, error) {
	r, ok := e.t.Resources[logicalID]
	if !ok {
		return nil, fmt.Errorf("Template error: resource %s is not declared", logicalID)
	}
	if r.Properties == nil {
		return map[string]any{}, nil
	}
	v, err := e.resolve(r.Properties, "Resources."+logicalID+".Properties", false)
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// Resolve evaluates the intrinsics in v; path names v in messages.
func (e *Evaluator) Resolve(v any, path string) (any, error) {
	out, err := e.resolve(v, path, false)
	if _, isNoValue := out.(noValue); isNoValue {
		return nil, err
	}
	return out, err
}

// ResolvedOutput is an output of the stack, evaluated.
type ResolvedOutput struct {
	Name, Description, Value string
	// ExportName is empty when the output is not exported.
	ExportName string
}

// Outputs evaluates the outputs whose condition holds, sorted by name.
func (e *Evaluator) Outputs() ([]ResolvedOutput, error) {
	names := make([]string, 0, len(e.t.Outputs))
	for n := range e.t.Outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []ResolvedOutput
	var errs []error
	for _, n := range names {
		o := e.t.Outputs[n]
		if o.Condition != "" && !e.conds[o.Condition] {
			continue
		}
		path := "Outputs." + n
		v, err := e.resolve(o.Value, path+".Value", false)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s, ok := text(v)
		if !ok {
			errs = append(errs, fmt.Errorf("Template format error: Output %s is malformed. The Value field of every Outputs member must evaluate to a String, not %s", n, kind(v)))
			continue
		}
		ro := ResolvedOutput{Name: n, Description: o.Description, Value: s}
		if o.ExportName != nil {
			ev, err := e.resolve(o.ExportName, path+".Export.Name", false)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			name, ok := text(ev)
			if !ok || name == "" {
				errs = append(errs, fmt.Errorf("Template format error: Output %s: Export.Name must evaluate to a non-empty string", n))
				continue
			}
			ro.ExportName = name
		}
		out = append(out, ro)
	}
	return out, errors.Join(errs...)
}

func (e *Evaluator) condition(name string, visiting map[string]bool) (bool, error) {
	if v, ok := e.conds[name]; ok {
		return v, nil
	}
	def, ok := e.t.Conditions[name]
	if !ok {
		return false, fmt.Errorf("Template format error: Unresolved condition dependency %s", name)
	}
	if visiting == nil {
		visiting = map[string]bool{}
	}
	if visiting[name] {
		return false, fmt.Errorf("Template format error: Circular condition dependency on %s", name)
	}
	visiting[name] = true
	defer delete(visiting, name)
	v, err := e.conditionValue(def, "Conditions."+name, visiting)
	if err != nil {
		return false, err
	}
	e.conds[name] = v
	return v, nil
}

// conditionValue evaluates a condition function: Fn::Equals, Fn::And,
// Fn::Or, Fn::Not or {"Condition": name}.
func (e *Evaluator) conditionValue(v any, path string, visiting map[string]bool) (bool, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false, fmt.Errorf("Template error: %s: a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition", path)
	}
	for fn, arg := range m {
		switch fn {
		case "Condition":
			name, ok := arg.(string)
			if !ok {
				return false, fmt.Errorf("Template error: %s: Condition must name a condition", path)
			}
			return e.condition(name, visiting)
		case "Fn::Equals":
			args, ok := arg.([]any)
			if !ok || len(args) != 2 {
				return false, fmt.Errorf("Template error: %s: Fn::Equals takes a list of two values", path)
			}
			a, err := e.resolve(args[0], path+".Fn::Equals[0]", true)
			if err != nil {
				return false, err
			}
			b, err := e.resolve(args[1], path+".Fn::Equals[1]", true)
			if err != nil {
				return false, err
			}
			return equalValues(a, b), nil
		case "Fn::Not":
			args, ok := arg.([]any)
			if !ok || len(args) != 1 {
				return false, fmt.Errorf("Template error: %s: Fn::Not takes a list of one condition", path)
			}
			b, err := e.conditionValue(args[0], path+".Fn::Not[0]", visiting)
			return !b, err
		case "Fn::And", "Fn::Or":
			args, ok := arg.([]any)
			if !ok || len(args) < 2 || len(args) > 10 {
				return false, fmt.Errorf("Template error: %s: %s takes a list of 2 to 10 conditions", path, fn)
			}
			result := fn == "Fn::And"
			for i, a := range args {
				b, err := e.conditionValue(a, fmt.Sprintf("%s.%s[%d]", path, fn, i), visiting)
				if err != nil {
					return false, err
				}
				if fn == "Fn::And" {
					result = result && b
				} else {
					result = result || b
				}
			}
			return result, nil
		}
		return false, fmt.Errorf("Template error: %s: %s is not a condition function", path, fn)
	}
	return false, nil
}

// equalValues compares as Fn::Equals does: by value, so that the string
// "1" and the number 1 are equal, as are lists with equal elements.
func equalValues(a, b any) bool {
	if sa, ok := text(a); ok {
		sb, ok := text(b)
		return ok && sa == sb
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// isIntrinsic reports whether an object's single key names an intrinsic
// function. "Condition" is one only inside conditions: elsewhere it is an
// ordinary key (IAM policy statements have one).
func isIntrinsic(key string, inCondition bool) bool {
	return key == "Ref" || strings.HasPrefix(key, "Fn::") || inCondition && key == "Condition"
}

func (e *Evaluator) resolve(v any, path string, inCondition bool) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if isIntrinsic(k, inCondition) {
					return e.call(k, arg, path+"."+k, inCondition)
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, val := range x {
			r, err := e.resolve(val, path+"."+k, inCondition)
			if err != nil {
				return nil, err
			}
			if _, skip := r.(noValue); skip {
				continue
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(x))
		for i, val := range x {
			r, err := e.resolve(val, path+"["+strconv.Itoa(i)+"]", inCondition)
			if err != nil {
				return nil, err
			}
			if _, skip := r.(noValue); skip {
				continue
			}
			out = append(out, r)
		}
		return out, nil
	default:
		return v, nil
	}
}

// text renders a scalar as the string intrinsics see: strings as they are,
// numbers as written, booleans as true/false.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}

func kind(v any) string {
	switch v.(type) {
	case []any, []string:
		return "a list"
	case map[string]any:
		return "an object"
	case nil, noValue:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// strings returns v as a list of strings (Fn::Join's and Fn::Select's list
// argument after evaluation).
func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case []string:
		return x, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := text(e)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

func toAnyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// b64 is Fn::Base64's encoding.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
