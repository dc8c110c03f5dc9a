package stepfunctions_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// lambda:invoke.waitForTaskToken calls the function with the token in its
// payload and waits for SendTaskSuccess; the machine's role needs
// lambda:InvokeFunction on the function only.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
func TestLambdaInvokeWaitForTaskToken(t *testing.T) {
	f := newFixture(t)
	tokens := make(chan string, 1)
	f.lambda.add("askWitness", func(_ context.Context, in struct{ Token, Sighting string }) (string, error) {
		tokens <- in.Token
		return "asked", nil
	})
	fn := fnARN("askWitness")
	def := `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	  "Parameters":{"FunctionName":"` + fn + `","Payload":{"Token.$":"$$.Task.Token","Sighting.$":"$.id"}},
	  "HeartbeatSeconds":60,"ResultPath":"$.witness","End":true}}}`
	m := f.machine("Witness", def, f.role("w", allow("lambda:InvokeFunction", fn)))
	ctx := context.Background()
	out, err := f.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`{"id":"smok"}`)})
	if err != nil {
		t.Fatal(err)
	}
	var token string
	select {
	case token = <-tokens:
	case <-time.After(10 * time.Second):
		t.Fatal("the function was not called")
	}
	if _, err := f.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"seen":true}`)}); err != nil {
		t.Fatal(err)
	}
	d := f.wait(aws.ToString(out.ExecutionArn))
	if d.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"id":"smok","witness":{"seen":true}}` {
		t.Errorf("execution = %s %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Cause))
	}
	// What the function returned is the TaskSubmitted event's output.
	for _, e := range f.history(aws.ToString(out.ExecutionArn)) {
		if e.Type == sfntypes.HistoryEventTypeTaskSubmitted && e.TaskSubmittedEventDetails != nil && aws.ToString(e.TaskSubmittedEventDetails.Resource) != "invoke.waitForTaskToken" {
			t.Errorf("TaskSubmitted resource = %s", aws.ToString(e.TaskSubmittedEventDetails.Resource))
		}
	}
}

// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat are authorized on
// the machine whose task holds the token (the resource CDK's
// grantTaskResponse grants them on), so a consumer's role may be limited
// to that machine.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
func TestSendTaskPermissionsNameTheMachine(t *testing.T) {
	f := newFixture(t)
	m, _, token := startWaiting(t, f, "z")
	for _, op := range []string{"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"} {
		for _, tt := range []struct{ token, want string }{{token, m}, {"unknown", "*"}} {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"taskToken":"`+tt.token+`"}`))
			req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
			perms, err := f.svc.Permissions(req)
			if err != nil || len(perms) != 1 || perms[0].Action != "states:"+op || perms[0].Resource != tt.want {
				t.Errorf("Permissions(%s, token %s) = %+v, %v; want states:%s on %s", op, tt.token, perms, err, op, tt.want)
			}
		}
	}
}
