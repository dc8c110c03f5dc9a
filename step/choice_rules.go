package step

//go:generate go run gen.go

// Comparison is a Boolean expression of a Choice rule: one of the operator
// types (StringEquals, NumericGreaterThanPath, IsPresent, ... one per ASL
// comparison operator, each with a Variable and a Value), the combinators
// And, Or and Not, or a JSONata Condition.
//
// See https://states-language.net/spec.html#choice-state.
type Comparison interface {
	isComparison()
}

// leafComparison is an operator type: its Variable, operator name and Value.
type leafComparison interface {
	Comparison
	leaf() (variable, operator string, value any)
}

// valueKind is the JSON type an operator's Value must have.
type valueKind int

const (
	kindString valueKind = iota
	kindPath
	kindNumber
	kindTimestamp
	kindBool
)

// ChoiceBranch is a top-level Choice rule: a comparison and the state to go
// to when it is true. *ChoiceRule is the general form (see When); *Not,
// *And and *Or with their Next field set are branches too, as in Sparta.
type ChoiceBranch interface {
	choiceRule() *ChoiceRule
}

// ChoiceRule is a top-level Choice rule.
//
// See https://states-language.net/spec.html#choice-state.
type ChoiceRule struct {
	// Comparison decides whether the rule matches.
	Comparison Comparison
	// Next is the state to go to when it does.
	Next State
	// Comment documents the rule.
	Comment string
	// Assign stores variables when the rule matches.
	Assign map[string]any
	// Output is the JSONata output of the Choice state when the rule
	// matches.
	Output any

	revision
}

// When returns the rule "if cmp, go to next".
func When(cmp Comparison, next State) *ChoiceRule {
	return &ChoiceRule{Comparison: cmp, Next: next}
}

func (r *ChoiceRule) choiceRule() *ChoiceRule { return r }

// WithComment sets the rule's Comment.
func (r *ChoiceRule) WithComment(comment string) *ChoiceRule {
	r.Comment = comment
	r.touch()
	return r
}

// WithAssign stores variables when the rule matches.
func (r *ChoiceRule) WithAssign(variables map[string]any) *ChoiceRule {
	r.Assign = variables
	r.touch()
	return r
}

// WithOutput sets the JSONata Output used when the rule matches.
func (r *ChoiceRule) WithOutput(output any) *ChoiceRule { r.Output = output; r.touch(); return r }

// And is true when every comparison is.
type And struct {
	Comparison []Comparison
	// Next is set only when And is a top-level rule.
	Next State
}

// Or is true when any comparison is.
type Or struct {
	Comparison []Comparison
	// Next is set only when Or is a top-level rule.
	Next State
}

// Not is true when its comparison is false.
type Not struct {
	Comparison Comparison
	// Next is set only when Not is a top-level rule.
	Next State
}

// Condition is a JSONata Choice rule: an expression in "{% ... %}" that
// evaluates to a Boolean. Only JSONata states use it, and only at the top
// level.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html.
type Condition string

// The combinators as top-level rules: the comparison without Next, and Next.
func (a *And) choiceRule() *ChoiceRule {
	return &ChoiceRule{Comparison: &And{Comparison: a.Comparison}, Next: a.Next}
}

func (o *Or) choiceRule() *ChoiceRule {
	return &ChoiceRule{Comparison: &Or{Comparison: o.Comparison}, Next: o.Next}
}

func (n *Not) choiceRule() *ChoiceRule {
	return &ChoiceRule{Comparison: &Not{Comparison: n.Comparison}, Next: n.Next}
}

func (*And) isComparison()      {}
func (*Or) isComparison()       {}
func (*Not) isComparison()      {}
func (Condition) isComparison() {}
