//go:build !lambdabinary

package step

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/events"
	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/sparta-go/sparta/cfn"
)

// StateMachineTriggerLogicalID is the logical ID of the AWS::Events::Rule
// of the named trigger of the named machine.
func StateMachineTriggerLogicalID(machine, trigger string) string {
	return cfn.LogicalID(machine, "Trigger", trigger)
}

// StateMachineTriggerRoleLogicalID is the logical ID of the role the
// machine's triggers start it under.
func StateMachineTriggerRoleLogicalID(machine string) string {
	return cfn.LogicalID(machine, "TriggerRole")
}

// addTriggers emits each trigger's rule and, when there is one, the role
// EventBridge assumes to start the machine: trusted by
// events.amazonaws.com on behalf of this account only, and allowed
// states:StartExecution on this machine only.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html#eb-target-permissions
func (sm *StateMachine) addTriggers(t *cloudformation.Template, machineID string) error {
	if len(sm.triggers) == 0 {
		return nil
	}
	roleID := StateMachineTriggerRoleLogicalID(sm.name)
	ids := []string{roleID}
	for _, tr := range sm.triggers {
		ids = append(ids, StateMachineTriggerLogicalID(sm.name, tr.Name))
	}
	for _, id := range ids {
		if _, taken := t.Resources[id]; taken {
			return fmt.Errorf("state machine %q: the template already has a resource %s; give each state machine a different name", sm.name, id)
		}
	}
	machineARN := cfn.Ref(machineID)
	t.Resources[roleID] = &iam.Role{
		AssumeRolePolicyDocument: map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "events.amazonaws.com"},
				"Action":    "sts:AssumeRole",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": cfn.Ref("AWS::AccountId")}},
			}},
		},
		Policies: []iam.Role_Policy{{PolicyName: "StartExecution", PolicyDocument: map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect": "Allow", "Action": []string{"states:StartExecution"}, "Resource": []string{machineARN},
			}},
		}}},
	}
	for i, tr := range sm.triggers {
		rule := &events.Rule{
			Description: cloudformation.String(fmt.Sprintf("Starts state machine %s (trigger %s)", sm.name, tr.Name)),
			State:       cloudformation.String("ENABLED"),
			Targets: []events.Rule_Target{{
				Id: "StateMachine", Arn: machineARN, RoleArn: cloudformation.String(cfn.GetAtt(roleID, "Arn")),
				Input: optionalString(tr.Input), InputPath: optionalString(tr.InputPath),
			}},
		}
		if tr.Description != "" {
			rule.Description = cloudformation.String(tr.Description)
		}
		if tr.Schedule != "" {
			rule.ScheduleExpression = cloudformation.String(tr.Schedule)
		}
		if len(tr.EventPattern) > 0 {
			rule.EventPattern = tr.EventPattern
		}
		if tr.EventBusName != "" {
			rule.EventBusName = cloudformation.String(tr.EventBusName)
		}
		t.Resources[ids[i+1]] = rule
	}
	return nil
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return cloudformation.String(s)
}
