package engine

// terminal reports a machine, branch or item processor without a terminal
// state (a Succeed or Fail state, or one with "End": true), which
// CreateStateMachine rejects as MISSING_END_STATE (recorded AWS behaviour).
func (c *compiler) terminal(m *machine, o *object, where string) {
	if len(m.states) == 0 {
		return
	}
	for _, s := range m.states {
		if s.end || s.kind == kindSucceed || s.kind == kindFail {
			return
		}
	}
	o.errorf("States", "MISSING_END_STATE: %s has no terminal state (a Succeed or Fail state, or one with \"End\": true)", where)
}
