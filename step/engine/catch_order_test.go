package engine_test

import (
	"context"
	"testing"

	"github.com/sparta-go/sparta/step/engine"
)

// failWith is a task that always fails with the error name.
func failWith(name string) func(context.Context, *engine.TaskRequest) (any, error) {
	return func(context.Context, *engine.TaskRequest) (any, error) {
		return nil, &engine.TaskError{Name: name, Cause: "c"}
	}
}

// caughtBy runs a task failing with errName under catch and returns the
// Error of the Fail state the matching catcher leads to ("" when the
// execution failed uncaught).
func caughtBy(t *testing.T, catch, errName string) (caught string, r *engine.Result) {
	t.Helper()
	// Two catchers for names never raised keep A and B reachable whatever
	// catch names; they come first and match nothing.
	catch = `[{"ErrorEquals":["Never.A"],"Next":"A"},{"ErrorEquals":["Never.B"],"Next":"B"},` + catch[1:]
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","End":true,"Catch":` + catch + `},
		"A":{"Type":"Fail","Error":"Caught.A"},"B":{"Type":"Fail","Error":"Caught.B"}}}`
	r = run(t, def, engine.Options{Invoke: failWith(errName)})
	if len(r.Error) > len("Caught.") && r.Error[:len("Caught.")] == "Caught." {
		return r.Error[len("Caught."):], r
	}
	return "", r
}

// TestErrorNameMatching: States.TaskFailed matches every error but the two
// timeouts; States.Timeout also matches States.HeartbeatTimeout; States.ALL
// matches all of them.
// See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation.
func TestErrorNameMatching(t *testing.T) {
	const taskFailedThenAll = `[{"ErrorEquals":["States.TaskFailed"],"Next":"A"},{"ErrorEquals":["States.ALL"],"Next":"B"}]`
	const timeoutThenAll = `[{"ErrorEquals":["States.Timeout"],"Next":"A"},{"ErrorEquals":["States.ALL"],"Next":"B"}]`
	const heartbeatThenAll = `[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"A"},{"ErrorEquals":["States.ALL"],"Next":"B"}]`
	tests := []struct {
		name, catch, err, want string
	}{
		{"TaskFailed matches a custom error", taskFailedThenAll, "Custom", "A"},
		{"TaskFailed matches itself", taskFailedThenAll, engine.ErrTaskFailed, "A"},
		{"TaskFailed matches States.Permissions", taskFailedThenAll, engine.ErrPermissions, "A"},
		{"TaskFailed does not match States.Timeout", taskFailedThenAll, engine.ErrTimeout, "B"},
		{"TaskFailed does not match States.HeartbeatTimeout", taskFailedThenAll, engine.ErrHeartbeatTimeout, "B"},
		{"Timeout matches itself", timeoutThenAll, engine.ErrTimeout, "A"},
		{"Timeout matches States.HeartbeatTimeout", timeoutThenAll, engine.ErrHeartbeatTimeout, "A"},
		{"Timeout does not match a custom error", timeoutThenAll, "Custom", "B"},
		{"Timeout does not match States.TaskFailed", timeoutThenAll, engine.ErrTaskFailed, "B"},
		{"HeartbeatTimeout matches itself", heartbeatThenAll, engine.ErrHeartbeatTimeout, "A"},
		{"HeartbeatTimeout does not match States.Timeout", heartbeatThenAll, engine.ErrTimeout, "B"},
		{"names are case-sensitive", `[{"ErrorEquals":["custom"],"Next":"A"},{"ErrorEquals":["States.ALL"],"Next":"B"}]`, "Custom", "B"},
		{"any name of the list", `[{"ErrorEquals":["X","Custom"],"Next":"A"}]`, "Custom", "A"},
		{"no catcher matches", `[{"ErrorEquals":["X"],"Next":"A"}]`, "Custom", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, r := caughtBy(t, tt.catch, tt.err)
			if got != tt.want {
				t.Errorf("%s under Catch %s: caught by %q (%s %s), want %q", tt.err, tt.catch, got, r.Status, r.Error, tt.want)
			}
			if tt.want == "" && r.Error != tt.err {
				t.Errorf("uncaught %s: Error = %q, want %q", tt.err, r.Error, tt.err)
			}
		})
	}
}

// TestHeartbeatTimeoutIsNotTaskFailed runs a real heartbeat timeout (one
// second of real time: heartbeats are not virtual) under a Catch whose
// first catcher is States.TaskFailed.
func TestHeartbeatTimeoutIsNotTaskFailed(t *testing.T) {
	const resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + resource + `","HeartbeatSeconds":1,"End":true,
		"Parameters":{"Token.$":"$$.Task.Token"},
		"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"A"},{"ErrorEquals":["States.ALL"],"Next":"B"}]},
		"A":{"Type":"Fail","Error":"Caught.A"},"B":{"Type":"Pass","End":true}}}`
	r := run(t, def, engine.Options{Invoke: func(context.Context, *engine.TaskRequest) (any, error) { return nil, nil }})
	if r.Status != engine.StatusSucceeded {
		t.Fatalf("Status, Error = %s, %q, want SUCCEEDED through the States.ALL catcher", r.Status, r.Error)
	}
	var out map[string]any
	_ = jsonUnmarshal(r.Output, &out)
	if out["Error"] != engine.ErrHeartbeatTimeout {
		t.Errorf("error output %s, want Error %s", r.Output, engine.ErrHeartbeatTimeout)
	}
}

// TestCatchOrder: the first catcher whose ErrorEquals matches wins, in
// both orders of the same two catchers.
// See https://states-language.net/spec.html#fallback-states.
func TestCatchOrder(t *testing.T) {
	const (
		specific = `{"ErrorEquals":["Custom"],"Next":"A"}`
		general  = `{"ErrorEquals":["States.TaskFailed"],"Next":"B"}`
	)
	tests := []struct{ name, catch, want string }{
		{"specific first", `[` + specific + `,` + general + `]`, "A"},
		{"general first", `[` + general + `,` + specific + `]`, "B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, r := caughtBy(t, tt.catch, "Custom"); got != tt.want {
				t.Errorf("Catch %s: caught by %q (%s), want %q", tt.catch, got, r.Error, tt.want)
			}
		})
	}
}

// TestRetryBeforeCatch: the retriers run first; the catcher sees the error
// only when they are spent, and then the state's input, not a retry's.
func TestRetryBeforeCatch(t *testing.T) {
	calls := 0
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","End":true,
		"Retry":[{"ErrorEquals":["Custom"],"MaxAttempts":2}],
		"Catch":[{"ErrorEquals":["Custom"],"ResultPath":"$.error","Next":"A"}]},
		"A":{"Type":"Pass","End":true}}}`
	r := run(t, def, engine.Options{Invoke: func(context.Context, *engine.TaskRequest) (any, error) {
		calls++
		return nil, &engine.TaskError{Name: "Custom", Cause: "c"}
	}})
	if r.Status != engine.StatusSucceeded || calls != 3 {
		t.Fatalf("Status %s after %d calls, want SUCCEEDED after 3", r.Status, calls)
	}
	jsonEq(t, r.Output, `{"error":{"Error":"Custom","Cause":"c"}}`)
}

// TestCatcherResultPathFailureIsNotCaughtAgain: a catcher whose ResultPath
// cannot be applied fails the state with States.ResultPathMatchFailure;
// no enclosing Parallel or Map catches that failure again, and neither does
// a later catcher of the same state.
func TestCatcherResultPathFailureIsNotCaughtAgain(t *testing.T) {
	// $.a is a string, so ResultPath $.a.b cannot be placed.
	inner := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","End":true,
		"Catch":[{"ErrorEquals":["Custom"],"ResultPath":"$.a.b","Next":"Ok"},{"ErrorEquals":["States.ALL"],"Next":"Ok"}]},
		"Ok":{"Type":"Succeed"}}}`
	tests := []struct {
		name, def string
	}{
		{"top level", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":"s"},"Next":"T"},` +
			`"T":{"Type":"Task","Resource":"t","End":true,"Catch":[{"ErrorEquals":["Custom"],"ResultPath":"$.a.b","Next":"Ok"},{"ErrorEquals":["States.ALL"],"Next":"Ok"}]},"Ok":{"Type":"Succeed"}}}`},
		{"inside Parallel", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":"s"},"Next":"Par"},
			"Par":{"Type":"Parallel","Branches":[` + inner + `],"End":true,
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]},
			"Caught":{"Type":"Fail","Error":"Caught.Parallel"}}}`},
		{"inside Map", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":[{"a":"s"}],"Next":"M"},
			"M":{"Type":"Map","ItemProcessor":` + inner + `,"End":true,
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]},
			"Caught":{"Type":"Fail","Error":"Caught.Map"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.def, engine.Options{Invoke: failWith("Custom")})
			if r.Status != engine.StatusFailed || r.Error != engine.ErrResultPathMatchFailure {
				t.Errorf("Status, Error = %s, %q (%s), want FAILED, %s", r.Status, r.Error, r.Cause, engine.ErrResultPathMatchFailure)
			}
		})
	}
}
