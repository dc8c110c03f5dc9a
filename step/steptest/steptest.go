//go:build !lambdabinary

package steptest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step"
)

// Case is one execution and what it must produce. Zero fields are not
// checked, except Status, which defaults to SUCCEEDED.
type Case struct {
	// Input is JSON text, json.RawMessage, or any JSON-marshalable value.
	Input any
	// Status is the expected final status (default SUCCEEDED).
	Status string
	// Output is the expected output as JSON, compared semantically.
	Output string
	// Path is the expected list of top-level states entered.
	Path []string
	// Error and Cause are the expected failure, for FAILED executions.
	Error, Cause string
	// Retries maps states to how many times each must have been retried
	// (see the Retries function); "state X was retried twice" is
	// Retries: map[string]int{"X": 2}.
	Retries map[string]int
	// Aborted lists states that must have been cut short by a failing
	// sibling branch or iteration (TaskStateAborted and the like).
	Aborted []string
	// History is the expected history, event for event, in the form of
	// Events: "id previousEventId Type [name]".
	History []string
	// Data is the in-memory DynamoDB tables and SQS queues the run's
	// DynamoDB and SQS tasks use (step.WithOfflineData); nil gives the run
	// empty data of its own. Read it after Run to check what was stored
	// and sent.
	Data *step.OfflineData
	// Callbacks plays the consumer of the run's ".waitForTaskToken" tasks
	// (step.WithCallbacks): it receives each task's token and message and
	// answers with Success or Failure, heartbeats, or lets virtual time
	// pass with Advance. Succeed and Fail build the common ones. Nil leaves
	// every callback task unanswered: it times out at its HeartbeatSeconds
	// or TimeoutSeconds on the virtual clock.
	Callbacks func(*step.CallbackTask)
	// Options are passed to Execute; WithVirtualClock is always added so
	// that Wait states cost no test time.
	Options []step.ExecuteOption
}

// Run executes sm with c.Input and reports every mismatch with t.Errorf. It
// returns the execution for further checks.
func Run(t testing.TB, sm *step.StateMachine, c Case) *step.Execution {
	t.Helper()
	input := c.Input
	if s, ok := input.(string); ok {
		input = json.RawMessage(s)
	}
	opts := []step.ExecuteOption{step.WithVirtualClock()}
	if c.Data != nil {
		opts = append(opts, step.WithOfflineData(c.Data))
	}
	if c.Callbacks != nil {
		opts = append(opts, step.WithCallbacks(c.Callbacks))
	}
	exec, err := sm.Execute(context.Background(), input, append(opts, c.Options...)...)
	if err != nil {
		t.Fatalf("Execute(%s): %v", sm.Name(), err)
		return nil
	}
	want := c.Status
	if want == "" {
		want = step.StatusSucceeded
	}
	if exec.Status != want {
		t.Errorf("Execute(%s).Status = %s (Error %q, Cause %q), want %s", sm.Name(), exec.Status, exec.Error, exec.Cause, want)
	}
	if c.Path != nil {
		if diff := cmp.Diff(c.Path, exec.Path); diff != "" {
			t.Errorf("Execute(%s).Path (-want +got):\n%s", sm.Name(), diff)
		}
	}
	if c.Output != "" {
		var got, wantOut any
		if err := json.Unmarshal([]byte(c.Output), &wantOut); err != nil {
			t.Fatalf("Case.Output is not JSON: %v", err)
		}
		if err := json.Unmarshal(exec.Output, &got); err != nil {
			t.Errorf("Execute(%s).Output = %q, not JSON: %v", sm.Name(), exec.Output, err)
		} else if diff := cmp.Diff(wantOut, got); diff != "" {
			t.Errorf("Execute(%s).Output (-want +got):\n%s", sm.Name(), diff)
		}
	}
	if c.Error != "" && exec.Error != c.Error {
		t.Errorf("Execute(%s).Error = %q, want %q", sm.Name(), exec.Error, c.Error)
	}
	if c.Cause != "" && exec.Cause != c.Cause {
		t.Errorf("Execute(%s).Cause = %q, want %q", sm.Name(), exec.Cause, c.Cause)
	}
	for state, want := range c.Retries {
		if got := Retries(exec, state); got != want {
			t.Errorf("Execute(%s): state %q was retried %d times, want %d", sm.Name(), state, got, want)
		}
	}
	for _, state := range c.Aborted {
		if !Aborted(exec, state) {
			t.Errorf("Execute(%s): state %q was not aborted", sm.Name(), state)
		}
	}
	if c.History != nil {
		if diff := cmp.Diff(c.History, Events(exec)); diff != "" {
			t.Errorf("Execute(%s) history (-want +got):\n%s", sm.Name(), diff)
		}
	}
	return exec
}
