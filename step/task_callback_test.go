//go:build !lambdabinary

package step_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// The typed callback states of SNS and Lambda: their resources carry
// .waitForTaskToken, they validate with HeartbeatSeconds, and the role
// gets exactly sns:Publish on the topic and lambda:InvokeFunction on the
// function, as for their request-response forms.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
func TestSNSAndLambdaCallbackStates(t *testing.T) {
	fn := rollDieLambda(t)
	ask := step.NewLambdaTaskState("Ask", fn).WithInvokeIntegration().WaitForTaskToken().
		WithParameters(map[string]any{"FunctionName": step.FunctionPlaceholder(fn.Name), "Payload": map[string]any{"token.$": "$$.Task.Token"}}).
		WithHeartbeatSeconds(600)
	publish := step.NewSNSPublishState("Publish", cfn.Ref("Witnesses"), map[string]any{
		"Message": map[string]any{"token.$": "$$.Task.Token"},
	}).WaitForTaskToken().WithTimeoutSeconds(3600).WithHeartbeatSeconds(600)
	ask.Next(publish)
	sm := step.NewStateMachine("Callbacks", ask)
	if err := sm.Validate(); err != nil {
		t.Fatal(err)
	}
	if ask.Resource() != "arn:aws:states:::lambda:invoke.waitForTaskToken" || publish.Resource() != "arn:aws:states:::sns:publish.waitForTaskToken" {
		t.Errorf("resources = %s, %s", ask.Resource(), publish.Resource())
	}
	sc := newServiceContext(t, fn)
	decorate(t, sm, sc)
	out := templateJSON(t, sc.Template)
	role := out["Resources"].(map[string]any)[step.StateMachineRoleLogicalID("Callbacks")].(map[string]any)["Properties"].(map[string]any)
	got := map[string]string{}
	for _, s := range role["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
		st := s.(map[string]any)
		res, _ := json.Marshal(st["Resource"])
		if strings.Contains(string(res), `"*"`) {
			t.Errorf("wildcard resource %s", res)
		}
		for _, a := range st["Action"].([]any) {
			got[a.(string)] = string(res)
		}
	}
	if len(got) != 2 || !strings.Contains(got["sns:Publish"], "Witnesses") || !strings.Contains(got["lambda:InvokeFunction"], fn.Name) {
		t.Errorf("policy = %v, want sns:Publish on Witnesses and lambda:InvokeFunction on %s", got, fn.Name)
	}
	// DynamoDB has no callback form, as on AWS.
	bad := step.NewStateMachine("Bad", step.NewDynamoDBPutItemState("Put", "T", map[string]any{"Item": map[string]any{}}).WaitForTaskToken())
	if err := bad.Validate(); err == nil || !strings.Contains(fmt.Sprint(err), "does not support the .waitForTaskToken integration pattern") {
		t.Errorf("Validate(putItem.waitForTaskToken) = %v", err)
	}
}
