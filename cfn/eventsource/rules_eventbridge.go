//go:build !lambdabinary

package eventsource

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/events"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// addEventBridge emits p.Rule as an AWS::Events::Rule on its bus (the
// default bus when EventBusName is empty) targeting the function with the
// event as its input, and the AWS::Lambda::Permission for
// events.amazonaws.com scoped to that rule's ARN.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
func addEventBridge(t *cloudformation.Template, _ string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.EventBridgePermission) error {
	if err := p.Validate(fn.Name); err != nil {
		return err
	}
	r := p.Rule
	if r.ScheduleExpression != "" && r.EventBusName != "" && r.EventBusName != "default" {
		return fmt.Errorf("function %q: Permissions[%d] (EventBridgePermission): a ScheduleExpression runs on the default event bus only, not on %q: leave EventBusName empty", fn.Name, i, r.EventBusName)
	}
	target := events.Rule_Target{Id: ruleTargetID, Arn: cloudformation.GetAtt(res.Function, "Arn")}
	if err := addRule(t, fn, res, i, "", ruleSpec{description: r.Description, bus: r.EventBusName, pattern: r.EventPattern, schedule: r.ScheduleExpression}, target, p.BasePermission); err != nil {
		return fmt.Errorf("function %q: Permissions[%d] (EventBridgePermission): %w", fn.Name, i, err)
	}
	return nil
}
