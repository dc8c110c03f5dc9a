package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Template is a parsed template. Parse builds it and checks its structure;
// values inside Properties, Conditions and Outputs stay generic (see
// [Decode]) until an [Evaluator] resolves them.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
type Template struct {
	FormatVersion string
	Description   string
	Metadata      any
	Parameters    map[string]*Parameter
	Mappings      map[string]map[string]map[string]any
	Conditions    map[string]any
	Resources     map[string]*Resource
	Outputs       map[string]*Output
	// Deps lists, per resource, the resources it depends on: its DependsOn
	// and every resource named by Ref, Fn::GetAtt or Fn::Sub in it, sorted.
	Deps map[string][]string
}

// Resource is one entry of the Resources section.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
type Resource struct {
	LogicalID  string
	Type       string
	Properties map[string]any
	DependsOn  []string
	// Condition names the condition that decides whether the resource
	// exists; empty means always.
	Condition string
	// DeletionPolicy is Delete (default), Retain, RetainExceptOnCreate or
	// Snapshot (treated as Delete: the local cloud keeps no snapshots).
	DeletionPolicy      string
	UpdateReplacePolicy string
	Metadata            any
}

// Output is one entry of the Outputs section.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
type Output struct {
	Name        string
	Description string
	Value       any
	// ExportName is the unresolved Export.Name, nil when not exported.
	ExportName any
	Condition  string
}

var sections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true,
	"Parameters": true, "Rules": true, "Mappings": true, "Conditions": true,
	"Transform": true, "Resources": true, "Outputs": true, "Hooks": true,
}

var resourceKeys = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Condition": true,
	"DeletionPolicy": true, "UpdateReplacePolicy": true, "Metadata": true,
	"CreationPolicy": true, "UpdatePolicy": true,
}

// Parse decodes body (JSON or YAML) and checks the template's structure:
// sections, parameter declarations, resources and outputs, every reference
// (Ref, Fn::GetAtt, Fn::Sub variables, DependsOn, conditions, mappings) and
// the absence of dependency cycles. All problems found are reported together.
func Parse(body []byte) (*Template, error) {
	doc, err := Decode(body)
	if err != nil {
		return nil, err
	}
	return FromMap(doc)
}

// FromMap builds a template from an already decoded document; see Parse.
func FromMap(doc map[string]any) (*Template, error) {
	t := &Template{
		Parameters: map[string]*Parameter{},
		Mappings:   map[string]map[string]map[string]any{},
		Conditions: map[string]any{},
		Resources:  map[string]*Resource{},
		Outputs:    map[string]*Output{},
	}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("Template format error: "+format, args...))
	}
	var unknown []string
	for k := range doc {
		if !sections[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		fail("Invalid template property or properties [%s]", strings.Join(unknown, ", "))
	}
	if tr, ok := doc["Transform"]; ok {
		// Transforms are macros run by the CloudFormation service (SAM,
		// language extensions): refuse rather than deploy something else.
		fail("Transform %v is not supported by the local cloud; expand it before deploying (for example with sam package)", scalarText(tr))
	}
	if v, ok := doc["AWSTemplateFormatVersion"]; ok {
		s, _ := v.(string)
		if s != "2010-09-09" {
			fail("AWSTemplateFormatVersion %v is not supported; it must be 2010-09-09", scalarText(v))
		}
		t.FormatVersion = s
	}
	if v, ok := doc["Description"]; ok {
		s, isString := v.(string)
		if !isString {
			fail("Description must be a string")
		}
		t.Description = s
	}
	t.Metadata = doc["Metadata"]

	if v, ok := doc["Parameters"]; ok {
		m, isMap := v.(map[string]any)
		if !isMap {
			fail("Parameters must be an object")
		}
		for name, decl := range m {
			p, err := parseParameter(name, decl)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			t.Parameters[name] = p
		}
	}
	if v, ok := doc["Mappings"]; ok {
		errs = append(errs, t.parseMappings(v)...)
	}
	if v, ok := doc["Conditions"]; ok {
		m, isMap := v.(map[string]any)
		if !isMap {
			fail("Conditions must be an object")
		}
		for name, c := range m {
			t.Conditions[name] = c
		}
	}
	res, ok := doc["Resources"].(map[string]any)
	if !ok || len(res) == 0 {
		fail("At least one Resources member must be defined.")
	}
	for id, v := range res {
		r, err := parseResource(id, v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.Resources[id] = r
	}
	if v, ok := doc["Outputs"]; ok {
		m, isMap := v.(map[string]any)
		if !isMap {
			fail("Outputs must be an object")
		}
		for name, o := range m {
			out, err := parseOutput(name, o)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			t.Outputs[name] = out
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Template) parseMappings(v any) []error {
	m, ok := v.(map[string]any)
	if !ok {
		return []error{errors.New("Template format error: Mappings must be an object")}
	}
	var errs []error
	for name, top := range m {
		tm, ok := top.(map[string]any)
		if !ok || len(tm) == 0 {
			errs = append(errs, fmt.Errorf("Template format error: Mappings attribute name '%s' must have one or more top-level keys, each an object", name))
			continue
		}
		t.Mappings[name] = map[string]map[string]any{}
		for key, second := range tm {
			sm, ok := second.(map[string]any)
			if !ok {
				errs = append(errs, fmt.Errorf("Template format error: Mappings: %s.%s must be an object of second-level keys", name, key))
				continue
			}
			t.Mappings[name][key] = sm
		}
	}
	return errs
}

func parseResource(id string, v any) (*Resource, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Template format error: [/Resources/%s] resource definition must be an object", id)
	}
	r := &Resource{LogicalID: id}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("Template format error: [/Resources/%s] "+format, append([]any{id}, args...)...))
	}
	if !validLogicalID(id) {
		fail("resource name %s is non alphanumeric.", id)
	}
	for k := range m {
		if !resourceKeys[k] {
			fail("Invalid template resource property '%s'", k)
		}
	}
	typ, _ := m["Type"].(string)
	if typ == "" {
		fail("Every Resources object must contain a Type member.")
	}
	r.Type = typ
	if p, ok := m["Properties"]; ok && p != nil {
		pm, isMap := p.(map[string]any)
		if !isMap {
			fail("Properties must be an object")
		}
		r.Properties = pm
	}
	switch d := m["DependsOn"].(type) {
	case nil:
	case string:
		r.DependsOn = []string{d}
	case []any:
		for _, e := range d {
			s, isString := e.(string)
			if !isString {
				fail("DependsOn must be a string or a list of strings")
				break
			}
			r.DependsOn = append(r.DependsOn, s)
		}
	default:
		fail("DependsOn must be a string or a list of strings")
	}
	if c, ok := m["Condition"]; ok {
		s, isString := c.(string)
		if !isString {
			fail("Condition must be a string naming a condition")
		}
		r.Condition = s
	}
	for _, k := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		s, _ := v.(string)
		switch s {
		case "Delete", "Retain", "Snapshot", "RetainExceptOnCreate":
		default:
			fail("%s must be Delete, Retain, RetainExceptOnCreate or Snapshot, not %v", k, scalarText(v))
		}
		if k == "DeletionPolicy" {
			r.DeletionPolicy = s
		} else {
			r.UpdateReplacePolicy = s
		}
	}
	r.Metadata = m["Metadata"]
	return r, errors.Join(errs...)
}

func parseOutput(name string, v any) (*Output, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Template format error: Output %s must be an object", name)
	}
	o := &Output{Name: name}
	val, ok := m["Value"]
	if !ok || val == nil {
		return nil, fmt.Errorf("Template format error: Every Outputs member must contain a Value object, the Outputs member %s does not", name)
	}
	o.Value = val
	if d, ok := m["Description"]; ok {
		o.Description, _ = d.(string)
	}
	if c, ok := m["Condition"]; ok {
		s, isString := c.(string)
		if !isString {
			return nil, fmt.Errorf("Template format error: Output %s: Condition must be a string", name)
		}
		o.Condition = s
	}
	if e, ok := m["Export"]; ok {
		em, isMap := e.(map[string]any)
		if !isMap || em["Name"] == nil {
			return nil, fmt.Errorf("Template format error: Output %s: Export must be an object with a Name", name)
		}
		o.ExportName = em["Name"]
	}
	return o, nil
}

func validLogicalID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// scalarText renders a decoded value for a message.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// SortedResources returns the logical IDs of the template's resources,
// sorted.
func (t *Template) SortedResources() []string {
	ids := make([]string, 0, len(t.Resources))
	for id := range t.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// SortedParameters returns the names of the template's parameters, sorted.
func (t *Template) SortedParameters() []string {
	names := make([]string, 0, len(t.Parameters))
	for n := range t.Parameters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
