package step

import (
	"strings"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// pathKind is the grammar a path field follows.
type pathKind int

const (
	// pathAny is a JSONPath: InputPath, OutputPath, ".$" values.
	pathAny pathKind = iota
	// pathReference selects a single node: Variable, ItemsPath, ...Path.
	pathReference
	// pathResult is a reference path into the state input: ResultPath.
	pathResult
	// pathReferenceOrIntrinsic is ErrorPath and CausePath, which also take
	// an intrinsic function.
	pathReferenceOrIntrinsic
)

// path checks a path field. JSONNull is accepted where ASL allows null.
func (v *validator) path(s State, field, p string, kind pathKind) {
	if p == "" || (p == JSONNull && (kind == pathAny || kind == pathResult)) {
		return
	}
	if kind == pathReferenceOrIntrinsic && intrinsic.IsIntrinsic(p) {
		if _, err := intrinsic.Parse(p); err != nil {
			v.add(s, field, "%v", err)
		}
		return
	}
	var err error
	var parsed *jsonpath.Path
	if kind == pathAny {
		parsed, err = jsonpath.Parse(p)
	} else {
		parsed, err = jsonpath.ParseReference(p)
	}
	if err != nil {
		v.add(s, field, "%v", err)
		return
	}
	if kind == pathResult && parsed.Root() != "$" {
		v.add(s, field, "%q must start with $: a result can only be placed in the state input", p)
	}
}

// payload checks a JSONPath payload template (Parameters, ResultSelector,
// ItemSelector, Credentials): every key ending in ".$" holds a path or an
// intrinsic function that parses with the right arguments.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-parameters.
func (v *validator) payload(s State, field string, template any) {
	switch t := template.(type) {
	case nil:
	case map[string]any:
		for _, k := range sortedKeys(t) {
			sub := field + "." + k
			if !strings.HasSuffix(k, ".$") {
				v.payload(s, sub, t[k])
				continue
			}
			str, ok := t[k].(string)
			if !ok {
				v.add(s, sub, "a key ending in .$ needs a path or intrinsic function string, not %s", jsonText(t[k]))
				continue
			}
			v.dynamicValue(s, sub, str)
		}
	case []any:
		for i, e := range t {
			v.payload(s, indexField(field, i), e)
		}
	}
}

// dynamicValue checks the value of a ".$" key.
func (v *validator) dynamicValue(s State, field, value string) {
	if intrinsic.IsIntrinsic(value) {
		if _, err := intrinsic.Parse(value); err != nil {
			v.add(s, field, "%v", err)
		}
		return
	}
	if _, err := jsonpath.Parse(value); err != nil {
		v.add(s, field, "%v", err)
	}
}

// assign checks an Assign object: under JSONPath its ".$" values are
// paths; under JSONata its strings may be expressions.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html.
func (v *validator) assign(s State, field string, assign any, ql QueryLanguage) {
	if assign == nil {
		return
	}
	m, ok := assign.(map[string]any)
	if !ok {
		v.add(s, field, "must be an object of variable names to values")
		return
	}
	for _, k := range sortedKeys(m) {
		name := strings.TrimSuffix(k, ".$")
		if !validVariableName(name) {
			v.add(s, field+"."+k, "%q is not a valid variable name: start with a letter or _, then letters, digits or _", name)
		}
	}
	if ql == JSONata {
		v.expressions(s, field, m)
	} else {
		v.payload(s, field, m)
	}
}

func validVariableName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 127
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// isExpression reports whether s is written as a JSONata expression.
func isExpression(s string) bool {
	return strings.HasPrefix(strings.TrimSpace(s), "{%")
}

// expressions checks every string of a JSONata value that opens "{%" also
// closes with "%}" and is not empty.
func (v *validator) expressions(s State, field string, value any) {
	switch x := value.(type) {
	case string:
		if isExpression(x) {
			v.expression(s, field, x, false)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			v.expressions(s, field+"."+k, x[k])
		}
	case []any:
		for i, e := range x {
			v.expressions(s, indexField(field, i), e)
		}
	}
}

// expression checks the delimiters of one JSONata expression; required
// says the field takes nothing else. The expression itself is compiled by
// Step Functions (and by the local engine) when the state runs.
func (v *validator) expression(s State, field, expr string, required bool) {
	t := strings.TrimSpace(expr)
	switch {
	case !strings.HasPrefix(t, "{%"):
		if required {
			v.add(s, field, "%q must be a JSONata expression written {%% ... %%}", expr)
		}
	case !strings.HasSuffix(t, "%}") || len(t) < 4:
		v.add(s, field, "%q opens a JSONata expression with {%% but does not close it with %%}", expr)
	case strings.TrimSpace(t[2:len(t)-2]) == "":
		v.add(s, field, "the JSONata expression is empty")
	}
}
