package step

// SucceedState stops the machine, or its branch, successfully.
//
// See https://states-language.net/spec.html#succeed-state.
type SucceedState struct {
	stateCommon
	ioPaths
}

// NewSuccessState declares a Succeed state (the name follows Sparta).
func NewSuccessState(name string) *SucceedState {
	return &SucceedState{stateCommon: stateCommon{name: name}}
}

// NewSucceedState declares a Succeed state.
func NewSucceedState(name string) *SucceedState { return NewSuccessState(name) }

// Type returns TypeSucceed.
func (*SucceedState) Type() StateType { return TypeSucceed }

// MarshalJSON writes the state's ASL object.
func (s *SucceedState) MarshalJSON() ([]byte, error) { return marshalState(s) }

// FailState stops the machine with an error name and a cause.
//
// See https://states-language.net/spec.html#fail-state.
type FailState struct {
	stateCommon
	errorName string
	errorPath string
	cause     string
	causePath string
}

// NewFailState declares a Fail state that fails with the error name
// errorName (Error) and the human-readable cause (Cause). Either may be
// empty; under JSONata either may be an expression.
func NewFailState(name, errorName, cause string) *FailState {
	return &FailState{stateCommon: stateCommon{name: name}, errorName: errorName, cause: cause}
}

// WithErrorPath reads the error name from the input (ErrorPath) instead.
func (f *FailState) WithErrorPath(path string) *FailState {
	f.errorName, f.errorPath = "", path
	f.touch()
	return f
}

// WithCausePath reads the cause from the input (CausePath) instead; the path
// may also be an intrinsic function such as States.Format.
func (f *FailState) WithCausePath(path string) *FailState {
	f.cause, f.causePath = "", path
	f.touch()
	return f
}

// Type returns TypeFail.
func (*FailState) Type() StateType { return TypeFail }

// MarshalJSON writes the state's ASL object.
func (f *FailState) MarshalJSON() ([]byte, error) { return marshalState(f) }
