package step

// Accessors for tools that draw or explain a machine (the describe
// package): they expose what a state already holds, read-only, so that a
// renderer needs neither the ASL JSON nor reflection.

// Retriers returns the Retry policies of a Task, Parallel or Map state, in
// the order they are tried.
//
// See https://states-language.net/spec.html#retrying-after-error.
func (e *errorHandling) Retriers() []Retrier { return e.retry }

// Catchers returns the Catch fallbacks of a Task, Parallel or Map state, in
// the order they are tried.
//
// See https://states-language.net/spec.html#fallback-states.
func (e *errorHandling) Catchers() []Catcher { return e.catch }

// ComparisonOperands returns the Variable, the ASL operator name (such as
// "NumericGreaterThan") and the Value of an operator comparison. ok is false
// for And, Or, Not and Condition, which have no operands of their own.
//
// See https://states-language.net/spec.html#choice-state.
func ComparisonOperands(c Comparison) (variable, operator string, value any, ok bool) {
	l, isLeaf := c.(leafComparison)
	if !isLeaf || isNil(c) {
		return "", "", nil, false
	}
	variable, operator, value = l.leaf()
	return variable, operator, value, true
}
