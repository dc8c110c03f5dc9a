package engine

// evalStrIntrinsic evaluates a Fail state's ErrorPath or CausePath given as
// an intrinsic function ("States.Format('... {}', $.Cause)") against doc,
// as https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
// documents. The function must yield a string.
func (f *frame) evalStrIntrinsic(fd strField, doc any) (string, *failure) {
	v, fl := fd.call.eval(&env{f: f, doc: doc})
	if fl != nil {
		return "", fl
	}
	s, ok := v.(string)
	if !ok {
		return "", runtimeFailure("The %s of the Fail state must yield a string, but it yielded %s", fd.field, typeName(v))
	}
	return s, nil
}
