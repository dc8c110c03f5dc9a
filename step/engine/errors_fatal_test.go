package engine_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/sparta-go/sparta/step/engine"
)

// A task that fails with States.Runtime fails the execution even under a
// States.ALL retrier and catcher, as AWS documents ("A retry or catch on
// States.ALL won't catch States.Runtime errors").
func TestTaskStatesRuntimeIsNotCaught(t *testing.T) {
	def := `{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:x","End":true,
			"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3,"IntervalSeconds":1}],
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]},
		"Caught":{"Type":"Succeed"}}}`
	p, err := engine.Compile([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	run, err := p.Start(context.Background(), json.RawMessage(`{}`), engine.Options{
		Clock: engine.NewVirtualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		Invoke: func(context.Context, *engine.TaskRequest) (any, error) {
			calls++
			return nil, &engine.TaskError{Name: "States.Runtime", Cause: "resource not supported here"}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Wait()
	if res.Status != engine.StatusFailed || res.Error != "States.Runtime" || calls != 1 {
		t.Fatalf("result = %s %s after %d calls, want FAILED States.Runtime after 1 call", res.Status, res.Error, calls)
	}
}
