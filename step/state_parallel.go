package step

// ParallelState runs its branches concurrently on the same input; its result
// is the array of the branches' outputs, in order.
//
// See https://states-language.net/spec.html#parallel-state.
type ParallelState struct {
	stateCommon
	flow
	ioPaths
	resultFields
	errorHandling
	assign    any
	arguments any
	branches  []*Branch
}

// NewParallelState declares a Parallel state running branches. A branch's
// states may transition only within the branch.
func NewParallelState(name string, branches ...*Branch) *ParallelState {
	return &ParallelState{stateCommon: stateCommon{name: name}, branches: branches}
}

// WithBranches appends branches.
func (p *ParallelState) WithBranches(branches ...*Branch) *ParallelState {
	p.branches = append(p.branches, branches...)
	p.touch()
	return p
}

// WithArguments sets the JSONata Arguments: the input each branch receives.
func (p *ParallelState) WithArguments(arguments any) *ParallelState {
	p.arguments = arguments
	p.touch()
	return p
}

// Branches returns the branches.
func (p *ParallelState) Branches() []*Branch { return p.branches }

// Type returns TypeParallel.
func (*ParallelState) Type() StateType { return TypeParallel }

// MarshalJSON writes the state's ASL object.
func (p *ParallelState) MarshalJSON() ([]byte, error) { return marshalState(p) }
