package engine

import (
	"errors"
	"fmt"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// Input and output processing: the JSONPath pipeline InputPath ->
// Parameters -> (task) -> ResultSelector -> ResultPath -> OutputPath, and
// the JSONata pair Arguments -> Output.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html.

// env is what a template or expression evaluates against.
type env struct {
	f   *frame
	doc any // "$" for JSONPath
	// JSONata $states fields besides input and context.
	result    any
	hasResult bool
	errOut    any
	hasErr    bool
}

// errNoVariable is returned when a path names a variable no state assigned.
var errNoVariable = errors.New("variable not assigned")

// resolve evaluates a path against the document its root names.
func (ev *env) resolve(p *jsonpath.Path) (any, error) {
	switch root := p.Root(); root {
	case "$":
		return p.Get(ev.doc)
	case "$$":
		return p.Get(ev.f.contextObject())
	default:
		v, ok := ev.f.r.scope.lookup(root[1:])
		if !ok {
			return nil, fmt.Errorf("%s: %w (%w)", root, errNoVariable, jsonpath.ErrNotFound)
		}
		return p.Get(v)
	}
}

// docText renders the document a path was applied to, for error causes.
func (ev *env) docText(p *jsonpath.Path) string {
	var v any
	switch root := p.Root(); root {
	case "$":
		v = ev.doc
	case "$$":
		v = ev.f.contextObject()
	default:
		var ok bool
		if v, ok = ev.f.r.scope.lookup(root[1:]); !ok {
			return "(variable " + root + " is not assigned)"
		}
	}
	s := string(marshalValue(v))
	if len(s) > 512 {
		s = s[:512] + "..."
	}
	return s
}

// getPath applies an InputPath, OutputPath, ItemsPath or similar to doc;
// a path that selects nothing is States.Runtime, as AWS reports it.
func (f *frame) getPath(p pathRef, doc any, field string) (any, *failure) {
	ev := env{f: f, doc: doc}
	v, err := ev.resolve(p)
	if err != nil {
		return nil, runtimeFailure("Invalid path '%s' in %s: No results for path %s in input '%s'", p, field, p, ev.docText(p))
	}
	return v, nil
}

// effectiveInput applies InputPath to the raw state input.
func (f *frame) effectiveInput() (any, *failure) {
	ip := f.st.inputPath
	switch {
	case ip.null:
		return map[string]any{}, nil
	case ip.path == nil:
		return f.input, nil
	}
	return f.getPath(ip.path, f.input, "InputPath")
}

func (f *frame) applyOutputPath(v any) (any, *failure) {
	op := f.st.outputPath
	switch {
	case op.null:
		return map[string]any{}, nil
	case op.path == nil:
		return v, nil
	}
	return f.getPath(op.path, v, "OutputPath")
}

// applyResultPath places result into the raw state input.
func (f *frame) applyResultPath(rp resultPath, result any) (any, *failure) {
	switch {
	case rp.discard:
		return f.input, nil
	case rp.path == nil:
		return result, nil
	}
	out, err := rp.path.Set(f.input, result)
	if err != nil {
		return nil, fail(ErrResultPathMatchFailure, "Unable to apply ResultPath \"%s\" to input \"%s\": %v", rp.path, truncate(string(marshalValue(f.input))), err)
	}
	return out, nil
}

func truncate(s string) string {
	if len(s) > 512 {
		return s[:512] + "..."
	}
	return s
}

// effectiveArgs computes a Task's or Parallel's input: InputPath then
// Parameters (JSONPath), or Arguments (JSONata).
func (f *frame) effectiveArgs() (any, *failure) {
	st := f.st
	if st.jsonata {
		if st.arguments == nil {
			return f.input, nil
		}
		return st.arguments.eval(&env{f: f})
	}
	eff, fl := f.effectiveInput()
	if fl != nil {
		return nil, fl
	}
	if st.parameters == nil {
		return eff, nil
	}
	return st.parameters.eval(&env{f: f, doc: eff})
}

// finish turns a state's result into its output and applies its Assign:
// ResultSelector, Assign, ResultPath and OutputPath for JSONPath; Assign
// and Output for JSONata. hasResult is false for states without a result
// (a JSONata Pass), whose default output is their input.
//
// Assign is evaluated before the new values exist, so Output and the other
// fields of the same state see the variables as they were on entry.
func (f *frame) finish(result any, hasResult bool) (any, *failure) {
	st := f.st
	if st.jsonata {
		ev := env{f: f, result: result, hasResult: hasResult}
		vals, fl := st.assign.eval(&ev)
		if fl != nil {
			return nil, fl
		}
		out := result
		if !hasResult {
			out = f.input
		}
		if st.output != nil {
			if out, fl = st.output.eval(&ev); fl != nil {
				return nil, fl
			}
		}
		if st.assign != nil {
			f.assignVars(st.assign.names, vals)
		}
		return out, nil
	}
	sel := result
	if st.resultSelector != nil {
		var fl *failure
		if sel, fl = st.resultSelector.eval(&env{f: f, doc: result}); fl != nil {
			return nil, fl
		}
	}
	var vals []any
	if st.assign != nil {
		// Only then: the env escapes, and most states assign nothing.
		var fl *failure
		if vals, fl = st.assign.eval(&env{f: f, doc: sel}); fl != nil {
			return nil, fl
		}
	}
	out, fl := f.applyResultPath(st.resultPath, sel)
	if fl != nil {
		return nil, fl
	}
	if out, fl = f.applyOutputPath(out); fl != nil {
		return nil, fl
	}
	if st.assign != nil {
		f.assignVars(st.assign.names, vals)
	}
	return out, nil
}
