//go:build !lambdabinary

package eventsource

import (
	"errors"
	"fmt"
	"sort"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/events"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// ruleTargetID is the Id of the function's target in each rule it gets.
const ruleTargetID = "Function"

// RuleLogicalID is the logical ID of the AWS::Events::Rule of function
// fn's Permissions[i], rule name (a key of CloudWatchEventsPermission.Rules,
// or "" for an EventBridgePermission).
func RuleLogicalID(fn string, i int, name string) string {
	return cfn.LogicalID(fn, "EventsRule", fmt.Sprint(i), name)
}

// addCloudWatchEvents emits one AWS::Events::Rule per entry of p.Rules (in
// name order, so the template is the same every time), each targeting the
// function with the entry's RuleTarget Input or InputPath, and for each an
// AWS::Lambda::Permission for events.amazonaws.com scoped to that rule's
// ARN.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
func addCloudWatchEvents(t *cloudformation.Template, _ string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.CloudWatchEventsPermission) error {
	if err := p.Validate(fn.Name); err != nil {
		return err
	}
	names := make([]string, 0, len(p.Rules))
	for name := range p.Rules {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		r := p.Rules[name]
		where := fmt.Sprintf("function %q: Permissions[%d] (CloudWatchEventsPermission) rule %q", fn.Name, i, name)
		target := events.Rule_Target{Id: ruleTargetID, Arn: cloudformation.GetAtt(res.Function, "Arn")}
		if rt := r.RuleTarget; rt != nil {
			target.Input = optional(rt.Input)
			target.InputPath = optional(rt.InputPath)
		}
		if err := addRule(t, fn, res, i, name, ruleSpec{description: r.Description, pattern: r.EventPattern, schedule: r.ScheduleExpression}, target, p.BasePermission); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	return errors.Join(errs...)
}

// ruleSpec is what a rule of either permission kind says.
type ruleSpec struct {
	description, bus, schedule string
	pattern                    map[string]any
}

// addRule emits the rule with its one target, and the permission that lets
// that rule (and no other) invoke the function.
func addRule(t *cloudformation.Template, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, name string, spec ruleSpec, target events.Rule_Target, base service.BasePermission) error {
	id := RuleLogicalID(fn.Name, i, name)
	if _, taken := t.Resources[id]; taken {
		return fmt.Errorf("the template already has a resource %s", id)
	}
	rule := &events.Rule{
		Description:  optional(spec.description),
		EventBusName: optional(spec.bus),
		State:        cloudformation.String("ENABLED"),
		Targets:      []events.Rule_Target{target},
	}
	if spec.schedule != "" {
		rule.ScheduleExpression = cloudformation.String(spec.schedule)
	}
	if len(spec.pattern) > 0 {
		rule.EventPattern = spec.pattern
	}
	t.Resources[id] = rule
	base.SourceArn = cloudformation.GetAtt(id, "Arn")
	invokePermission(t, fn, res, "EventsRule"+name, i, "events.amazonaws.com", base)
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return cloudformation.String(s)
}
