package engine

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// pathRef is a compiled JSONPath whose root selects the document: "$" the
// current input, "$$" the context object, "$name" a variable.
type pathRef = *jsonpath.Path

func parsePath(s string) (pathRef, error) {
	p, err := jsonpath.Parse(s)
	if err != nil {
		return nil, err
	}
	return p, checkRoot(p)
}

func parseReference(s string) (pathRef, error) {
	p, err := jsonpath.ParseReference(s)
	if err != nil {
		return nil, err
	}
	return p, checkRoot(p)
}

func checkRoot(p pathRef) error {
	root := p.Root()
	if root == "$" || root == "$$" {
		return nil
	}
	if !validVarName(root[1:]) {
		return fmt.Errorf("%s: %q is not a valid variable name", p, root[1:])
	}
	return nil
}

// tmpl is a compiled payload template: Parameters, ResultSelector,
// ItemSelector, Assign values, Arguments or Output. Constant subtrees
// compile to tmplConst and are shared, not copied, by every evaluation.
type tmpl interface {
	eval(ev *env) (any, *failure)
}

type tmplConst struct{ v any }

func (t tmplConst) eval(*env) (any, *failure) { return t.v, nil }

type tmplObject struct {
	keys []string
	vals []tmpl
}

func (t *tmplObject) eval(ev *env) (any, *failure) {
	out := make(map[string]any, len(t.keys))
	for i, k := range t.keys {
		v, f := t.vals[i].eval(ev)
		if f != nil {
			return nil, f
		}
		out[k] = v
	}
	return out, nil
}

type tmplArray struct{ vals []tmpl }

func (t *tmplArray) eval(ev *env) (any, *failure) {
	out := make([]any, len(t.vals))
	for i, e := range t.vals {
		v, f := e.eval(ev)
		if f != nil {
			return nil, f
		}
		out[i] = v
	}
	return out, nil
}

// tmplPath is a "key.$": "path" value.
type tmplPath struct {
	key  string
	path pathRef
}

func (t *tmplPath) eval(ev *env) (any, *failure) {
	v, err := ev.resolve(t.path)
	if err != nil {
		if f, ok := err.(*failure); ok {
			return nil, f
		}
		detail := fmt.Sprintf("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", t.path, t.key, ev.docText(t.path))
		if ev.f != nil && ev.f.st.kind == kindPass {
			// A Pass state's Parameters fail with States.Runtime
			// (recorded AWS behaviour, 2025), not ParameterPathFailure.
			return nil, runtimeFailure("%s", detail)
		}
		return nil, fail(ErrParameterPathFailure, "%s", detail)
	}
	return v, nil
}

// tmplIntrinsic is a "key.$": "States.Format(...)" value.
type tmplIntrinsic struct {
	key  string
	call *intrinsic.Call
}

func (t *tmplIntrinsic) eval(ev *env) (any, *failure) {
	v, err := t.call.Eval(intrinsic.Env{Resolve: ev.resolve, Rand: ev.f.r.exec.opts.Rand, UUID: ev.f.r.exec.opts.UUID})
	if err != nil {
		var f *failure
		if errors.As(err, &f) {
			return nil, f
		}
		name := ErrIntrinsicFailure
		var named interface{ ErrorName() string }
		if errors.As(err, &named) && named.ErrorName() != "" {
			name = named.ErrorName()
		}
		return nil, &failure{name: name, cause: fmt.Sprintf("The value for the field '%s' could not be computed: %v", t.key, err)}
	}
	v, err = normalize(v)
	if err != nil {
		return nil, fail(ErrIntrinsicFailure, "%s: %v", t.key, err)
	}
	return v, nil
}

// tmplExpr is a "{% ... %}" JSONata value.
type tmplExpr struct{ e *jexpr }

func (t tmplExpr) eval(ev *env) (any, *failure) { return ev.jsonata(t.e) }

// payload compiles a JSONPath payload template: keys ending in ".$" take a
// path or an intrinsic function, every other value is literal.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html.
func (c *compiler) payload(o *object, field string, v any) tmpl {
	t, ok := compileContainer(v, field, func(f, key string, val any) (string, tmpl, bool) {
		if strings.HasSuffix(key, ".$") {
			// A ".$" member is computed at run time even when it failed
			// to compile (the compile error stops the machine anyway).
			return strings.TrimSuffix(key, ".$"), c.dynamic(o, f, key, val), true
		}
		return key, c.payload(o, f, val), false
	})
	if ok {
		return t
	}
	return tmplConst{v: v}
}

// compileContainer compiles an object or an array member by member with
// elem, which names each object member (it may rename a key) and says
// whether it is dynamic whatever it compiled to. A container whose members
// are all constants stays the constant it was, so a literal template costs
// nothing at run time. ok is false when v is neither an object nor an array.
func compileContainer(v any, field string, elem func(field, key string, val any) (name string, t tmpl, dynamic bool)) (t tmpl, ok bool) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		obj := &tmplObject{}
		dynamic := false
		for _, k := range keys {
			name, t, dyn := elem(field+"."+k, k, x[k])
			if t == nil {
				t = tmplConst{}
			}
			if _, isConst := t.(tmplConst); dyn || !isConst {
				dynamic = true
			}
			obj.keys = append(obj.keys, name)
			obj.vals = append(obj.vals, t)
		}
		if !dynamic {
			return tmplConst{v: x}, true
		}
		return obj, true
	case []any:
		arr := &tmplArray{}
		dynamic := false
		for i, e := range x {
			_, t, dyn := elem(fmt.Sprintf("%s[%d]", field, i), "", e)
			if _, isConst := t.(tmplConst); dyn || !isConst {
				dynamic = true
			}
			arr.vals = append(arr.vals, t)
		}
		if !dynamic {
			return tmplConst{v: x}, true
		}
		return arr, true
	}
	return nil, false
}

// dynamic compiles the value of a "key.$" field.
func (c *compiler) dynamic(o *object, field, key string, v any) tmpl {
	s, ok := v.(string)
	if !ok {
		o.errorf(field, "the value of a field whose name ends in .$ must be a path or an intrinsic function string, not %s", typeName(v))
		return nil
	}
	if intrinsic.IsIntrinsic(s) {
		call, err := intrinsic.Parse(s)
		if err != nil {
			o.errorf(field, "%v", err)
			return nil
		}
		return &tmplIntrinsic{key: key, call: call}
	}
	p, err := parsePath(s)
	if err != nil {
		o.errorf(field, "%v", err)
		return nil
	}
	return &tmplPath{key: key, path: p}
}

// isExpr reports whether s is a whole JSONata expression "{% ... %}".
func isExpr(s string) bool {
	return len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// jsonataField compiles an optional JSONata-state field such as Output or
// Arguments.
func (c *compiler) jsonataField(o *object, field string) tmpl {
	v, ok := o.m[field]
	if !ok {
		return nil
	}
	return c.jsonataValue(o, field, v)
}

// jsonataValue compiles a JSONata-state value: any string "{% expr %}",
// at any depth in objects and arrays, is an expression; the rest is
// literal.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.
func (c *compiler) jsonataValue(o *object, field string, v any) tmpl {
	if x, ok := v.(string); ok && isExpr(x) {
		if e := c.expr(o, field, x); e != nil {
			return tmplExpr{e: e}
		}
		return tmplConst{}
	}
	t, ok := compileContainer(v, field, func(f, key string, val any) (string, tmpl, bool) {
		return key, c.jsonataValue(o, f, val), false
	})
	if ok {
		return t
	}
	return tmplConst{v: v}
}

// assignment is a compiled Assign block. All values are evaluated against
// the variables as they were when the state was entered, then assigned
// together, as AWS documents ("Assign ... evaluated in parallel").
type assignment struct {
	names []string
	vals  []tmpl
}

func (a *assignment) eval(ev *env) ([]any, *failure) {
	if a == nil {
		return nil, nil
	}
	out := make([]any, len(a.vals))
	for i, t := range a.vals {
		v, f := t.eval(ev)
		if f != nil {
			return nil, f
		}
		out[i] = v
	}
	return out, nil
}
