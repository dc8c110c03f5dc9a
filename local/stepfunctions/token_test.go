package stepfunctions_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// callbackMachine publishes its task token to SNS and waits for it.
const topic = "arn:aws:sns:us-east-1:000000000000:approvals"

const callbackMachine = `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken",` +
	`"Parameters":{"TopicArn":"` + topic + `","Message":{"token.$":"$$.Task.Token","order.$":"$.order"}},` +
	`"HeartbeatSeconds":60,"Catch":[{"ErrorEquals":["Rejected"],"Next":"No"}],"End":true},"No":{"Type":"Pass","Result":"rejected","End":true}}}`

func TestTaskTokens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tokens := make(chan string, 4)
	f.sns.onPublish = func(p published) {
		var m struct{ Token string }
		_ = json.Unmarshal([]byte(p.Message), &m)
		tokens <- m.Token
	}
	m := f.machine("Approve", callbackMachine, f.role("r", allow("sns:Publish", topic)))

	start := func(order string) (string, string) {
		out, err := f.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`{"order":"` + order + `"}`)})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case tok := <-tokens:
			return aws.ToString(out.ExecutionArn), tok
		case <-time.After(10 * time.Second):
			t.Fatal("no token published")
		}
		return "", ""
	}

	// Success routes to the right execution, among two waiting.
	arnA, tokA := start("a")
	arnB, tokB := start("b")
	if _, err := f.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(tokB)}); err != nil {
		t.Errorf("SendTaskHeartbeat = %v", err)
	}
	if _, err := f.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tokB), Output: aws.String(`{"approved":"b"}`)}); err != nil {
		t.Fatalf("SendTaskSuccess = %v", err)
	}
	if out := f.wait(arnB); out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `{"approved":"b"}` {
		t.Errorf("execution b = %s %s", out.Status, aws.ToString(out.Output))
	}
	if d, _ := f.svc.DescribeExecution(arnA); d.Status != "RUNNING" {
		t.Errorf("execution a = %s, want RUNNING", d.Status)
	}
	if _, err := f.client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(tokA), Error: aws.String("Rejected"), Cause: aws.String("no")}); err != nil {
		t.Fatalf("SendTaskFailure = %v", err)
	}
	if out := f.wait(arnA); out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `"rejected"` {
		t.Errorf("execution a = %s %s", out.Status, aws.ToString(out.Output))
	}
	events := f.history(arnA)
	var submitted bool
	for _, e := range events {
		if d := e.TaskSubmittedEventDetails; d != nil && aws.ToString(d.ResourceType) == "sns" && aws.ToString(d.Resource) == "publish.waitForTaskToken" {
			submitted = true
		}
	}
	if !submitted {
		t.Errorf("no TaskSubmitted event for sns/publish.waitForTaskToken in %v", types(events))
	}

	// A token whose task completed is TaskDoesNotExist; one never issued is InvalidToken.
	_, err := f.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tokB), Output: aws.String(`{}`)})
	var gone *sfntypes.TaskDoesNotExist
	if !errors.As(err, &gone) {
		t.Errorf("SendTaskSuccess(used token) = %v, want TaskDoesNotExist", err)
	}
	_, err = f.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String("not-a-token")})
	var invalid *sfntypes.InvalidToken
	if !errors.As(err, &invalid) {
		t.Errorf("SendTaskHeartbeat(unknown token) = %v, want InvalidToken", err)
	}
	_, tokC := start("c")
	_, err = f.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tokC), Output: aws.String(`{`)})
	var badOutput *sfntypes.InvalidOutput
	if !errors.As(err, &badOutput) {
		t.Errorf("SendTaskSuccess(bad JSON) = %v, want InvalidOutput", err)
	}
}
