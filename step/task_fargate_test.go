//go:build !lambdabinary

package step_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

func fargateMachine() *step.StateMachine {
	task := step.NewFargateTaskState("RunReport", step.FargateTaskParameters{
		Cluster:        cfn.Ref("ReportsCluster"),
		TaskDefinition: cfn.Ref("ReportsTaskDefinition"),
		NetworkConfiguration: &step.FargateNetworkConfiguration{AWSVPCConfiguration: &step.AwsvpcConfiguration{
			Subnets:        []string{cfn.Ref("ReportsSubnetA"), cfn.Ref("ReportsSubnetB")},
			SecurityGroups: []string{cfn.Ref("ReportsSecurityGroup")},
			AssignPublicIp: "ENABLED",
		}},
		Overrides: &step.TaskOverrides{ContainerOverrides: []step.ContainerOverride{{
			Name: "report", Command: []string{"report"},
			Environment:      []step.KeyValue{{Name: "MODE", Value: "full"}},
			EnvironmentPaths: map[string]string{"ORDER_ID": "$.orderId"},
		}}},
		PassRoles: []string{cfn.GetAtt("ReportsExecutionRole", "Arn"), cfn.GetAtt("ReportsTaskRole", "Arn")},
	})
	return step.NewStateMachine("Reports", task)
}

func TestFargateTaskStateDefinition(t *testing.T) {
	b, err := fargateMachine().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var def struct {
		States map[string]struct {
			Resource   string
			Parameters map[string]any
		}
	}
	if err := json.Unmarshal(b, &def); err != nil {
		t.Fatal(err)
	}
	st := def.States["RunReport"]
	if st.Resource != "arn:aws:states:::ecs:runTask.sync" {
		t.Errorf("Resource = %q, want arn:aws:states:::ecs:runTask.sync", st.Resource)
	}
	p := st.Parameters
	if p["LaunchType"] != "FARGATE" || !isPlaceholder(p["Cluster"]) || !isPlaceholder(p["TaskDefinition"]) {
		t.Errorf("Parameters = %v, want FARGATE and placeholders for the cluster and task definition", p)
	}
	vpc := p["NetworkConfiguration"].(map[string]any)["AwsvpcConfiguration"].(map[string]any)
	if subnets := vpc["Subnets"].([]any); len(subnets) != 2 || !isPlaceholder(subnets[0]) || subnets[0] == subnets[1] || vpc["AssignPublicIp"] != "ENABLED" {
		t.Errorf("AwsvpcConfiguration = %v, want two distinct subnet placeholders and ENABLED", vpc)
	}
	override := p["Overrides"].(map[string]any)["ContainerOverrides"].([]any)[0].(map[string]any)
	want := map[string]any{"Name": "report", "Command": []any{"report"}, "Environment": []any{
		map[string]any{"Name": "MODE", "Value": "full"}, map[string]any{"Name": "ORDER_ID", "Value.$": "$.orderId"},
	}}
	if diff := cmp.Diff(want, override); diff != "" {
		t.Errorf("ContainerOverrides[0] (-want +got):\n%s", diff)
	}
}

func isPlaceholder(v any) bool {
	s, _ := v.(string)
	return strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}")
}

// TestFargateTaskStatePolicy checks the machine role's grants for a
// Fargate task: RunTask on that task definition only, PassRole on exactly
// the two roles, the .sync task actions and the managed ECS rule.
func TestFargateTaskStatePolicy(t *testing.T) {
	sc := newServiceContext(t)
	decorate(t, fargateMachine(), sc)
	out := templateJSON(t, sc.Template)
	resources := out["Resources"].(map[string]any)
	machine := resources[step.StateMachineLogicalID("Reports")].(map[string]any)["Properties"].(map[string]any)
	subs, _ := json.Marshal(machine["DefinitionSubstitutions"])
	for _, id := range []string{"ReportsCluster", "ReportsTaskDefinition", "ReportsSubnetA", "ReportsSubnetB", "ReportsSecurityGroup"} {
		if !strings.Contains(string(subs), `{"Ref":"`+id+`"}`) {
			t.Errorf("DefinitionSubstitutions = %s, want a Ref to %s", subs, id)
		}
	}
	role := resources[step.StateMachineRoleLogicalID("Reports")].(map[string]any)["Properties"].(map[string]any)
	statements := role["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	got := map[string]string{}
	for _, s := range statements {
		st := s.(map[string]any)
		res, _ := json.Marshal(st["Resource"])
		for _, a := range st["Action"].([]any) {
			got[a.(string)] = string(res)
		}
	}
	task := `[{"Fn::Sub":"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/*"}]`
	rule := `[{"Fn::Sub":"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForECSTaskRule"}]`
	want := map[string]string{
		"ecs:RunTask":         `[{"Ref":"ReportsTaskDefinition"}]`,
		"iam:PassRole":        `[{"Fn::GetAtt":["ReportsExecutionRole","Arn"]},{"Fn::GetAtt":["ReportsTaskRole","Arn"]}]`,
		"ecs:StopTask":        task,
		"ecs:DescribeTasks":   task,
		"events:PutTargets":   rule,
		"events:PutRule":      rule,
		"events:DescribeRule": rule,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		actions := make([]string, 0, len(got))
		for a := range got {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		t.Errorf("role policy (-want +got):\n%s\nactions: %v", diff, actions)
	}
}
