package stepfunctions_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"
)

// rollDieMachine is examples/rolldie's definition with its Wait at 0
// seconds and its function ARN substituted.
func rollDieMachine(fn string) string {
	return `{"StartAt":"lambdaRollDie","States":{"lambdaRollDie":{"Type":"Task","Resource":"` + fn + `","Next":"checkRoll"},` +
		`"checkRoll":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.roll","NumericGreaterThan":3},"Next":"tryAgainShortly"}],"Default":"success"},` +
		`"tryAgainShortly":{"Type":"Wait","Seconds":0,"Next":"lambdaRollDie"},"success":{"Type":"Succeed"}}}`
}

type roll struct {
	Roll int `json:"roll"`
}

// dice returns a handler that rolls the given numbers in turn.
func dice(rolls ...int) func(context.Context) (roll, error) {
	i := 0
	return func(context.Context) (roll, error) {
		r := rolls[i%len(rolls)]
		i++
		return roll{r}, nil
	}
}

func TestExecutionLambdaFunctionAndHistory(t *testing.T) {
	f := newFixture(t)
	f.lambda.add("rollDie", dice(2, 5))
	fn := fnARN("rollDie")
	m := f.machine("RollDie", rollDieMachine(fn), f.role("roll", allow("lambda:InvokeFunction", fn, fn+":*")))
	out := f.run(m, `{"start":1}`)
	if out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `{"roll":5}` {
		t.Fatalf("DescribeExecution = %s %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	if aws.ToString(out.Input) != `{"start":1}` || out.StartDate == nil || out.StopDate == nil || aws.ToString(out.Name) == "" {
		t.Errorf("DescribeExecution = %+v", out)
	}
	arn := aws.ToString(out.ExecutionArn)
	events := f.history(arn)
	want := []string{
		"ExecutionStarted",
		"TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
		"ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered", "WaitStateExited",
		"TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
		"ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited",
		"ExecutionSucceeded",
	}
	if diff := cmp.Diff(want, types(events)); diff != "" {
		t.Fatalf("history types (-want +got):\n%s", diff)
	}
	for i, e := range events {
		if e.Id != int64(i+1) || e.Timestamp == nil {
			t.Errorf("event %d: id %d, timestamp %v", i, e.Id, e.Timestamp)
		}
	}
	if d := events[0].ExecutionStartedEventDetails; d == nil || aws.ToString(d.Input) != `{"start":1}` || !strings.Contains(aws.ToString(d.RoleArn), ":role/roll") {
		t.Errorf("ExecutionStarted details = %+v", d)
	}
	if d := events[1].StateEnteredEventDetails; d == nil || aws.ToString(d.Name) != "lambdaRollDie" {
		t.Errorf("TaskStateEntered details = %+v", d)
	}
	if d := events[2].LambdaFunctionScheduledEventDetails; d == nil || aws.ToString(d.Resource) != fn || aws.ToString(d.Input) != `{"start":1}` {
		t.Errorf("LambdaFunctionScheduled details = %+v", d)
	}
	if d := events[4].LambdaFunctionSucceededEventDetails; d == nil || aws.ToString(d.Output) != `{"roll":2}` {
		t.Errorf("LambdaFunctionSucceeded details = %+v", d)
	}
	if d := events[19].ExecutionSucceededEventDetails; d == nil || aws.ToString(d.Output) != `{"roll":5}` {
		t.Errorf("ExecutionSucceeded details = %+v", d)
	}
	if events[2].PreviousEventId != 2 {
		t.Errorf("LambdaFunctionScheduled previousEventId = %d, want 2", events[2].PreviousEventId)
	}

	// reverseOrder and includeExecutionData.
	rev, err := f.client.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String(arn), ReverseOrder: true, MaxResults: 2, IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(rev.Events); !slices.Equal(got, []string{"ExecutionSucceeded", "SucceedStateExited"}) || rev.NextToken == nil {
		t.Errorf("GetExecutionHistory(reverse, 2) = %v, next %v", got, rev.NextToken)
	}
	if d := rev.Events[0].ExecutionSucceededEventDetails; d != nil && d.Output != nil {
		t.Errorf("includeExecutionData=false still returned output %q", aws.ToString(d.Output))
	}

	list, err := f.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: sfntypes.ExecutionStatusSucceeded})
	if err != nil || len(list.Executions) != 1 || aws.ToString(list.Executions[0].ExecutionArn) != arn {
		t.Errorf("ListExecutions(SUCCEEDED) = %+v, %v", list, err)
	}
	list, err = f.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: sfntypes.ExecutionStatusRunning})
	if err != nil || len(list.Executions) != 0 {
		t.Errorf("ListExecutions(RUNNING) = %+v, %v", list, err)
	}
}

func TestExecutionNames(t *testing.T) {
	f := newFixture(t)
	m := f.machine("Names", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, f.role("r"))
	f.svc.Close() // nothing running yet; reopen with a real clock below
	f.st.Close()
	f.srv.Close()
	f.clock = nil
	f.open()
	ctx := context.Background()
	in := &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String("once"), Input: aws.String(`{"a":1}`)}
	a, err := f.client.StartExecution(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// Same name and input while running: the same execution (idempotent).
	b, err := f.client.StartExecution(ctx, in)
	if err != nil || aws.ToString(b.ExecutionArn) != aws.ToString(a.ExecutionArn) {
		t.Errorf("StartExecution again = %v, %v; want the running execution", b, err)
	}
	in.Input = aws.String(`{"a":2}`)
	_, err = f.client.StartExecution(ctx, in)
	var exists *sfntypes.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("StartExecution(other input) = %v, want ExecutionAlreadyExists", err)
	}
	stop, err := f.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: a.ExecutionArn, Error: aws.String("Manual"), Cause: aws.String("enough")})
	if err != nil || stop.StopDate == nil {
		t.Fatalf("StopExecution = %v, %v", stop, err)
	}
	d := f.wait(aws.ToString(a.ExecutionArn))
	if d.Status != sfntypes.ExecutionStatusAborted || aws.ToString(d.Error) != "Manual" || aws.ToString(d.Cause) != "enough" {
		t.Errorf("after StopExecution: %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	events := f.history(aws.ToString(a.ExecutionArn))
	last := events[len(events)-1]
	if last.Type != sfntypes.HistoryEventTypeExecutionAborted || last.ExecutionAbortedEventDetails == nil || aws.ToString(last.ExecutionAbortedEventDetails.Error) != "Manual" {
		t.Errorf("last event = %+v", last)
	}
	// A finished name is taken for good.
	in.Input = aws.String(`{"a":1}`)
	if _, err := f.client.StartExecution(ctx, in); !errors.As(err, &exists) {
		t.Errorf("StartExecution(finished name) = %v, want ExecutionAlreadyExists", err)
	}
	_, err = f.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`{`)})
	var badInput *sfntypes.InvalidExecutionInput
	if !errors.As(err, &badInput) {
		t.Errorf("StartExecution(bad JSON) = %v, want InvalidExecutionInput", err)
	}
}

func TestLambdaFunctionError(t *testing.T) {
	f := newFixture(t)
	f.lambda.add("boom", func(context.Context) (roll, error) { return roll{}, errors.New("the die fell off the table") })
	fn := fnARN("boom")
	role := f.role("r", allow("lambda:InvokeFunction", fn))
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `","End":true}}}`
	out := f.run(f.machine("Boom", def, role), `{}`)
	wantCause := `{"errorMessage":"the die fell off the table","errorType":"errorString"}`
	if out.Status != sfntypes.ExecutionStatusFailed || aws.ToString(out.Error) != "errorString" || aws.ToString(out.Cause) != wantCause {
		t.Errorf("execution = %s %q %q, want FAILED errorString %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause), wantCause)
	}
	events := f.history(aws.ToString(out.ExecutionArn))
	var failed *sfntypes.LambdaFunctionFailedEventDetails
	for _, e := range events {
		if e.LambdaFunctionFailedEventDetails != nil {
			failed = e.LambdaFunctionFailedEventDetails
		}
	}
	if failed == nil || aws.ToString(failed.Error) != "errorString" {
		t.Errorf("LambdaFunctionFailed details = %+v in %v", failed, types(events))
	}

	// Catch sees the same error name; a missing function is Lambda.ResourceNotFoundException.
	caught := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `","Catch":[{"ErrorEquals":["errorString"],"ResultPath":"$.err","Next":"Missing"}],"End":true},` +
		`"Missing":{"Type":"Task","Resource":"` + fnARN("missing") + `","End":true}}}`
	out = f.run(f.machine("Caught", caught, f.role("r2", allow("lambda:InvokeFunction", "*"))), `{}`)
	if aws.ToString(out.Error) != "Lambda.ResourceNotFoundException" {
		t.Errorf("execution = %s %q %q, want Lambda.ResourceNotFoundException", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
}

func TestLambdaInvokeIntegration(t *testing.T) {
	f := newFixture(t)
	f.lambda.add("echo", func(_ context.Context, in map[string]any) (map[string]any, error) { return in, nil })
	fn := fnARN("echo")
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
		`"Parameters":{"FunctionName":"echo","Qualifier":"live","Payload":{"x.$":"$.x"}},"ResultSelector":{"p.$":"$.Payload","s.$":"$.StatusCode"},"End":true}}}`
	// The unqualified ARN does not cover the qualified invocation.
	denied := f.run(f.machine("Denied", def, f.role("r1", allow("lambda:InvokeFunction", fn))), `{"x":7}`)
	if aws.ToString(denied.Error) != "Lambda.AWSLambdaException" || !strings.Contains(aws.ToString(denied.Cause), "on resource: "+fn+":live") {
		t.Errorf("qualified invoke with an unqualified grant = %s %q %q", denied.Status, aws.ToString(denied.Error), aws.ToString(denied.Cause))
	}
	out := f.run(f.machine("Invoke", def, f.role("r2", allow("lambda:InvokeFunction", fn, fn+":*"))), `{"x":7}`)
	if out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `{"p":{"x":7},"s":200}` {
		t.Errorf("execution = %s %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	events := f.history(aws.ToString(out.ExecutionArn))
	var sched *sfntypes.TaskScheduledEventDetails
	for _, e := range events {
		if e.TaskScheduledEventDetails != nil {
			sched = e.TaskScheduledEventDetails
		}
	}
	if sched == nil || aws.ToString(sched.ResourceType) != "lambda" || aws.ToString(sched.Resource) != "invoke" || aws.ToString(sched.Region) != region ||
		!strings.Contains(aws.ToString(sched.Parameters), `"FunctionName":"echo"`) {
		t.Errorf("TaskScheduled details = %+v", sched)
	}
}

func TestAccessDenied(t *testing.T) {
	f := newFixture(t)
	f.lambda.add("rollDie", dice(4))
	fn := fnARN("rollDie")
	role := f.role("NoInvoke", allow("lambda:GetFunction", fn))
	out := f.run(f.machine("RollDie", rollDieMachine(fn), role), `{}`)
	want := "User: arn:aws:sts::000000000000:assumed-role/NoInvoke/"
	wantTail := " is not authorized to perform: lambda:InvokeFunction on resource: " + fn +
		" because no identity-based policy allows the lambda:InvokeFunction action (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException;"
	cause := aws.ToString(out.Cause)
	if out.Status != sfntypes.ExecutionStatusFailed || aws.ToString(out.Error) != "Lambda.AWSLambdaException" ||
		!strings.HasPrefix(cause, want) || !strings.Contains(cause, wantTail) {
		t.Errorf("execution = %s %q\ncause %q\nwant  %q...%q", out.Status, aws.ToString(out.Error), cause, want, wantTail)
	}
	if n := f.lambda.count("rollDie"); n != 0 {
		t.Errorf("the function ran %d times despite the denial", n)
	}

	// An explicit deny wins over an allow.
	deny := f.role("Deny", allow("lambda:*", "*"), `{"Effect":"Deny","Action":"lambda:InvokeFunction","Resource":"`+fn+`"}`)
	out = f.run(f.machine("RollDie2", rollDieMachine(fn), deny), `{}`)
	if !strings.Contains(aws.ToString(out.Cause), "with an explicit deny in an identity-based policy") {
		t.Errorf("explicit deny cause = %q", aws.ToString(out.Cause))
	}

	// SNS.
	topic := "arn:aws:sns:us-east-1:000000000000:alerts"
	def := `{"StartAt":"N","States":{"N":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"` + topic + `","Message":"hi"},"End":true}}}`
	out = f.run(f.machine("Notify", def, f.role("NoPublish")), `{}`)
	if aws.ToString(out.Error) != "SNS.AuthorizationErrorException" || !strings.Contains(aws.ToString(out.Cause), "is not authorized to perform: sns:Publish on resource: "+topic) {
		t.Errorf("sns denial = %q %q", aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	if len(f.sns.all()) != 0 {
		t.Errorf("published %v despite the denial", f.sns.all())
	}
}

func TestSNSPublish(t *testing.T) {
	f := newFixture(t)
	topic := "arn:aws:sns:us-east-1:000000000000:alerts"
	def := `{"StartAt":"N","States":{"N":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",` +
		`"Parameters":{"TopicArn":"` + topic + `","Subject":"dragons","Message.$":"$"},"ResultSelector":{"id.$":"$.MessageId"},"End":true}}}`
	out := f.run(f.machine("Notify", def, f.role("pub", allow("sns:Publish", topic))), `{"dragon":"red"}`)
	if out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `{"id":"msg-1"}` {
		t.Errorf("execution = %s %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	got := f.sns.all()
	if len(got) != 1 || got[0] != (published{topic, "dragons", `{"dragon":"red"}`}) {
		t.Errorf("published %+v", got)
	}
}

func TestUnsupportedIntegration(t *testing.T) {
	f := newFixture(t)
	def := `{"StartAt":"Put","States":{"Put":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName":"t"},"End":true}}}`
	out := f.run(f.machine("Batch", def, f.role("r", allow("*", "*"))), `{}`)
	if out.Status != sfntypes.ExecutionStatusFailed || aws.ToString(out.Error) != "States.Runtime" ||
		!strings.Contains(aws.ToString(out.Cause), "arn:aws:states:::batch:submitJob.sync") || !strings.Contains(aws.ToString(out.Cause), "not supported by the local cloud") {
		t.Errorf("execution = %s %q %q", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
}

func TestStartSyncExecution(t *testing.T) {
	f := newFixture(t)
	f.lambda.add("double", func(_ context.Context, in struct{ N int }) (map[string]int, error) {
		return map[string]int{"n": in.N * 2}, nil
	})
	fn := fnARN("double")
	role := f.role("r", allow("lambda:InvokeFunction", fn))
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `","End":true}}}`
	express := f.machine("Express", def, role, sfntypes.StateMachineTypeExpress)
	out, err := f.client.StartSyncExecution(context.Background(), &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(express), Input: aws.String(`{"N":21}`)})
	if err != nil {
		t.Fatalf("StartSyncExecution = %v", err)
	}
	if out.Status != sfntypes.SyncExecutionStatusSucceeded || aws.ToString(out.Output) != `{"n":42}` ||
		!strings.HasPrefix(aws.ToString(out.ExecutionArn), "arn:aws:states:us-east-1:000000000000:express:Express:") {
		t.Errorf("StartSyncExecution = %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.ExecutionArn))
	}
	standard := f.machine("Standard", def, role)
	_, err = f.client.StartSyncExecution(context.Background(), &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(standard)})
	var notSupported *sfntypes.StateMachineTypeNotSupported
	if !errors.As(err, &notSupported) {
		t.Errorf("StartSyncExecution(STANDARD) = %v, want StateMachineTypeNotSupported", err)
	}
}

func TestHistoryOfMapAndParallel(t *testing.T) {
	f := newFixture(t)
	def := `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"Next":"M"},` +
		`"M":{"Type":"Map","ItemsPath":"$[0].items","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}`
	out := f.run(f.machine("MapPar", def, f.role("r")), `{"items":[1,2]}`)
	if out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `[1,2]` {
		t.Fatalf("execution = %s %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	events := f.history(aws.ToString(out.ExecutionArn))
	var length int32 = -1
	var indexes []int32
	for _, e := range events {
		if d := e.MapStateStartedEventDetails; d != nil {
			length = d.Length
		}
		if e.Type == sfntypes.HistoryEventTypeMapIterationSucceeded && e.MapIterationSucceededEventDetails != nil {
			indexes = append(indexes, e.MapIterationSucceededEventDetails.Index)
			if aws.ToString(e.MapIterationSucceededEventDetails.Name) != "M" {
				t.Errorf("MapIterationSucceeded name = %q", aws.ToString(e.MapIterationSucceededEventDetails.Name))
			}
		}
	}
	slices.Sort(indexes)
	if length != 2 || !slices.Equal(indexes, []int32{0, 1}) {
		t.Errorf("map events: length %d, iterations %v in %v", length, indexes, types(events))
	}
	if !slices.Contains(types(events), "ParallelStateStarted") {
		t.Errorf("no ParallelStateStarted in %v", types(events))
	}
	if d := events[0].ExecutionStartedEventDetails; d == nil || aws.ToString(d.Input) != `{"items":[1,2]}` || d.InputDetails == nil {
		t.Errorf("ExecutionStarted details = %+v", d)
	}
}
