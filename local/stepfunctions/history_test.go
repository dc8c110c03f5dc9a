package stepfunctions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/local/localtest"
)

// historyCase is one case of step/engine/testdata/history/cases.json, the
// corpus that step/engine's TestHistoryCorpus runs in-process.
type historyCase struct {
	Name        string                       `json:"name"`
	Source      string                       `json:"source"`
	Definition  json.RawMessage              `json:"definition"`
	Input       json.RawMessage              `json:"input"`
	Status      string                       `json:"status"`
	Error       string                       `json:"error"`
	CausePrefix *string                      `json:"causePrefix"`
	Events      []string                     `json:"events"`
	Assigned    map[string]map[string]string `json:"assigned"`
}

// renderEvent writes an API event as cases.json does: "id prev Type [name]".
func renderEvent(e sfntypes.HistoryEvent) string {
	s := fmt.Sprintf("%d %d %s", e.Id, e.PreviousEventId, e.Type)
	var name *string
	switch {
	case e.StateEnteredEventDetails != nil:
		name = e.StateEnteredEventDetails.Name
	case e.StateExitedEventDetails != nil:
		name = e.StateExitedEventDetails.Name
	case e.MapIterationStartedEventDetails != nil:
		name = e.MapIterationStartedEventDetails.Name
	case e.MapIterationSucceededEventDetails != nil:
		name = e.MapIterationSucceededEventDetails.Name
	case e.MapIterationFailedEventDetails != nil:
		name = e.MapIterationFailedEventDetails.Name
	case e.MapIterationAbortedEventDetails != nil:
		name = e.MapIterationAbortedEventDetails.Name
	case e.EvaluationFailedEventDetails != nil:
		name = e.EvaluationFailedEventDetails.State
	}
	if name != nil {
		s += " " + *name
	}
	return s
}

// TestHistoryCorpusLocal runs the history corpus on the local Step
// Functions: GetExecutionHistory (paged) and DescribeExecution must give
// what AWS records, which is what the engine gives in-process.
func TestHistoryCorpusLocal(t *testing.T) {
	b, err := os.ReadFile("../../step/engine/testdata/history/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []historyCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	role := f.role("corpus")
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			f.t = t
			m := f.machine(fmt.Sprintf("Corpus%d", i), string(c.Definition), role)
			out := f.run(m, string(c.Input))
			if string(out.Status) != c.Status || c.Error != "" && aws.ToString(out.Error) != c.Error {
				t.Errorf("DescribeExecution = %s %q %q, want %s %q (source: %s)", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause), c.Status, c.Error, c.Source)
			}
			cause := aws.ToString(out.Cause)
			if c.CausePrefix != nil && (!strings.HasPrefix(cause, *c.CausePrefix) || *c.CausePrefix == "" && cause != "") {
				t.Errorf("cause %q, want it to start with %q", cause, *c.CausePrefix)
			}
			events := f.history(aws.ToString(out.ExecutionArn))
			var got []string
			for _, e := range events {
				got = append(got, renderEvent(e))
			}
			if d := cmp.Diff(c.Events, got); d != "" {
				t.Errorf("history (-want +got), source: %s\n%s", c.Source, d)
			}
			if d := events[len(events)-1].ExecutionFailedEventDetails; d != nil && (aws.ToString(d.Error) != aws.ToString(out.Error) || aws.ToString(d.Cause) != cause) {
				t.Errorf("ExecutionFailed %q %q, DescribeExecution %q %q", aws.ToString(d.Error), aws.ToString(d.Cause), aws.ToString(out.Error), cause)
			}
			for id, want := range c.Assigned {
				n, _ := strconv.Atoi(id)
				d := events[n-1].StateExitedEventDetails
				if d == nil {
					t.Fatalf("event %s has no stateExitedEventDetails", id)
				}
				if !cmp.Equal(want, d.AssignedVariables, cmp.Comparer(func(a, b map[string]string) bool { return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b)) })) {
					t.Errorf("event %s assignedVariables = %v, want %v", id, d.AssignedVariables, want)
				}
				if want != nil && (d.AssignedVariablesDetails == nil || d.AssignedVariablesDetails.Truncated) {
					t.Errorf("event %s assignedVariablesDetails = %+v", id, d.AssignedVariablesDetails)
				}
			}
		})
	}
	f.t = t
}

// GetExecutionHistory pages forwards and backwards with maxResults and
// nextToken, and includeExecutionData=false drops payloads and variables.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html.
func TestGetExecutionHistoryPaging(t *testing.T) {
	f := newFixture(t)
	m := f.machine("Paging", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","Next":"D"},"D":{"Type":"Pass","Next":"E"},"E":{"Type":"Pass","End":true}}}`, f.role("paging"))
	arn := aws.ToString(f.run(m, `{"in":1}`).ExecutionArn)
	ctx := context.Background()
	forward := f.history(arn)
	if len(forward) != 12 {
		t.Fatalf("%d events, want 12", len(forward))
	}
	var backward []sfntypes.HistoryEvent
	var token *string
	for pages := 0; ; pages++ {
		out, err := f.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), ReverseOrder: true, MaxResults: 5, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Events) > 5 || pages > 3 {
			t.Fatalf("page of %d events, page %d", len(out.Events), pages)
		}
		backward = append(backward, out.Events...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	var fw, bw []int64
	for i := range forward {
		fw = append(fw, forward[i].Id)
		bw = append(bw, backward[len(backward)-1-i].Id)
	}
	if !slices.Equal(fw, bw) {
		t.Errorf("reverse pages %v, forward %v", bw, fw)
	}
	bare, err := f.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range bare.Events {
		if d := e.StateExitedEventDetails; d != nil && (d.Output != nil || d.AssignedVariables != nil || aws.ToString(d.Name) == "") {
			t.Errorf("includeExecutionData=false: %s details %+v", e.Type, d)
		}
		if d := e.StateEnteredEventDetails; d != nil && d.Input != nil {
			t.Errorf("includeExecutionData=false: %s input %q", e.Type, aws.ToString(d.Input))
		}
	}
	if d := forward[2].StateExitedEventDetails; d == nil || d.AssignedVariables["x"] != "1" {
		t.Errorf("PassStateExited details %+v", d)
	}
	_, err = f.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1001})
	if apiCode(err) != "ValidationException" {
		t.Errorf("maxResults 1001: %v, want ValidationException", err)
	}
}

// The AWS CLI reads the history the local cloud writes: the last two
// events of a failed execution, newest first, and the same error and cause
// in describe-execution.
func TestExecutionHistoryCLI(t *testing.T) {
	c := localtest.Start(t)
	role := localtest.CLI(t, c, "iam", "create-role", "--role-name", "sfn-cli", "--assume-role-policy-document", statesTrust)
	var r struct{ Role struct{ Arn string } }
	if err := json.Unmarshal([]byte(role), &r); err != nil {
		t.Fatalf("create-role: %v\n%s", err, role)
	}
	def := `{"StartAt":"pass","States":{"pass":{"Type":"Pass","InputPath":"$.NoSuchInputPath","End":true}}}`
	sm := localtest.CLI(t, c, "stepfunctions", "create-state-machine", "--name", "cli-history", "--definition", def, "--role-arn", r.Role.Arn)
	var created struct{ StateMachineArn string }
	if err := json.Unmarshal([]byte(sm), &created); err != nil {
		t.Fatalf("create-state-machine: %v\n%s", err, sm)
	}
	started := localtest.CLI(t, c, "stepfunctions", "start-execution", "--state-machine-arn", created.StateMachineArn, "--input", "{}")
	var ex struct{ ExecutionArn string }
	if err := json.Unmarshal([]byte(started), &ex); err != nil {
		t.Fatalf("start-execution: %v\n%s", err, started)
	}
	var desc struct{ Status, Error, Cause string }
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out := localtest.CLI(t, c, "stepfunctions", "describe-execution", "--execution-arn", ex.ExecutionArn)
		if err := json.Unmarshal([]byte(out), &desc); err != nil {
			t.Fatalf("describe-execution: %v\n%s", err, out)
		}
		if desc.Status != "RUNNING" {
			break
		}
	}
	const prefix = "An error occurred while executing the state 'pass' (entered at the event id #2). "
	if desc.Status != "FAILED" || desc.Error != "States.Runtime" || !strings.HasPrefix(desc.Cause, prefix) {
		t.Fatalf("describe-execution = %+v", desc)
	}
	out := localtest.CLI(t, c, "stepfunctions", "get-execution-history", "--execution-arn", ex.ExecutionArn, "--reverse-order", "--max-items", "2")
	var hist struct {
		Events []struct {
			ID                          int64  `json:"id"`
			PreviousEventID             int64  `json:"previousEventId"`
			Type                        string `json:"type"`
			ExecutionFailedEventDetails *struct{ Error, Cause string }
			StateEnteredEventDetails    *struct{ Name string }
		} `json:"events"`
		NextToken string
	}
	if err := json.Unmarshal([]byte(out), &hist); err != nil {
		t.Fatalf("get-execution-history: %v\n%s", err, out)
	}
	if len(hist.Events) != 2 || hist.NextToken == "" {
		t.Fatalf("get-execution-history --max-items 2:\n%s", out)
	}
	last, entered := hist.Events[0], hist.Events[1]
	if last.Type != "ExecutionFailed" || last.ID != 3 || last.PreviousEventID != 2 || last.ExecutionFailedEventDetails == nil ||
		last.ExecutionFailedEventDetails.Cause != desc.Cause || last.ExecutionFailedEventDetails.Error != desc.Error {
		t.Errorf("newest event = %+v", last)
	}
	if entered.Type != "PassStateEntered" || entered.ID != 2 || entered.PreviousEventID != 0 || entered.StateEnteredEventDetails == nil || entered.StateEnteredEventDetails.Name != "pass" {
		t.Errorf("second newest event = %+v", entered)
	}
}

// A Distributed Map's Map Run and child executions are served by
// ListMapRuns, DescribeMapRun, ListExecutions(mapRunArn), DescribeExecution
// and GetExecutionHistory, with failed children counted against
// ToleratedFailureCount.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html.
func TestDistributedMapRun(t *testing.T) {
	f := newFixture(t)
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"items","MaxConcurrency":2,"ToleratedFailureCount":1,"End":true,
	  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
	    "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":1,"Next":"Bad"}],"Default":"Ok"},
	    "Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"TooBig","Cause":"item over 1"}}}}}}`
	m := f.machine("Distributed", def, f.role("dist"))
	out := f.run(m, `[0,1,2]`)
	if out.Status != sfntypes.ExecutionStatusSucceeded {
		t.Fatalf("DescribeExecution = %s %s %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	ctx := context.Background()
	runs, err := f.client.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: out.ExecutionArn})
	if err != nil || len(runs.MapRuns) != 1 {
		t.Fatalf("ListMapRuns = %+v, %v", runs, err)
	}
	mr := runs.MapRuns[0]
	if !strings.Contains(aws.ToString(mr.MapRunArn), ":mapRun:Distributed/items:") || !strings.HasSuffix(aws.ToString(mr.StateMachineArn), ":stateMachine:Distributed/items") {
		t.Errorf("map run %s of %s", aws.ToString(mr.MapRunArn), aws.ToString(mr.StateMachineArn))
	}
	d, err := f.client.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: mr.MapRunArn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != sfntypes.MapRunStatusSucceeded || d.MaxConcurrency != 2 || d.ToleratedFailureCount != 1 ||
		d.ItemCounts.Total != 3 || d.ItemCounts.Succeeded != 2 || d.ItemCounts.Failed != 1 || d.ExecutionCounts.Failed != 1 {
		t.Errorf("DescribeMapRun = status %s, maxConcurrency %d, items %+v", d.Status, d.MaxConcurrency, d.ItemCounts)
	}
	hist := f.history(aws.ToString(out.ExecutionArn))
	if e := hist[3]; e.Type != sfntypes.HistoryEventTypeMapRunStarted || e.MapRunStartedEventDetails == nil || aws.ToString(e.MapRunStartedEventDetails.MapRunArn) != aws.ToString(mr.MapRunArn) {
		t.Errorf("event 4 = %s %+v", e.Type, e.MapRunStartedEventDetails)
	}
	children, err := f.client.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: mr.MapRunArn, StatusFilter: sfntypes.ExecutionStatusFailed})
	if err != nil || len(children.Executions) != 1 {
		t.Fatalf("ListExecutions(mapRunArn, FAILED) = %+v, %v", children, err)
	}
	child := children.Executions[0].ExecutionArn
	cd, err := f.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: child})
	if err != nil || cd.Status != sfntypes.ExecutionStatusFailed || aws.ToString(cd.Error) != "TooBig" || aws.ToString(cd.Input) != "2" ||
		aws.ToString(cd.MapRunArn) != aws.ToString(mr.MapRunArn) || aws.ToString(children.Executions[0].MapRunArn) != aws.ToString(mr.MapRunArn) {
		t.Fatalf("DescribeExecution(child) = %+v, %v", cd, err)
	}
	ch := f.history(aws.ToString(child))
	if got := types(ch); !slices.Equal(got, []string{"ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered", "ExecutionFailed"}) {
		t.Errorf("child history %v", got)
	}
	if _, err := f.client.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(aws.ToString(mr.MapRunArn) + "x")}); apiCode(err) != "ResourceNotFound" {
		t.Errorf("DescribeMapRun(unknown) = %v, want ResourceNotFound", err)
	}
}

// A task token issued by a Distributed Map's child execution completes
// that child's task.
func TestDistributedMapTaskToken(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tokens := make(chan string, 1)
	f.sns.onPublish = func(p published) {
		var m struct{ Token string }
		_ = json.Unmarshal([]byte(p.Message), &m)
		tokens <- m.Token
	}
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
	  "StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken",
	  "Parameters":{"TopicArn":"` + topic + `","Message":{"token.$":"$$.Task.Token"}},"End":true}}}}}}`
	m := f.machine("DistributedAsk", def, f.role("ask", allow("sns:Publish", topic)))
	start, err := f.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`[1]`)})
	if err != nil {
		t.Fatal(err)
	}
	var tok string
	select {
	case tok = <-tokens:
	case <-time.After(10 * time.Second):
		t.Fatal("no token published")
	}
	if _, err := f.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`"yes"`)}); err != nil {
		t.Fatalf("SendTaskSuccess = %v", err)
	}
	if out := f.wait(aws.ToString(start.ExecutionArn)); out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `["yes"]` {
		t.Errorf("execution = %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Cause))
	}
}
