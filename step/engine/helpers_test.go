package engine

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// execute compiles def, runs it on input with a virtual clock and returns
// the result.
func execute(t testing.TB, def, input string, opts Options) *Result {
	t.Helper()
	p, err := Compile([]byte(def))
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	if opts.Clock == nil {
		opts.Clock = NewVirtualClock(testStart)
	}
	e, err := p.Start(context.Background(), json.RawMessage(input), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	done := make(chan *Result, 1)
	go func() { done <- e.Wait() }()
	select {
	case r := <-done:
		return r
	case <-time.After(20 * time.Second):
		t.Fatalf("execution did not finish")
	}
	return nil
}

// jsonEqual compares two JSON documents semantically.
func jsonEqual(t testing.TB, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("output %s is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s is not JSON: %v", want, err)
	}
	if d := cmp.Diff(w, g); d != "" {
		t.Errorf("output mismatch (-want +got):\n%s\ngot: %s", d, got)
	}
}

// handlers routes Invoke by resource to simple functions for tests.
func handlers(m map[string]func(ctx context.Context, in any) (any, error)) func(context.Context, *TaskRequest) (any, error) {
	return func(ctx context.Context, req *TaskRequest) (any, error) {
		h, ok := m[req.Resource]
		if !ok {
			return nil, &TaskError{Name: "NoHandler", Cause: req.Resource}
		}
		return h(ctx, req.Input)
	}
}

// testStart is the virtual clock's reading when a test execution starts.
var testStart = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
