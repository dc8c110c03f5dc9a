package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds the values a YAML document may expand to, so that a
// template built from nested aliases ("billion laughs") is refused instead of
// exhausting memory.
const maxNodes = 1 << 20

// maxDepth bounds nesting, for the same reason.
const maxDepth = 200

// Decode parses a template body, JSON or YAML, into generic values: maps
// with string keys, []any, string, bool, nil and json.Number for numbers (as
// written, so that "1.10" stays "1.10"). YAML short forms become their long
// JSON forms: "!Ref X" is {"Ref": "X"}, "!GetAtt A.B" is
// {"Fn::GetAtt": ["A", "B"]}.
func Decode(body []byte) (map[string]any, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return nil, errors.New("Template format error: the template is empty")
	}
	var doc any
	var err error
	if trimmed[0] == '{' {
		doc, err = decodeJSON(trimmed)
	} else {
		doc, err = decodeYAML(body)
	}
	if err != nil {
		return nil, err
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("Template format error: the template must be a JSON object or a YAML mapping")
	}
	return m, nil
}

func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("Template format error: JSON not well-formed: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("Template format error: JSON not well-formed: data after the top-level object")
	}
	return v, nil
}

func decodeYAML(body []byte) (any, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(body, &root); err != nil {
		return nil, fmt.Errorf("Template format error: YAML not well-formed: %w", err)
	}
	d := yamlDecoder{}
	return d.node(&root, 0)
}

type yamlDecoder struct{ nodes int }

// shortForms maps YAML short-form tags to the intrinsic each stands for.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
var shortForms = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!GetAtt":       "Fn::GetAtt",
	"!Sub":          "Fn::Sub",
	"!Join":         "Fn::Join",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!If":           "Fn::If",
	"!Equals":       "Fn::Equals",
	"!And":          "Fn::And",
	"!Or":           "Fn::Or",
	"!Not":          "Fn::Not",
	"!GetAZs":       "Fn::GetAZs",
	"!Base64":       "Fn::Base64",
	"!FindInMap":    "Fn::FindInMap",
	"!ImportValue":  "Fn::ImportValue",
	"!Cidr":         "Fn::Cidr",
	"!Transform":    "Fn::Transform",
	"!Length":       "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

func (d *yamlDecoder) node(n *yaml.Node, depth int) (any, error) {
	d.nodes++
	if d.nodes > maxNodes {
		return nil, fmt.Errorf("Template format error: YAML expands to more than %d values", maxNodes)
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("Template format error: YAML nested deeper than %d levels (line %d)", maxDepth, n.Line)
	}
	var v any
	var err error
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return d.node(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, fmt.Errorf("Template format error: YAML alias without anchor (line %d)", n.Line)
		}
		return d.node(n.Alias, depth+1)
	case yaml.MappingNode:
		v, err = d.mapping(n, depth)
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			e, err := d.node(c, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, e)
		}
		v = list
	case yaml.ScalarNode:
		v, err = scalar(n)
	default:
		return nil, fmt.Errorf("Template format error: unexpected YAML node (line %d)", n.Line)
	}
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	fn, ok := shortForms[n.Tag]
	if !ok {
		return nil, fmt.Errorf("Template format error: unknown YAML tag %s (line %d)", n.Tag, n.Line)
	}
	if fn == "Fn::GetAtt" {
		// The short form's scalar is "Resource.Attribute"; the attribute
		// may itself contain dots (Outputs.Name of a nested stack).
		if s, isString := v.(string); isString {
			res, attr, found := strings.Cut(s, ".")
			if !found {
				return nil, fmt.Errorf("Template format error: !GetAtt %q is not of the form Resource.Attribute (line %d)", s, n.Line)
			}
			v = []any{res, attr}
		}
	}
	return map[string]any{fn: v}, nil
}

func (d *yamlDecoder) mapping(n *yaml.Node, depth int) (map[string]any, error) {
	m := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := n.Content[i]
		if kn.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("Template format error: YAML mapping keys must be scalars (line %d)", kn.Line)
		}
		val, err := d.node(n.Content[i+1], depth+1)
		if err != nil {
			return nil, err
		}
		if _, dup := m[kn.Value]; dup {
			return nil, fmt.Errorf("Template format error: YAML mapping key %q is duplicated (line %d)", kn.Value, kn.Line)
		}
		m[kn.Value] = val
	}
	return m, nil
}

// scalar converts a YAML scalar to the value its JSON equivalent would
// have, keeping numbers as written and dates as strings (CloudFormation
// reads "AWSTemplateFormatVersion: 2010-09-09" as a string).
func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("Template format error: line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			// Too large for int64: keep the digits.
			return n.Value, nil
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return n.Value, nil
		}
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return json.Number(n.Value), nil
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	default:
		return n.Value, nil
	}
}
