package engine

import (
	"math"
	"slices"
)

// Pass, Succeed and Fail states.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html,
// state-succeed.html and state-fail.html.

func (c *compiler) compilePass(o *object, s *state) []string {
	if s.jsonata {
		return nil
	}
	allowed := c.jsonPathResultFields(o, s, false)
	if v, ok := o.m["Result"]; ok {
		s.result, s.hasResult = v, true
		s.outGrow, s.outOfInput = passGrowth(s)
		return passFields
	}
	return allowed
}

var passFields = append(slices.Clip(passResultFields), "Result")

// passGrowth bounds the output of a JSONPath Pass state with a Result (see
// sizeBound), so that its data-limit check need not walk the output: the
// output is the input (ResultPath null), the Result (ResultPath "$"), or
// the input with the Result set at a path, which adds at most, per path
// field, its quoted name, a colon, a comma and the braces of a new object
// (12 bytes per byte of the path's text is more than that); a definite
// OutputPath then selects a part of it, or null gives {}.
func passGrowth(s *state) (int, bool) {
	if op := s.outputPath.path; op != nil && (op.Root() != "$" || !op.IsDefinite()) {
		return 0, false
	}
	rs := jsonSize(s.result, math.MaxInt)
	switch rp := s.resultPath; {
	case rp.discard:
		return 2, true
	case rp.path == nil:
		return rs + 2, false
	case rp.path.Root() != "$" || !rp.path.IsDefinite():
		return 0, false
	default:
		return rs + 12*len(rp.path.String()) + 10, true
	}
}

func (r *runner) runPass(f *frame) (any, *state, *failure) {
	st := f.st
	if st.jsonata {
		out, fl := f.finish(nil, false)
		return out, st.next, fl
	}
	eff, fl := f.effectiveInput()
	if fl != nil {
		return nil, nil, fl
	}
	result := eff
	switch {
	case st.hasResult:
		result = st.result
	case st.parameters != nil:
		if result, fl = st.parameters.eval(&env{f: f, doc: eff}); fl != nil {
			return nil, nil, fl
		}
	}
	out, fl := f.finish(result, true)
	return out, st.next, fl
}

// finishPlain produces the output of a state without a result (Choice,
// Wait, Succeed): OutputPath over the effective input, or Output.
func (f *frame) finishPlain(eff any, assign *assignment, output tmpl) (any, *failure) {
	st := f.st
	if st.jsonata {
		ev := env{f: f}
		vals, fl := assign.eval(&ev)
		if fl != nil {
			return nil, fl
		}
		out := f.input
		if output != nil {
			if out, fl = output.eval(&ev); fl != nil {
				return nil, fl
			}
		}
		if assign != nil {
			f.assignVars(assign.names, vals)
		}
		return out, nil
	}
	var vals []any
	if assign != nil {
		var fl *failure
		if vals, fl = assign.eval(&env{f: f, doc: eff}); fl != nil {
			return nil, fl
		}
	}
	out, fl := f.applyOutputPath(eff)
	if fl != nil {
		return nil, fl
	}
	if assign != nil {
		f.assignVars(assign.names, vals)
	}
	return out, nil
}

func (r *runner) runSucceed(f *frame) (any, *failure) {
	eff := f.input
	if !f.st.jsonata {
		var fl *failure
		if eff, fl = f.effectiveInput(); fl != nil {
			return nil, fl
		}
	}
	return f.finishPlain(eff, nil, f.st.output)
}

func (c *compiler) compileFail(o *object, s *state) []string {
	s.fail = &failSpec{error: c.strOrPath(o, s, "Error")}
	s.fail.cause = c.strOrPath(o, s, "Cause")
	if s.jsonata {
		return []string{"Error", "Cause"}
	}
	return []string{"Error", "ErrorPath", "Cause", "CausePath"}
}

// runFail ends the machine with the state's error. A Fail state in a
// Parallel branch or Map iteration fails that state, which may catch it.
func (r *runner) runFail(f *frame) *failure {
	name, fl := f.evalStr(f.st.fail.error, f.input)
	if fl != nil {
		return fl
	}
	cause, fl := f.evalStr(f.st.fail.cause, f.input)
	if fl != nil {
		return fl
	}
	return &failure{name: name, cause: cause}
}

// evalInt evaluates an integer field against doc (the effective input).
func (f *frame) evalInt(fd intField, doc any) (int64, bool, *failure) {
	switch {
	case !fd.set:
		return 0, false, nil
	case fd.mapLimit && fd.path != nil:
		return f.evalMapLimit(fd, doc)
	case fd.path != nil:
		v, fl := f.getPath(fd.path, doc, fd.field)
		if fl != nil {
			return 0, false, fl
		}
		n, ok := toInt(v)
		if !ok {
			return 0, false, runtimeFailure("The %s '%s' must select an integer, but it selected %s", fd.field, fd.path, typeName(v))
		}
		return n, true, nil
	case fd.expr != nil:
		v, fl := (&env{f: f}).jsonata(fd.expr)
		if fl != nil {
			return 0, false, fl
		}
		n, ok := toInt(v)
		if !ok {
			return 0, false, fail(ErrQueryEvaluationError, "The JSONata expression '%s' specified for the field '%s' returned %s, but the field needs an integer", fd.expr.body, awsField(fd.field), typeName(v))
		}
		return n, true, nil
	}
	return fd.static, true, nil
}

// evalStr evaluates a string field against doc.
func (f *frame) evalStr(fd strField, doc any) (string, *failure) {
	switch {
	case !fd.set:
		return "", nil
	case fd.call != nil:
		return f.evalStrIntrinsic(fd, doc)
	case fd.path != nil:
		v, fl := f.getPath(fd.path, doc, fd.field)
		if fl != nil {
			return "", fl
		}
		s, ok := v.(string)
		if !ok {
			return "", runtimeFailure("The %s '%s' must select a string, but it selected %s", fd.field, fd.path, typeName(v))
		}
		return s, nil
	case fd.expr != nil:
		v, fl := (&env{f: f}).jsonata(fd.expr)
		if fl != nil {
			return "", fl
		}
		s, ok := v.(string)
		if !ok {
			return "", fail(ErrQueryEvaluationError, "The JSONata expression '%s' specified for the field '%s' returned %s, but the field needs a string", fd.expr.body, awsField(fd.field), typeName(v))
		}
		return s, nil
	}
	return fd.static, nil
}
