package template

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Parameter is one declaration of the Parameters section.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
type Parameter struct {
	Name        string
	Type        string
	Description string
	// Default is the default value as text; nil when there is none.
	Default               *string
	AllowedValues         []string
	AllowedPattern        string
	MinLength, MaxLength  *int
	MinValue, MaxValue    *float64
	NoEcho                bool
	ConstraintDescription string

	pattern *regexp.Regexp
}

// ec2Types are the AWS-specific parameter types. AWS checks their values
// against the account's EC2 resources; the local cloud has none, so it
// accepts any value as a string, which is what these types are to templates.
var ec2Types = map[string]bool{
	"AWS::EC2::AvailabilityZone::Name":   true,
	"AWS::EC2::Image::Id":                true,
	"AWS::EC2::Instance::Id":             true,
	"AWS::EC2::KeyPair::KeyName":         true,
	"AWS::EC2::SecurityGroup::GroupName": true,
	"AWS::EC2::SecurityGroup::Id":        true,
	"AWS::EC2::Subnet::Id":               true,
	"AWS::EC2::Volume::Id":               true,
	"AWS::EC2::VPC::Id":                  true,
	"AWS::Route53::HostedZone::Id":       true,
}

// IsList reports whether Ref to the parameter yields a list of strings.
func (p *Parameter) IsList() bool {
	t := p.Type
	if v := p.SSMValueType(); v != "" {
		t = v
	}
	return t == "CommaDelimitedList" || strings.HasPrefix(t, "List<")
}

// SSMValueType returns T of a parameter of type
// AWS::SSM::Parameter::Value<T>, whose given value is the name of a
// Systems Manager parameter that holds the value; "" for other types.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types
func (p *Parameter) SSMValueType() string {
	if t, ok := strings.CutPrefix(p.Type, "AWS::SSM::Parameter::Value<"); ok && strings.HasSuffix(t, ">") {
		return t[:len(t)-1]
	}
	return ""
}

func (p *Parameter) isNumber() bool { return p.Type == "Number" || p.Type == "List<Number>" }

func checkType(name, typ string) error {
	switch {
	case typ == "String" || typ == "Number" || typ == "CommaDelimitedList" || typ == "List<Number>":
		return nil
	case typ == "AWS::SSM::Parameter::Name":
		return nil
	case strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") && strings.HasSuffix(typ, ">"):
		switch inner := strings.TrimSuffix(strings.TrimPrefix(typ, "AWS::SSM::Parameter::Value<"), ">"); {
		case inner == "String" || inner == "CommaDelimitedList" || inner == "List<String>" || ec2Types[inner] ||
			strings.HasPrefix(inner, "List<") && strings.HasSuffix(inner, ">") && ec2Types[inner[5:len(inner)-1]]:
			return nil
		}
	case ec2Types[typ]:
		return nil
	case strings.HasPrefix(typ, "List<") && strings.HasSuffix(typ, ">") && ec2Types[typ[5:len(typ)-1]]:
		return nil
	}
	return fmt.Errorf("Template format error: Unrecognized parameter type: %s (parameter %s)", typ, name)
}

func parseParameter(name string, v any) (*Parameter, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Template format error: parameter %s must be an object", name)
	}
	p := &Parameter{Name: name}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("Template format error: parameter "+name+": "+format, args...))
	}
	if !validLogicalID(name) {
		fail("the name must be alphanumeric")
	}
	p.Type, _ = m["Type"].(string)
	if p.Type == "" {
		fail("Every Parameters object must contain a Type member.")
	} else if err := checkType(name, p.Type); err != nil {
		errs = append(errs, err)
	}
	p.Description, _ = m["Description"].(string)
	p.ConstraintDescription, _ = m["ConstraintDescription"].(string)
	if d, ok := m["Default"]; ok {
		s, err := paramText(d)
		if err != nil {
			fail("Default: %v", err)
		}
		p.Default = &s
	}
	if av, ok := m["AllowedValues"]; ok {
		list, isList := av.([]any)
		if !isList {
			fail("AllowedValues must be a list")
		}
		for _, e := range list {
			s, err := paramText(e)
			if err != nil {
				fail("AllowedValues: %v", err)
				continue
			}
			p.AllowedValues = append(p.AllowedValues, s)
		}
	}
	if ap, ok := m["AllowedPattern"]; ok {
		p.AllowedPattern, _ = ap.(string)
		re, err := regexp.Compile(`^(?:` + p.AllowedPattern + `)$`)
		if err != nil {
			fail("AllowedPattern %q is not a valid regular expression: %v", p.AllowedPattern, err)
		}
		p.pattern = re
	}
	for _, k := range []string{"MinLength", "MaxLength"} {
		if x, ok := m[k]; ok {
			n, err := strconv.Atoi(scalarText(x))
			if err != nil || n < 0 {
				fail("%s must be a non-negative integer, not %s", k, scalarText(x))
				continue
			}
			if k == "MinLength" {
				p.MinLength = &n
			} else {
				p.MaxLength = &n
			}
		}
	}
	for _, k := range []string{"MinValue", "MaxValue"} {
		if x, ok := m[k]; ok {
			f, err := strconv.ParseFloat(scalarText(x), 64)
			if err != nil {
				fail("%s must be a number, not %s", k, scalarText(x))
				continue
			}
			if k == "MinValue" {
				p.MinValue = &f
			} else {
				p.MaxValue = &f
			}
		}
	}
	if ne, ok := m["NoEcho"]; ok {
		switch scalarText(ne) {
		case "true", "True", "TRUE":
			p.NoEcho = true
		case "false", "False", "FALSE":
		default:
			fail("NoEcho must be true or false")
		}
	}
	if p.Default != nil && len(errs) == 0 {
		if err := p.Check(*p.Default); err != nil {
			fail("Default value: %v", err)
		}
	}
	return p, errors.Join(errs...)
}

// paramText renders a declared default or allowed value as the text a
// caller would pass: numbers as written, lists joined with commas.
func paramText(v any) (string, error) {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, err := paramText(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	case map[string]any:
		return "", errors.New("must be a string, number or list, not an object")
	default:
		return scalarText(x), nil
	}
}

// Check validates value against the parameter's type and constraints; the
// messages are AWS's.
func (p *Parameter) Check(value string) error {
	values := []string{value}
	if p.IsList() && p.SSMValueType() == "" { // an SSM type's value is one parameter name
		values = SplitList(value)
	}
	for _, v := range values {
		if err := p.checkOne(v); err != nil {
			return err
		}
	}
	return nil
}

func (p *Parameter) checkOne(v string) error {
	constraint := func(format string, args ...any) error {
		if p.ConstraintDescription != "" {
			return fmt.Errorf("Parameter '%s' failed to satisfy constraint: %s", p.Name, p.ConstraintDescription)
		}
		return fmt.Errorf("Parameter '%s' "+format, append([]any{p.Name}, args...)...)
	}
	if p.isNumber() {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return fmt.Errorf("Parameter '%s' must be a number", p.Name)
		}
		if p.MinValue != nil && f < *p.MinValue {
			return constraint("must be a number not less than %s", fmtNumber(*p.MinValue))
		}
		if p.MaxValue != nil && f > *p.MaxValue {
			return constraint("must be a number not greater than %s", fmtNumber(*p.MaxValue))
		}
	}
	if len(p.AllowedValues) > 0 {
		found := false
		for _, a := range p.AllowedValues {
			if a == v {
				found = true
				break
			}
		}
		if !found {
			return constraint("must be one of AllowedValues")
		}
	}
	if p.pattern != nil && !p.pattern.MatchString(v) {
		return constraint("must match pattern %s", p.AllowedPattern)
	}
	n := len([]rune(v))
	if p.MinLength != nil && n < *p.MinLength {
		return constraint("must contain at least %d characters", *p.MinLength)
	}
	if p.MaxLength != nil && n > *p.MaxLength {
		return constraint("must contain at most %d characters", *p.MaxLength)
	}
	return nil
}

func fmtNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// SplitList splits a CommaDelimitedList or List<...> parameter value. As
// on AWS, whitespace around elements is kept for CommaDelimitedList; an
// empty value is an empty list.
func SplitList(v string) []string {
	if v == "" {
		return []string{}
	}
	return strings.Split(v, ",")
}

// ResolveParameters returns the value of every declared parameter: the
// given value, else the default. It reports, as AWS does, parameters given
// but not declared, declared parameters with neither a value nor a default,
// and values that break a constraint.
func (t *Template) ResolveParameters(given map[string]string) (map[string]string, error) {
	var unknown, missing []string
	for name := range given {
		if _, ok := t.Parameters[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("Parameters: [%s] do not exist in the template", strings.Join(unknown, ", "))
	}
	out := make(map[string]string, len(t.Parameters))
	var errs []error
	for _, name := range t.SortedParameters() {
		p := t.Parameters[name]
		v, ok := given[name]
		if !ok {
			if p.Default == nil {
				missing = append(missing, name)
				continue
			}
			v = *p.Default
		}
		if err := p.Check(v); err != nil {
			errs = append(errs, err)
			continue
		}
		out[name] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("Parameters: [%s] must have values", strings.Join(missing, ", "))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
