//go:build !lambdabinary

package steptest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step"
	"github.com/sparta-go/sparta/step/steptest"
)

func fromJSON(t *testing.T, def string) *step.StateMachine {
	t.Helper()
	sm, err := step.FromJSON([]byte(def))
	if err != nil {
		t.Fatalf("FromJSON: %v", err)
	}
	return sm
}

// "State X was retried twice" and "branch 2 was aborted", read from the
// history as AWS records it.
func TestHistoryAssertions(t *testing.T) {
	sm := fromJSON(t, `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
	  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
	  "Branches":[
	    {"StartAt":"Flaky","States":{"Flaky":{"Type":"Task","Resource":"flaky","End":true,
	      "Retry":[{"ErrorEquals":["Flake"],"IntervalSeconds":1,"MaxAttempts":3}]}}},
	    {"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"slow","End":true}}}]},
	  "Caught":{"Type":"Pass","End":true}}}`)
	calls := 0
	started := make(chan struct{})
	opts := []step.ExecuteOption{
		step.WithTaskHandler("flaky", func(ctx context.Context, _ json.RawMessage) (json.RawMessage, error) {
			calls++
			if calls == 1 {
				<-started
			}
			if calls < 3 {
				return nil, step.NewTaskError("Flake", "try again")
			}
			return nil, step.NewTaskError("Broken", "gave up")
		}),
		step.WithTaskHandler("slow", func(ctx context.Context, _ json.RawMessage) (json.RawMessage, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		}),
	}
	exec := steptest.Run(t, sm, steptest.Case{
		Path:    []string{"P", "Caught"},
		Retries: map[string]int{"Flaky": 2, "Slow": 0, "P": 0},
		Aborted: []string{"Slow"},
		Options: opts,
	})
	if steptest.Aborted(exec, "Flaky") || steptest.Entered(exec, "Flaky") != 1 {
		t.Errorf("Flaky aborted %v, entered %d", steptest.Aborted(exec, "Flaky"), steptest.Entered(exec, "Flaky"))
	}
	r := &recorder{TB: t}
	calls = 0
	started = make(chan struct{})
	steptest.Run(r, sm, steptest.Case{Retries: map[string]int{"Flaky": 1}, Aborted: []string{"Flaky"}, Options: opts})
	joined := strings.Join(r.errors, "\n")
	for _, want := range []string{`state "Flaky" was retried 2 times, want 1`, `state "Flaky" was not aborted`} {
		if !strings.Contains(joined, want) {
			t.Errorf("Run reported %q, want %q", joined, want)
		}
	}
}

// Case.History compares the whole history with AWS's links: the first
// state's entered event links to 0.
func TestHistoryEvents(t *testing.T) {
	steptest.Run(t, machine(), steptest.Case{
		Input: `{"a": 1}`,
		History: []string{
			"1 0 ExecutionStarted",
			"2 0 PassStateEntered add",
			"3 2 PassStateExited add",
			"4 3 SucceedStateEntered done",
			"5 4 SucceedStateExited done",
			"6 5 ExecutionSucceeded",
		},
	})
}
