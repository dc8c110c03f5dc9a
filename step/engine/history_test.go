package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// historyCase is one case of testdata/history/cases.json (see its README).
type historyCase struct {
	Name        string                       `json:"name"`
	Source      string                       `json:"source"`
	Definition  json.RawMessage              `json:"definition"`
	Input       json.RawMessage              `json:"input"`
	Status      string                       `json:"status"`
	Error       string                       `json:"error"`
	CausePrefix *string                      `json:"causePrefix"`
	Events      []string                     `json:"events"`
	Assigned    map[string]map[string]string `json:"assigned"` // AWS's form: name -> JSON text
}

func loadHistoryCases(t *testing.T) []historyCase {
	t.Helper()
	b, err := os.ReadFile("testdata/history/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []historyCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("cases.json: %v", err)
	}
	return cases
}

// renderEvent writes an event as cases.json does: "id prev Type [name]".
func renderEvent(e Event) string {
	s := fmt.Sprintf("%d %d %s", e.ID, e.PreviousEventID, e.Type)
	if namedEvent(e.Type) && e.StateName != "" {
		s += " " + e.StateName
	}
	return s
}

// namedEvent reports whether AWS's details of an event type carry the
// state's (or the Map's) name.
func namedEvent(typ string) bool {
	return strings.HasSuffix(typ, "StateEntered") || strings.HasSuffix(typ, "StateExited") ||
		strings.HasPrefix(typ, "MapIteration") || typ == "EvaluationFailed"
}

// TestHistoryCorpus runs every case of testdata/history/cases.json
// in-process; local/stepfunctions runs the same file on the local cloud.
func TestHistoryCorpus(t *testing.T) {
	for _, c := range loadHistoryCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			res := execute(t, string(c.Definition), string(c.Input), Options{})
			if res.Status != c.Status || (c.Error != "" && res.Error != c.Error) {
				t.Errorf("status %s error %q cause %q, want %s %q (source: %s)", res.Status, res.Error, res.Cause, c.Status, c.Error, c.Source)
			}
			if c.CausePrefix != nil && !strings.HasPrefix(res.Cause, *c.CausePrefix) || c.CausePrefix != nil && *c.CausePrefix == "" && res.Cause != "" {
				t.Errorf("cause %q, want it to start with %q", res.Cause, *c.CausePrefix)
			}
			hist := res.History()
			var got []string
			for _, e := range hist {
				got = append(got, renderEvent(e))
			}
			if d := cmp.Diff(c.Events, got); d != "" {
				t.Errorf("history (-want +got), source: %s\n%s", c.Source, d)
			}
			last := hist[len(hist)-1]
			if last.Error != res.Error || last.Cause != res.Cause {
				t.Errorf("last event error %q cause %q, result %q %q", last.Error, last.Cause, res.Error, res.Cause)
			}
			for id, want := range c.Assigned {
				n, _ := strconv.Atoi(id)
				if n < 1 || n > len(hist) {
					t.Fatalf("assigned: no event %s", id)
				}
				got := hist[n-1].AssignedVariables
				if want == nil && got != nil || !jsonMapsEqual(want, got) {
					t.Errorf("event %s assignedVariables = %s, want %s", id, mustJSON(got), mustJSON(want))
				}
			}
		})
	}
}

func jsonMapsEqual(a map[string]string, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if string(b[k]) != v {
			return false
		}
	}
	return true
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// A Task still running when a sibling branch fails ends with
// TaskStateAborted, linked (like ParallelStateFailed) to the failing
// branch's last event. Recorded AWS behaviour.
func TestParallelAbortsRunningTask(t *testing.T) {
	started := make(chan struct{})
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
	  {"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"slow","End":true}}},
	  {"StartAt":"Fails","States":{"Fails":{"Type":"Task","Resource":"fails","End":true}}}]}}}`
	res := execute(t, def, `{}`, Options{Invoke: handlers(map[string]func(context.Context, any) (any, error){
		"slow": func(ctx context.Context, _ any) (any, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		},
		"fails": func(ctx context.Context, _ any) (any, error) {
			<-started
			return nil, &TaskError{Name: "Boom", Cause: "branch 2 failed"}
		},
	})})
	if res.Status != StatusFailed || res.Error != "Boom" {
		t.Fatalf("result %s %s %s", res.Status, res.Error, res.Cause)
	}
	hist := res.History()
	byType := map[string][]Event{}
	for _, e := range hist {
		byType[e.Type] = append(byType[e.Type], e)
	}
	failed := byType["TaskFailed"]
	aborted := byType["TaskStateAborted"]
	if len(failed) != 1 || len(aborted) != 1 {
		t.Fatalf("TaskFailed %d, TaskStateAborted %d, want 1 each:\n%s", len(failed), len(aborted), renderAll(hist))
	}
	if aborted[0].PreviousEventID != failed[0].ID {
		t.Errorf("TaskStateAborted links to %d, want the failing TaskFailed %d:\n%s", aborted[0].PreviousEventID, failed[0].ID, renderAll(hist))
	}
	pf := byType["ParallelStateFailed"]
	if len(pf) != 1 || pf[0].PreviousEventID != failed[0].ID {
		t.Errorf("ParallelStateFailed = %v, want one linked to %d:\n%s", pf, failed[0].ID, renderAll(hist))
	}
}

// Map iterations cut short by a failing one end with TaskStateAborted and
// MapIterationAborted, all linked to the failing iteration's last event.
// Recorded AWS behaviour (a Map of Lambda tasks that time out).
func TestMapAbortsRunningIterations(t *testing.T) {
	started := make(chan struct{}, 3)
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
	  "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"work","End":true}}}}}}`
	res := execute(t, def, `[0,1,2]`, Options{Invoke: func(ctx context.Context, req *TaskRequest) (any, error) {
		if n, _ := req.Input.(json.Number).Int64(); n == 0 {
			for range 2 {
				<-started
			}
			return nil, &TaskError{Name: "Boom"}
		}
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}})
	if res.Status != StatusFailed || res.Error != "Boom" {
		t.Fatalf("result %s %s %s", res.Status, res.Error, res.Cause)
	}
	hist := res.History()
	var failedID int64
	counts := map[string]int{}
	for _, e := range hist {
		counts[e.Type]++
		if e.Type == "TaskFailed" {
			failedID = e.ID
		}
	}
	if counts["TaskStateAborted"] != 2 || counts["MapIterationAborted"] != 2 || counts["MapIterationFailed"] != 1 || counts["MapStateFailed"] != 1 {
		t.Fatalf("event counts %v:\n%s", counts, renderAll(hist))
	}
	for _, e := range hist {
		switch e.Type {
		case "TaskStateAborted", "MapIterationAborted", "MapIterationFailed", "MapStateFailed":
			if e.PreviousEventID != failedID {
				t.Errorf("%s links to %d, want %d:\n%s", e.Type, e.PreviousEventID, failedID, renderAll(hist))
			}
		case "MapIterationStarted":
			if e.PreviousEventID != 3 {
				t.Errorf("concurrent MapIterationStarted links to %d, want MapStateStarted (3)", e.PreviousEventID)
			}
		}
	}
}

// With branches finishing in any order, ParallelStateSucceeded and
// ParallelStateExited link to the last event of the branch that finished
// last, and each branch's first event to ParallelStateStarted.
func TestParallelSucceededLinks(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
	  {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
	  {"StartAt":"B","States":{"B":{"Type":"Pass","Next":"B2"},"B2":{"Type":"Pass","End":true}}},
	  {"StartAt":"C","States":{"C":{"Type":"Pass","End":true}}}]}}}`
	res := execute(t, def, `{}`, Options{})
	hist := res.History()
	lastBranchEvent := hist[len(hist)-4] // ..., last branch event, Succeeded, Exited, ExecutionSucceeded
	succ, exited := hist[len(hist)-3], hist[len(hist)-2]
	if succ.Type != "ParallelStateSucceeded" || exited.Type != "ParallelStateExited" {
		t.Fatalf("history:\n%s", renderAll(hist))
	}
	if succ.PreviousEventID != lastBranchEvent.ID || exited.PreviousEventID != lastBranchEvent.ID {
		t.Errorf("Succeeded/Exited link to %d/%d, want %d:\n%s", succ.PreviousEventID, exited.PreviousEventID, lastBranchEvent.ID, renderAll(hist))
	}
	for _, e := range hist {
		if e.Type == "PassStateEntered" && (e.StateName == "A" || e.StateName == "B" || e.StateName == "C") && e.PreviousEventID != 3 {
			t.Errorf("branch start %s links to %d, want ParallelStateStarted (3)", e.StateName, e.PreviousEventID)
		}
	}
}

// A task's States.Timeout has an empty cause, caught or not (recorded AWS
// behaviour: taskTimedOutEventDetails and executionFailedEventDetails hold
// the error only).
func TestTaskTimeoutHasEmptyCause(t *testing.T) {
	block := func(ctx context.Context, _ any) (any, error) { <-ctx.Done(); return nil, ctx.Err() }
	opts := Options{Invoke: handlers(map[string]func(context.Context, any) (any, error){"slow": block})}
	res := execute(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"slow","TimeoutSeconds":1,"End":true}}}`, `{}`, opts)
	if res.Status != StatusFailed || res.Error != ErrTimeout || res.Cause != "" {
		t.Errorf("uncaught: %s %q %q, want FAILED States.Timeout and no cause", res.Status, res.Error, res.Cause)
	}
	hist := res.History()
	if got := renderAll(hist); !strings.Contains(got, "5 4 TaskTimedOut\n6 5 ExecutionFailed") {
		t.Errorf("history:\n%s", got)
	}
	if e := hist[len(hist)-2]; e.Cause != "" || e.TimeoutSeconds != 0 {
		t.Errorf("TaskTimedOut cause %q", e.Cause)
	}
	if e := hist[2]; e.Type != "TaskScheduled" || e.TimeoutSeconds != 1 {
		t.Errorf("TaskScheduled timeout %d, want 1 (timeoutInSeconds)", e.TimeoutSeconds)
	}
	res = execute(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"slow","TimeoutSeconds":1,"End":true,
	  "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"C"}]},"C":{"Type":"Pass","End":true}}}`, `{}`, opts)
	jsonEqual(t, res.Output, `{"Error":"States.Timeout","Cause":""}`)
}

// The history quota: event 25,000 is ExecutionFailed with States.Runtime,
// linked to event 24,999, the last the machine produced. The AWS guide
// documents the quota (bp-history-limit.html); the error, cause and event
// are recorded AWS behaviour.
func TestHistoryQuota(t *testing.T) {
	def := `{"StartAt":"Loop","States":{"Loop":{"Type":"Choice","Choices":[{"Variable":"$.spin","BooleanEquals":true,"Next":"Loop"}],"Default":"Done"},"Done":{"Type":"Succeed"}}}`
	res := execute(t, def, `{"spin":true}`, Options{})
	if res.Status != StatusFailed || res.Error != ErrRuntime || res.Cause != "The execution reached the maximum number of history events (25000)." {
		t.Fatalf("result %s %q %q", res.Status, res.Error, res.Cause)
	}
	hist := res.History()
	if len(hist) != DefaultMaxHistoryEvents {
		t.Fatalf("%d events, want %d", len(hist), DefaultMaxHistoryEvents)
	}
	if got := renderAll(hist[len(hist)-2:]); got != "24999 24998 ChoiceStateExited Loop\n25000 24999 ExecutionFailed\n" {
		t.Errorf("last events:\n%s", got)
	}
	// Event 25,000 may be ExecutionSucceeded.
	res = execute(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}`, `{}`, Options{MaxHistoryEvents: 6})
	if res.Status != StatusSucceeded {
		t.Errorf("6 events within a quota of 6: %s %s", res.Status, res.Cause)
	}
	res = execute(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}`, `{}`, Options{MaxHistoryEvents: 5})
	if res.Status != StatusFailed || res.Cause != "The execution reached the maximum number of history events (5)." {
		t.Errorf("quota of 5: %s %s", res.Status, res.Cause)
	}
}

// Recording costs nothing when nobody reads the history: payloads are
// marshaled by History, not while the execution runs.
func TestHistoryMarshalsLazily(t *testing.T) {
	p, err := Compile([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := p.Start(context.Background(), json.RawMessage(`{"x":1}`), Options{Clock: NewVirtualClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	res := e.Wait()
	if got := res.History()[1].Input; string(got) != `{"x":1}` {
		t.Errorf("entered input %s", got)
	}
	if _, ok := e.events[1].input.(map[string]any); !ok {
		t.Errorf("recorded input is %T, want the model value", e.events[1].input)
	}
}

func renderAll(hist []Event) string {
	var b strings.Builder
	for _, e := range hist {
		b.WriteString(renderEvent(e))
		b.WriteByte('\n')
	}
	return b.String()
}

// A Distributed Map runs each item as a child execution with its own
// history and ARNs derived from the Map Run's, and counts failed children
// against ToleratedFailureCount.
// See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html.
func TestDistributedMapChildExecutions(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"items","ToleratedFailureCount":1,"End":true,
	  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
	    "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":1,"Next":"Bad"}],"Default":"Ok"},
	    "Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"TooBig","Cause":"item over 1"}}}}}}`
	var runs []*MapRun
	res := execute(t, def, `[0,1,2]`, Options{StateMachineName: "sm", ExecutionARN: "arn:aws:states:eu-west-1:111122223333:execution:sm:exec1",
		OnMapRun: func(m *MapRun) { runs = append(runs, m) }})
	if res.Status != StatusSucceeded {
		t.Fatalf("one failure within ToleratedFailureCount 1: %s %s %s", res.Status, res.Error, res.Cause)
	}
	jsonEqual(t, res.Output, `[0,1,{"Error":"TooBig","Cause":"item over 1"}]`)
	if len(runs) != 1 || len(res.MapRuns()) != 1 {
		t.Fatalf("OnMapRun saw %d runs, MapRuns %d", len(runs), len(res.MapRuns()))
	}
	run := runs[0]
	if !strings.HasPrefix(run.ARN, "arn:aws:states:eu-west-1:111122223333:mapRun:sm/items:") ||
		run.StateMachineARN != "arn:aws:states:eu-west-1:111122223333:stateMachine:sm/items" ||
		run.Status() != StatusSucceeded || run.ToleratedFailureCount != 1 {
		t.Errorf("MapRun = %+v, status %s", run, run.Status())
	}
	if e := res.History()[3]; e.Type != "MapRunStarted" || e.Resource != run.ARN {
		t.Errorf("MapRunStarted = %+v", e)
	}
	children := run.Executions()
	if len(children) != 3 {
		t.Fatalf("%d child executions", len(children))
	}
	statuses := map[string]int{}
	for _, c := range children {
		r := c.Wait()
		statuses[r.Status]++
		if !strings.HasPrefix(c.ARN(), "arn:aws:states:eu-west-1:111122223333:execution:sm/items:") {
			t.Errorf("child ARN %s", c.ARN())
		}
		h := r.History()
		if h[0].Type != "ExecutionStarted" || h[0].Resource != run.StateMachineARN || h[1].PreviousEventID != 0 {
			t.Errorf("child history starts %s", renderAll(h[:2]))
		}
		if r.Status == StatusFailed && (r.Error != "TooBig" || h[len(h)-1].Type != "ExecutionFailed") {
			t.Errorf("failed child %s %s:\n%s", r.Error, r.Cause, renderAll(h))
		}
	}
	if statuses[StatusSucceeded] != 2 || statuses[StatusFailed] != 1 {
		t.Errorf("child statuses %v", statuses)
	}
	// Two failures exceed a tolerance of one.
	res = execute(t, def, `[2,3,0]`, Options{})
	if res.Status != StatusFailed || res.Error != ErrExceedToleratedFailureThreshold || res.Cause != "The specified tolerated failure threshold was exceeded" {
		t.Errorf("two failures: %s %s %s", res.Status, res.Error, res.Cause)
	}
}

// A callback task's TaskSubmitted holds what the call that started the
// work returned (recorded AWS behaviour: taskSubmittedEventDetails.output).
func TestTaskSubmittedOutput(t *testing.T) {
	p, err := Compile([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tokens := make(chan string, 1)
	e, err := p.Start(context.Background(), nil, Options{Clock: NewVirtualClock(testStart), Invoke: func(ctx context.Context, req *TaskRequest) (any, error) {
		tokens <- req.TaskToken
		return map[string]any{"MessageId": "m-1"}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SendTaskSuccess(<-tokens, []byte(`"done"`)); err != nil {
		t.Fatal(err)
	}
	res := e.Wait()
	got := renderAll(res.History())
	if !strings.Contains(got, "5 4 TaskSubmitted\n6 5 TaskSucceeded\n") {
		t.Fatalf("history:\n%s", got)
	}
	if out := res.History()[4].Output; string(out) != `{"MessageId":"m-1"}` {
		t.Errorf("TaskSubmitted output %s", out)
	}
}

// A retried then caught Task: each new attempt's TaskScheduled links to the
// failed attempt's TaskFailed, and the caught state exits (TaskStateExited,
// with the error output) before the catcher's Next is entered. Recorded AWS
// behaviour; integration events per
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_TaskFailedEventDetails.html.
func TestTaskRetryAndCatchHistory(t *testing.T) {
	def := `{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
	  "Retry":[{"ErrorEquals":["Flake"],"IntervalSeconds":1,"MaxAttempts":1}],
	  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"ErrorMatched"}]},"ErrorMatched":{"Type":"Pass","End":true}}}`
	calls := 0
	res := execute(t, def, `{}`, Options{Invoke: func(ctx context.Context, req *TaskRequest) (any, error) {
		calls++
		if calls == 1 {
			return nil, &TaskError{Name: "Flake", Cause: "once"}
		}
		return nil, &TaskError{Name: "CustomException", Cause: "twice"}
	}})
	want := "1 0 ExecutionStarted\n2 0 TaskStateEntered Start\n3 2 TaskScheduled\n4 3 TaskStarted\n5 4 TaskFailed\n" +
		"6 5 TaskScheduled\n7 6 TaskStarted\n8 7 TaskFailed\n9 8 TaskStateExited Start\n" +
		"10 9 PassStateEntered ErrorMatched\n11 10 PassStateExited ErrorMatched\n12 11 ExecutionSucceeded\n"
	if got := renderAll(res.History()); got != want {
		t.Errorf("history:\n%s\nwant:\n%s", got, want)
	}
	jsonEqual(t, res.Output, `{"Error":"CustomException","Cause":"twice"}`)
	// A Lambda function ARN records LambdaFunction* events instead.
	res = execute(t, `{"StartAt":"L","States":{"L":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","TimeoutSeconds":5,"End":true}}}`, `{}`,
		Options{Invoke: func(ctx context.Context, req *TaskRequest) (any, error) { return map[string]any{}, nil }})
	want = "1 0 ExecutionStarted\n2 0 TaskStateEntered L\n3 2 LambdaFunctionScheduled\n4 3 LambdaFunctionStarted\n" +
		"5 4 LambdaFunctionSucceeded\n6 5 TaskStateExited L\n7 6 ExecutionSucceeded\n"
	if got := renderAll(res.History()); got != want {
		t.Errorf("Lambda history:\n%s\nwant:\n%s", got, want)
	}
	if e := res.History()[2]; e.TimeoutSeconds != 5 || e.Resource != "arn:aws:lambda:us-east-1:123456789012:function:f" {
		t.Errorf("LambdaFunctionScheduled = %+v", e)
	}
}

// The prefix is written once: a detail that already carries the older
// prefix without the event id gets the id, not a second prefix.
func TestLocateWritesThePrefixOnce(t *testing.T) {
	r := &runner{exec: &Execution{clock: NewVirtualClock(testStart), maxEvents: DefaultMaxHistoryEvents}}
	f := &frame{r: r, st: &state{name: "S", kind: kindPass}, enteredID: 7}
	fl := f.locate(runtimeFailure("An error occurred while executing the state 'S'. Invalid path"))
	if fl.cause != "An error occurred while executing the state 'S' (entered at the event id #7). Invalid path" {
		t.Errorf("cause %q", fl.cause)
	}
	if again := f.locate(fl); again.cause != fl.cause {
		t.Errorf("second locate changed the cause to %q", again.cause)
	}
	if fl := f.locate(executionFailure("limit")); fl.cause != "limit" {
		t.Errorf("an execution failure got a prefix: %q", fl.cause)
	}
}
