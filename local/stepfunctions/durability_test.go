package stepfunctions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

const waitHour = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`

// checkCloudStopped asserts that an execution was ended by the local cloud
// stopping, in its description and its history.
func checkCloudStopped(t *testing.T, f *fixture, arn string) {
	t.Helper()
	d, err := f.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeExecution after restart = %v", err)
	}
	if d.Status != sfntypes.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Runtime" ||
		!strings.Contains(aws.ToString(d.Cause), "local cloud stopped") || d.StopDate == nil {
		t.Errorf("after restart: %s %q %q", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	events := f.history(arn)
	last := events[len(events)-1]
	if last.Type != sfntypes.HistoryEventTypeExecutionFailed || last.ExecutionFailedEventDetails == nil ||
		!strings.Contains(aws.ToString(last.ExecutionFailedEventDetails.Cause), "local cloud stopped") || last.Id != int64(len(events)) {
		t.Errorf("last event after restart = %+v of %v", last, types(events))
	}
	if events[0].Type != sfntypes.HistoryEventTypeExecutionStarted {
		t.Errorf("history lost its start: %v", types(events))
	}
}

func TestRestartAfterClose(t *testing.T) {
	f := newFixture(t)
	f.clock = nil // real time: the Wait must still be running at Close
	f.close()
	f.open()
	m := f.machine("Slow", waitHour, f.role("r"))
	fast := f.run(f.machine("Fast", passMachine, f.role("r2")), `{"x":1}`)
	start, err := f.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	f.close()
	f.open()
	checkCloudStopped(t, f, aws.ToString(start.ExecutionArn))
	if f.svc.Running() != 0 {
		t.Errorf("Running() = %d after restart", f.svc.Running())
	}
	// Machines and finished executions survive as they were.
	if _, err := f.svc.DescribeStateMachine(m); err != nil {
		t.Errorf("machine lost: %v", err)
	}
	d, err := f.svc.DescribeExecution(aws.ToString(fast.ExecutionArn))
	if err != nil || d.Status != "SUCCEEDED" || d.Output != `{"ok":true}` || d.Input != `{"x":1}` {
		t.Errorf("finished execution after restart = %+v, %v", d, err)
	}
	if got := types(f.history(aws.ToString(fast.ExecutionArn))); len(got) != 4 || got[3] != "ExecutionSucceeded" {
		t.Errorf("finished history after restart = %v", got)
	}
}

func TestRestartAfterKill(t *testing.T) {
	f := newFixture(t)
	f.clock = nil
	f.close()
	f.open()
	m := f.machine("Slow", waitHour, f.role("r"))
	start, err := f.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	// The abandoned service goes on running in this process, where a
	// killed one would not: let it store the history it will write (up to
	// the Wait) first, or its late append lands after the restart's.
	arn := aws.ToString(start.ExecutionArn)
	deadline := time.Now().Add(10 * time.Second)
	for n := 0; n < 2; {
		n = 0
		_ = f.st.Collection("states").Sub("history", "Slow").ReadLog(arn[strings.LastIndex(arn, ":")+1:], func(json.RawMessage) error { n++; return nil })
		if time.Now().After(deadline) {
			t.Fatalf("the history was not stored: %d events", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// A kill: the service never closes; only the store's lock goes with
	// the process. The abandoned execution waits an hour, past the test.
	f.srv.Close()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open()
	checkCloudStopped(t, f, aws.ToString(start.ExecutionArn))
	list, err := f.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: sfntypes.ExecutionStatusRunning})
	if err != nil || len(list.Executions) != 0 {
		t.Errorf("RUNNING executions after restart = %+v, %v", list, err)
	}
}

// TestConcurrentExecutions runs 50 executions at once, each calling a
// Lambda function, waiting and branching: every one must succeed, be
// listed and have its full history, and none may be left running.
func TestConcurrentExecutions(t *testing.T) {
	f := newFixture(t)
	f.lambda.add("rollDie", func(_ context.Context, in struct{ N int }) (roll, error) { return roll{4 + in.N%2}, nil })
	fn := fnARN("rollDie")
	def := `{"StartAt":"Roll","States":{"Roll":{"Type":"Task","Resource":"` + fn + `","ResultPath":"$.r","Next":"W"},` +
		`"W":{"Type":"Wait","Seconds":1,"Next":"Par"},` +
		`"Par":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"` + fn + `","End":true}}}],"End":true}}}`
	m := f.machine("Many", def, f.role("r", allow("lambda:InvokeFunction", fn)))
	const n = 50
	var wg sync.WaitGroup
	arns := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := f.client.StartExecution(context.Background(), &sfn.StartExecutionInput{
				StateMachineArn: aws.String(m), Name: aws.String(fmt.Sprintf("run-%02d", i)), Input: aws.String(fmt.Sprintf(`{"N":%d}`, i))})
			if err == nil {
				arns[i] = aws.ToString(out.ExecutionArn)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("StartExecution #%d = %v", i, err)
		}
	}
	for i, arn := range arns {
		out := f.wait(arn)
		if out.Status != sfntypes.ExecutionStatusSucceeded {
			t.Errorf("execution %d = %s %s %s", i, out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
		}
		if got := len(f.history(arn)); got < 15 {
			t.Errorf("execution %d has %d history events", i, got)
		}
	}
	if r := f.svc.Running(); r != 0 {
		t.Errorf("Running() = %d after every execution ended", r)
	}
	var listed int
	p := sfn.NewListExecutionsPaginator(f.client, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: sfntypes.ExecutionStatusSucceeded, MaxResults: 20})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		listed += len(page.Executions)
	}
	if listed != n {
		t.Errorf("ListExecutions(SUCCEEDED) listed %d, want %d", listed, n)
	}
	if got := f.lambda.count("rollDie"); got != 2*n {
		t.Errorf("the function ran %d times, want %d", got, 2*n)
	}
}
