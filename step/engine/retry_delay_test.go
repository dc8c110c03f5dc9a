package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sparta-go/sparta/step/engine"
)

var retryStart = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// run compiles def and runs it on a virtual clock; invoke runs its tasks.
func run(t *testing.T, def string, opts engine.Options) *engine.Result {
	t.Helper()
	p, err := engine.Compile([]byte(def))
	if err != nil {
		t.Fatalf("Compile(%s) = %v", def, err)
	}
	if opts.Clock == nil {
		opts.Clock = engine.NewVirtualClock(retryStart)
	}
	e, err := p.Start(context.Background(), json.RawMessage(`{}`), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	done := make(chan *engine.Result, 1)
	go func() { done <- e.Wait() }()
	select {
	case r := <-done:
		return r
	case <-time.After(20 * time.Second):
		t.Fatalf("execution did not finish")
	}
	return nil
}

// attempts runs a one-task machine whose task always fails with errName
// and returns the delays between its attempts, read on the virtual clock.
func attempts(t *testing.T, retry string, errName string, opts engine.Options) []time.Duration {
	t.Helper()
	clock := engine.NewVirtualClock(retryStart)
	var mu sync.Mutex
	var at []time.Time
	opts.Clock = clock
	opts.Invoke = func(context.Context, *engine.TaskRequest) (any, error) {
		mu.Lock()
		at = append(at, clock.Now())
		mu.Unlock()
		return nil, &engine.TaskError{Name: errName, Cause: "always"}
	}
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","Retry":` + retry + `,"End":true}}}`
	r := run(t, def, opts)
	if r.Status != engine.StatusFailed || r.Error != errName {
		t.Fatalf("Status, Error = %s, %q, want FAILED, %q", r.Status, r.Error, errName)
	}
	delays := []time.Duration{}
	for i := 1; i < len(at); i++ {
		delays = append(delays, at[i].Sub(at[i-1]))
	}
	return delays
}

func seconds(s ...float64) []time.Duration {
	out := []time.Duration{}
	for _, x := range s {
		out = append(out, time.Duration(x*float64(time.Second)))
	}
	return out
}

// TestRetryDelays measures the delay before each retry on the virtual
// clock: IntervalSeconds * BackoffRate^n, capped by MaxDelaySeconds, and
// with JitterStrategy FULL a fraction (Options.Rand) of that.
// See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error.
func TestRetryDelays(t *testing.T) {
	half := func() float64 { return 0.5 }
	tests := []struct {
		name  string
		retry string
		rand  func() float64
		want  []time.Duration
	}{
		{"defaults: 1s, rate 2.0, 3 attempts", `[{"ErrorEquals":["E"]}]`, nil, seconds(1, 2, 4)},
		{"interval 3, rate 2.0, 4 attempts", `[{"ErrorEquals":["E"],"IntervalSeconds":3,"MaxAttempts":4}]`, nil, seconds(3, 6, 12, 24)},
		{"rate 1.0 keeps the interval", `[{"ErrorEquals":["E"],"IntervalSeconds":2,"BackoffRate":1.0}]`, nil, seconds(2, 2, 2)},
		{"rate 1 as an integer", `[{"ErrorEquals":["E"],"IntervalSeconds":2,"BackoffRate":1}]`, nil, seconds(2, 2, 2)},
		{"rate 1.5", `[{"ErrorEquals":["E"],"IntervalSeconds":4,"BackoffRate":1.5}]`, nil, seconds(4, 6, 9)},
		{"rate 3, exponent from 0", `[{"ErrorEquals":["E"],"IntervalSeconds":1,"BackoffRate":3,"MaxAttempts":4}]`, nil, seconds(1, 3, 9, 27)},
		{"MaxDelaySeconds caps", `[{"ErrorEquals":["E"],"IntervalSeconds":2,"MaxAttempts":5,"MaxDelaySeconds":5}]`, nil, seconds(2, 4, 5, 5, 5)},
		{"MaxDelaySeconds equal to a delay", `[{"ErrorEquals":["E"],"IntervalSeconds":2,"MaxDelaySeconds":4}]`, nil, seconds(2, 4, 4)},
		{"MaxDelaySeconds below the interval", `[{"ErrorEquals":["E"],"IntervalSeconds":10,"MaxAttempts":2,"MaxDelaySeconds":3}]`, nil, seconds(3, 3)},
		{"MaxDelaySeconds one past the last delay", `[{"ErrorEquals":["E"],"IntervalSeconds":2,"MaxDelaySeconds":9}]`, nil, seconds(2, 4, 8)},
		{"MaxAttempts 0 never retries", `[{"ErrorEquals":["E"],"MaxAttempts":0}]`, nil, seconds()},
		{"MaxAttempts 1 retries once", `[{"ErrorEquals":["E"],"IntervalSeconds":7,"MaxAttempts":1}]`, nil, seconds(7)},
		{"JitterStrategy FULL scales each delay", `[{"ErrorEquals":["E"],"IntervalSeconds":4,"JitterStrategy":"FULL"}]`, half, seconds(2, 4, 8)},
		{"JitterStrategy FULL after the cap", `[{"ErrorEquals":["E"],"IntervalSeconds":4,"MaxDelaySeconds":6,"JitterStrategy":"FULL"}]`, half, seconds(2, 3, 3)},
		{"JitterStrategy NONE", `[{"ErrorEquals":["E"],"IntervalSeconds":4,"JitterStrategy":"NONE"}]`, half, seconds(4, 8, 16)},
		{"a retrier that does not match", `[{"ErrorEquals":["Other"],"IntervalSeconds":4}]`, nil, seconds()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := attempts(t, tt.retry, "E", engine.Options{Rand: tt.rand})
			if !slices.Equal(got, tt.want) {
				t.Errorf("Retry %s: delays %v, want %v", tt.retry, got, tt.want)
			}
		})
	}
}

// TestRetryOrder: only the first retrier whose ErrorEquals matches applies,
// even when its attempts are spent and a later one would match too. Both
// orders of the same two retriers.
// See https://states-language.net/spec.html#retrying-after-error.
func TestRetryOrder(t *testing.T) {
	const (
		specific = `{"ErrorEquals":["E"],"IntervalSeconds":1,"MaxAttempts":1}`
		general  = `{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":10,"MaxAttempts":2}`
	)
	tests := []struct {
		name  string
		retry string
		want  []time.Duration
	}{
		{"specific first", `[` + specific + `,` + general + `]`, seconds(1)},
		{"general first", `[` + general + `,` + specific + `]`, seconds(10, 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := attempts(t, tt.retry, "E", engine.Options{}); !slices.Equal(got, tt.want) {
				t.Errorf("Retry %s: delays %v, want %v", tt.retry, got, tt.want)
			}
		})
	}
}

// TestRetryCountsPerRetrier: each retrier counts its own attempts, so
// alternating errors use both budgets.
func TestRetryCountsPerRetrier(t *testing.T) {
	clock := engine.NewVirtualClock(retryStart)
	var calls []string
	names := []string{"A", "B", "A", "B", "A"}
	opts := engine.Options{Clock: clock, Invoke: func(_ context.Context, req *engine.TaskRequest) (any, error) {
		name := names[min(req.RetryCount, len(names)-1)]
		calls = append(calls, fmt.Sprintf("%s@%s", name, clock.Now().Sub(retryStart)))
		return nil, &engine.TaskError{Name: name}
	}}
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","End":true,"Retry":[
		{"ErrorEquals":["A"],"IntervalSeconds":1,"MaxAttempts":2,"BackoffRate":1},
		{"ErrorEquals":["B"],"IntervalSeconds":10,"MaxAttempts":1}]}}}`
	r := run(t, def, opts)
	want := []string{"A@0s", "B@1s", "A@11s", "B@12s"}
	if r.Error != "B" || !slices.Equal(calls, want) {
		t.Errorf("calls %v ending in %q, want %v ending in \"B\"", calls, r.Error, want)
	}
}

// TestRetryBoundsRejected: the retrier fields at their limits compile, one
// past them does not.
func TestRetryBoundsRejected(t *testing.T) {
	tests := []struct {
		name, field string
		ok          bool
	}{
		{"IntervalSeconds 1", `"IntervalSeconds":1`, true},
		{"IntervalSeconds 0", `"IntervalSeconds":0`, false},
		{"IntervalSeconds 99999999", `"IntervalSeconds":99999999`, true},
		{"IntervalSeconds 100000000", `"IntervalSeconds":100000000`, false},
		{"MaxAttempts 0", `"MaxAttempts":0`, true},
		{"MaxAttempts -1", `"MaxAttempts":-1`, false},
		{"MaxAttempts 99999999", `"MaxAttempts":99999999`, true},
		{"MaxAttempts 100000000", `"MaxAttempts":100000000`, false},
		{"BackoffRate 1.0", `"BackoffRate":1.0`, true},
		{"BackoffRate 0.99", `"BackoffRate":0.99`, false},
		{"MaxDelaySeconds 1", `"MaxDelaySeconds":1`, true},
		{"MaxDelaySeconds 0", `"MaxDelaySeconds":0`, false},
		{"MaxDelaySeconds 31622400", `"MaxDelaySeconds":31622400`, true},
		{"MaxDelaySeconds 31622401", `"MaxDelaySeconds":31622401`, false},
		{"JitterStrategy FULL", `"JitterStrategy":"FULL"`, true},
		{"JitterStrategy NONE", `"JitterStrategy":"NONE"`, true},
		{"JitterStrategy full", `"JitterStrategy":"full"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","End":true,"Retry":[{"ErrorEquals":["E"],` + tt.field + `}]}}}`
			_, err := engine.Compile([]byte(def))
			if (err == nil) != tt.ok {
				t.Errorf("Compile(Retry with %s) = %v, want ok = %v", tt.field, err, tt.ok)
			}
		})
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// jsonEq compares two JSON documents semantically.
func jsonEq(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("output %s is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s is not JSON: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("output %s, want %s", gb, wb)
	}
}
