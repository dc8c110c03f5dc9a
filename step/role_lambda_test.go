//go:build !lambdabinary

package step_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// invokeResources decorates sm and returns the resources its role may call
// lambda:InvokeFunction on, as CloudFormation receives them.
func invokeResources(t *testing.T, sm *step.StateMachine) []string {
	t.Helper()
	sc := newServiceContext(t, rollDieLambda(t))
	decorate(t, sm, sc)
	out := templateJSON(t, sc.Template)
	role := out["Resources"].(map[string]any)[step.StateMachineRoleLogicalID(sm.Name())].(map[string]any)["Properties"].(map[string]any)
	var got []string
	policies, _ := role["Policies"].([]any)
	if len(policies) == 0 {
		return nil
	}
	for _, s := range policies[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
		st := s.(map[string]any)
		for _, a := range st["Action"].([]any) {
			if a != "lambda:InvokeFunction" {
				continue
			}
			for _, r := range st["Resource"].([]any) {
				b, _ := json.Marshal(r)
				got = append(got, string(b))
			}
		}
	}
	return got
}

// TestRolePolicyLambdaARNs wants lambda:InvokeFunction on the function and
// on ARN:*, the qualified ARNs of its versions and aliases, whichever way
// the task names the function: as its Resource or as lambda:invoke's
// FunctionName, as a literal ARN, a literal ARN in another partition, or a
// function of the service.
// See https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html.
func TestRolePolicyLambdaARNs(t *testing.T) {
	const fnARN = "arn:aws:lambda:us-east-1:123456789012:function:Other"
	const cnARN = "arn:aws-cn:lambda:cn-north-1:123456789012:function:Other"
	id := cfn.FunctionLogicalID("StepRollDie")
	service := []string{`{"Fn::GetAtt":["` + id + `","Arn"]}`, `{"Fn::Sub":"${` + id + `.Arn}:*"}`}
	tests := []struct {
		name  string
		state func(t *testing.T) step.State
		want  []string
	}{
		{
			name:  "literal ARN as Resource",
			state: func(*testing.T) step.State { return step.NewResourceTaskState("Call", fnARN, nil) },
			want:  []string{`"` + fnARN + `"`, `"` + fnARN + `:*"`},
		},
		{
			name:  "literal ARN of another partition as Resource",
			state: func(*testing.T) step.State { return step.NewResourceTaskState("Call", cnARN, nil) },
			want:  []string{`"` + cnARN + `"`, `"` + cnARN + `:*"`},
		},
		{
			name: "literal ARN as lambda:invoke FunctionName",
			state: func(*testing.T) step.State {
				return step.NewResourceTaskState("Call", step.ResourceLambdaInvoke, map[string]any{"FunctionName": fnARN, "Payload.$": "$"})
			},
			want: []string{`"` + fnARN + `"`, `"` + fnARN + `:*"`},
		},
		{
			name: "function name as lambda:invoke FunctionName",
			state: func(*testing.T) step.State {
				return step.NewResourceTaskState("Call", step.ResourceLambdaInvoke, map[string]any{"FunctionName": "Other", "Payload.$": "$"})
			},
			want: []string{
				`{"Fn::Sub":"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:Other"}`,
				`{"Fn::Sub":"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:Other:*"}`,
			},
		},
		{
			name:  "service function as Resource",
			state: func(t *testing.T) step.State { return step.NewLambdaTaskState("Call", rollDieLambda(t)) },
			want:  service,
		},
		{
			name: "service function through lambda:invoke",
			state: func(t *testing.T) step.State {
				return step.NewLambdaTaskState("Call", rollDieLambda(t)).WithInvokeIntegration()
			},
			want: service,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := invokeResources(t, step.NewStateMachine("Calls", tt.state(t)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lambda:InvokeFunction resources (-want +got):\n%s", diff)
			}
		})
	}
}
