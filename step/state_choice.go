package step

// ChoiceState branches: it goes to the Next of the first rule that matches
// its input, or to Default. A Choice state has no Next or End of its own.
//
// See https://states-language.net/spec.html#choice-state.
type ChoiceState struct {
	stateCommon
	ioPaths
	assign       any
	choices      []*ChoiceRule
	defaultState State
}

// NewChoiceState declares a Choice state with rules, tried in order.
func NewChoiceState(name string, rules ...ChoiceBranch) *ChoiceState {
	c := &ChoiceState{stateCommon: stateCommon{name: name}}
	return c.WithChoices(rules...)
}

// WithChoices appends rules.
func (c *ChoiceState) WithChoices(rules ...ChoiceBranch) *ChoiceState {
	for _, r := range rules {
		if r != nil {
			c.choices = append(c.choices, r.choiceRule())
		}
	}
	c.touch()
	return c
}

// WithDefault sets the state to go to when no rule matches (Default).
// Without one, the execution fails with States.NoChoiceMatched.
func (c *ChoiceState) WithDefault(s State) *ChoiceState { c.defaultState = s; c.touch(); return c }

// Choices returns the rules.
func (c *ChoiceState) Choices() []*ChoiceRule { return c.choices }

// Default returns the Default state, or nil.
func (c *ChoiceState) Default() State { return c.defaultState }

// Type returns TypeChoice.
func (*ChoiceState) Type() StateType { return TypeChoice }

// MarshalJSON writes the state's ASL object.
func (c *ChoiceState) MarshalJSON() ([]byte, error) { return marshalState(c) }
