package step

// PassState passes its input to its output, optionally injecting a fixed
// Result or reshaping the data with Parameters.
//
// See https://states-language.net/spec.html#pass-state.
type PassState struct {
	stateCommon
	flow
	ioPaths
	resultFields
	assign any
	result any
}

// NewPassState declares a Pass state. Sparta's second argument, the
// state's Result, may be given: NewPassState(name, result) is
// NewPassState(name).WithResult(result); a nil result sets none.
func NewPassState(name string, result ...any) *PassState {
	p := &PassState{stateCommon: stateCommon{name: name}}
	if len(result) > 0 {
		p.result = result[0]
	}
	return p
}

// WithResult sets the Result the state outputs instead of its input
// (placed at ResultPath).
func (p *PassState) WithResult(result any) *PassState { p.result = result; p.touch(); return p }

// Type returns TypePass.
func (*PassState) Type() StateType { return TypePass }

// MarshalJSON writes the state's ASL object.
func (p *PassState) MarshalJSON() ([]byte, error) { return marshalState(p) }
