package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPredefinedErrors makes the engine raise every predefined error of the
// Amazon States Language at least once, and checks that States.ALL catches
// what it should.
func TestPredefinedErrors(t *testing.T) {
	slow := func(ctx context.Context, in any) (any, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(5 * time.Second):
			return "late", nil
		}
	}
	tests := []struct {
		name  string
		def   string
		input string
		tasks map[string]func(context.Context, any) (any, error)
		want  string
	}{
		{
			name:  "States.ALL catches a custom error",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},"F":{"Type":"Fail","Error":"Caught.ByALL"}}}`,
			tasks: map[string]func(context.Context, any) (any, error){"t": func(context.Context, any) (any, error) { return nil, errors.New("plain") }},
			want:  "Caught.ByALL",
		},
		{
			name:  "States.TaskFailed for an error without a name",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","End":true}}}`,
			tasks: map[string]func(context.Context, any) (any, error){"t": func(context.Context, any) (any, error) { return nil, errors.New("plain") }},
			want:  ErrTaskFailed,
		},
		{
			name:  "States.TaskFailed for a panic",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","End":true}}}`,
			tasks: map[string]func(context.Context, any) (any, error){"t": func(context.Context, any) (any, error) { panic("boom") }},
			want:  ErrTaskFailed,
		},
		{
			name:  "States.Timeout for TimeoutSeconds",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","TimeoutSeconds":1,"End":true}}}`,
			tasks: map[string]func(context.Context, any) (any, error){"t": slow},
			want:  ErrTimeout,
		},
		{
			name:  "States.Timeout for TimeoutSecondsPath with a handler that ignores its context",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","TimeoutSecondsPath":"$.t","End":true}}}`,
			input: `{"t":1}`,
			tasks: map[string]func(context.Context, any) (any, error){"t": func(context.Context, any) (any, error) { time.Sleep(3 * time.Second); return 1, nil }},
			want:  ErrTimeout,
		},
		{
			name:  "States.HeartbeatTimeout for a callback without heartbeats",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","HeartbeatSeconds":1,"End":true}}}`,
			tasks: map[string]func(context.Context, any) (any, error){"arn:aws:states:::sqs:sendMessage.waitForTaskToken": func(context.Context, any) (any, error) { return nil, nil }},
			want:  ErrHeartbeatTimeout,
		},
		{
			name: "States.Runtime for an InputPath that selects nothing",
			def:  `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}`,
			want: ErrRuntime,
		},
		{
			name: "States.Runtime is not caught by States.ALL",
			def:  `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","InputPath":"$.missing","Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},"F":{"Type":"Succeed"}}}`,
			want: ErrRuntime,
		},
		{
			name: "States.NoChoiceMatched",
			def:  `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"S"}]},"S":{"Type":"Succeed"}}}`,
			want: ErrNoChoiceMatched,
		},
		{
			name:  "States.IntrinsicFailure",
			def:   `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"States.ArrayGetItem($.a, 5)"},"End":true}}}`,
			input: `{"a":[1]}`,
			want:  ErrIntrinsicFailure,
		},
		{
			name:  "States.ResultPathMatchFailure",
			def:   `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}}}`,
			input: `{"a":"a string"}`,
			want:  ErrResultPathMatchFailure,
		},
		{
			name:  "States.ResultPathMatchFailure can be caught",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","ResultPath":"$[0]","Catch":[{"ErrorEquals":["States.ResultPathMatchFailure"],"Next":"F"}],"End":true},"F":{"Type":"Fail","Error":"Caught.ResultPathMatchFailure"}}}`,
			tasks: map[string]func(context.Context, any) (any, error){"t": func(context.Context, any) (any, error) { return 1, nil }},
			want:  "Caught.ResultPathMatchFailure",
		},
		{
			name:  "States.ParameterPathFailure",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","Parameters":{"x.$":"$.missing"},"End":true}}}`,
			tasks: map[string]func(context.Context, any) (any, error){"t": func(context.Context, any) (any, error) { return 1, nil }},
			want:  ErrParameterPathFailure,
		},
		{
			// A Pass state's Parameters fail with States.Runtime instead
			// (recorded AWS behaviour, 2025).
			name: "States.Runtime for a missing path in a Pass state's Parameters",
			def:  `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}}}`,
			want: ErrRuntime,
		},
		{
			name: "States.BranchFailed for a branch failing without an error name",
			def:  `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail"}}}],"End":true}}}`,
			want: ErrBranchFailed,
		},
		{
			name:  "States.ExceedToleratedFailureThreshold",
			def:   `{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":0,"ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}},"End":true}}}`,
			input: `[1]`,
			want:  ErrExceedToleratedFailureThreshold,
		},
		{
			name: "States.QueryEvaluationError for a non-boolean Condition",
			def:  `{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":"{% 1 %}","Next":"S"}]},"S":{"Type":"Succeed"}}}`,
			want: ErrQueryEvaluationError,
		},
		{
			name: "States.QueryEvaluationError for Items that are not an array",
			def:  `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% 'x' %}","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`,
			want: ErrQueryEvaluationError,
		},
		{
			name: "States.QueryEvaluationError for undefined",
			def:  `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input.nope %}","End":true}}}`,
			want: ErrQueryEvaluationError,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := tc.input
			if in == "" {
				in = "{}"
			}
			r := execute(t, tc.def, in, Options{Invoke: handlers(tc.tasks)})
			if r.Status != StatusFailed || r.Error != tc.want {
				t.Errorf("Status, Error = %s, %q (%s), want FAILED, %q", r.Status, r.Error, r.Cause, tc.want)
			}
		})
	}
}

// TestItemReaderRefused: without ItemReader support, States.ItemReaderFailed
// can never be raised, so the engine refuses ItemReader when compiling.
func TestItemReaderRefused(t *testing.T) {
	_, err := Compile([]byte(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject"},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`))
	var ce *CompileError
	if !errors.As(err, &ce) || ce.State != "M" || ce.Field != "ItemReader" {
		t.Fatalf("Compile = %v, want a CompileError for M.ItemReader", err)
	}
}

func TestMaxTransitions(t *testing.T) {
	// A loop with a way out that is never taken: a machine without a
	// terminal state does not compile (MISSING_END_STATE).
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
	  "B":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":false,"Next":"A"}],"Default":"E"},"E":{"Type":"Succeed"}}}`
	r := execute(t, def, `{}`, Options{MaxTransitions: 100})
	if r.Status != StatusFailed || r.Error != ErrRuntime || !strings.Contains(r.Cause, "100 state transitions") {
		t.Fatalf("got %s %s %s", r.Status, r.Error, r.Cause)
	}
	if r.Transitions != 101 {
		t.Errorf("Transitions = %d, want 101", r.Transitions)
	}
}

func TestMachineTimeoutIsTimedOut(t *testing.T) {
	def := `{"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`
	r := execute(t, def, `{}`, Options{})
	if r.Status != StatusTimedOut || r.Error != ErrTimeout {
		t.Fatalf("got %s %s %s", r.Status, r.Error, r.Cause)
	}
	if got := r.StopDate.Sub(r.StartDate); got != 5*time.Second {
		t.Errorf("virtual duration = %s, want 5s", got)
	}
}

func TestStopAborts(t *testing.T) {
	p, err := Compile([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t.waitForTaskToken","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan string, 1)
	e, err := p.Start(context.Background(), nil, Options{Invoke: func(ctx context.Context, req *TaskRequest) (any, error) {
		started <- req.TaskToken
		return nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	e.Stop("Stopped.ByUser", "enough")
	r := e.Wait()
	if r.Status != StatusAborted || r.Error != "Stopped.ByUser" || r.Cause != "enough" {
		t.Fatalf("got %s %s %s", r.Status, r.Error, r.Cause)
	}
}

func TestTaskTokenSuccessAndFailure(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token"},"Retry":[{"ErrorEquals":["Again"],"MaxAttempts":1,"IntervalSeconds":1}],"End":true}}}`
	p, err := Compile([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	var e *Execution
	tokens := make(chan string, 2)
	invoke := func(ctx context.Context, req *TaskRequest) (any, error) {
		if req.Input.(map[string]any)["token"] != req.TaskToken {
			return nil, fmt.Errorf("$$.Task.Token = %v, want %s", req.Input, req.TaskToken)
		}
		tokens <- req.TaskToken
		return "ignored", nil
	}
	e, err = p.Start(context.Background(), nil, Options{Invoke: invoke, Clock: NewVirtualClock(time.Time{})})
	if err != nil {
		t.Fatal(err)
	}
	first := <-tokens
	if err := e.SendTaskHeartbeat(first); err != nil {
		t.Fatal(err)
	}
	if err := e.SendTaskFailure(first, "Again", "retry me"); err != nil {
		t.Fatal(err)
	}
	second := <-tokens
	if second == first {
		t.Fatal("a retry must get a new token")
	}
	if err := e.SendTaskSuccess(first, []byte(`1`)); !errors.Is(err, ErrTaskDoesNotExist) {
		t.Errorf("SendTaskSuccess(old token) = %v, want ErrTaskDoesNotExist", err)
	}
	if err := e.SendTaskSuccess(second, []byte(`{"ok":true}`)); err != nil {
		t.Fatal(err)
	}
	r := e.Wait()
	if r.Status != StatusSucceeded {
		t.Fatalf("got %s %s %s", r.Status, r.Error, r.Cause)
	}
	jsonEqual(t, r.Output, `{"ok":true}`)
	var types []string
	for _, ev := range r.History() {
		types = append(types, ev.Type)
	}
	if !strings.Contains(strings.Join(types, ","), "TaskSubmitted") {
		t.Errorf("history %v has no TaskSubmitted", types)
	}
}

func TestStartRejectsBadInput(t *testing.T) {
	p, _ := Compile([]byte(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`))
	if _, err := p.Start(context.Background(), []byte(`{nope`), Options{}); err == nil {
		t.Fatal("Start accepted input that is not JSON")
	}
}
