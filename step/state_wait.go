package step

import "time"

// WaitState delays the machine for a duration or until a time, given in the
// definition or read from the input.
//
// See https://states-language.net/spec.html#wait-state.
type WaitState struct {
	stateCommon
	flow
	ioPaths
	assign        any
	seconds       any // int, json.Number or a JSONata string
	secondsPath   string
	timestamp     any // time.Time, or a JSONata string
	timestampPath string
}

// NewWaitDelayState declares a Wait state that waits for d, rounded down to
// whole seconds (Seconds).
func NewWaitDelayState(name string, d time.Duration) *WaitState {
	return &WaitState{stateCommon: stateCommon{name: name}, seconds: int(d / time.Second)}
}

// NewWaitUntilState declares a Wait state that waits until t (Timestamp),
// written in RFC 3339 form in UTC.
func NewWaitUntilState(name string, t time.Time) *WaitState {
	return &WaitState{stateCommon: stateCommon{name: name}, timestamp: t.UTC()}
}

// NewWaitDynamicState declares a Wait state that reads its delay from the
// input: a number of seconds at secondsPath (SecondsPath).
func NewWaitDynamicState(name, secondsPath string) *WaitState {
	return &WaitState{stateCommon: stateCommon{name: name}, secondsPath: secondsPath}
}

// NewWaitDynamicUntilState declares a Wait state that waits until the
// RFC 3339 timestamp at timestampPath (TimestampPath).
func NewWaitDynamicUntilState(name, timestampPath string) *WaitState {
	return &WaitState{stateCommon: stateCommon{name: name}, timestampPath: timestampPath}
}

// NewWaitExpressionState declares a JSONata Wait state whose Seconds is the
// expression, such as "{% $states.input.delay %}".
func NewWaitExpressionState(name, expression string) *WaitState {
	return &WaitState{stateCommon: stateCommon{name: name}, seconds: expression}
}

// Type returns TypeWait.
func (*WaitState) Type() StateType { return TypeWait }

// MarshalJSON writes the state's ASL object.
func (w *WaitState) MarshalJSON() ([]byte, error) { return marshalState(w) }
