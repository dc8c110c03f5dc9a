package events_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"

	"github.com/sparta-go/sparta/local/localtest"
)

func client(t *testing.T) (*eventbridge.Client, context.Context) {
	c := localtest.Start(t)
	return eventbridge.NewFromConfig(localtest.Config(c)), context.Background()
}

// apiError asserts err is the AWS error code with message msg (exact when
// msg is not empty).
func apiError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || (msg != "" && ae.ErrorMessage() != msg) {
		t.Errorf("%s = %v, want %s %q", what, err, code, msg)
	}
}

// Rules and targets through the SDK, with EventBridge's answers and errors
// (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html,
// API_DescribeRule.html, API_PutTargets.html, API_DeleteRule.html).
func TestRulesAndTargets(t *testing.T) {
	eb, ctx := client(t)
	out, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("orders"), EventPattern: aws.String(`{"source":["shop"]}`), Description: aws.String("orders")})
	if err != nil || aws.ToString(out.RuleArn) != "arn:aws:events:us-east-1:000000000000:rule/orders" {
		t.Fatalf("PutRule = %v, %v", out, err)
	}
	if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("nightly"), ScheduleExpression: aws.String("cron(0 2 * * ? *)")}); err != nil {
		t.Fatal(err)
	}
	d, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("orders")})
	if err != nil || d.State != ebtypes.RuleStateEnabled || aws.ToString(d.EventBusName) != "default" || aws.ToString(d.EventPattern) != `{"source":["shop"]}` {
		t.Fatalf("DescribeRule = %+v, %v", d, err)
	}
	_, err = eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("nope")})
	apiError(t, "DescribeRule(nope)", err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("bad"), ScheduleExpression: aws.String("rate(1 minutes)")})
	apiError(t, "PutRule(rate(1 minutes))", err, "ValidationException", "Parameter ScheduleExpression is not valid.")
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("bad")})
	apiError(t, "PutRule without pattern or schedule", err, "ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.")
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("bad"), EventPattern: aws.String(`{"source":"shop"}`)})
	apiError(t, "PutRule(bad pattern)", err, "InvalidEventPatternException", `Event pattern is not valid. Reason: "source" must be an object or an array`)

	rules, err := eb.ListRules(ctx, &eventbridge.ListRulesInput{NamePrefix: aws.String("ord")})
	if err != nil || len(rules.Rules) != 1 || aws.ToString(rules.Rules[0].Name) != "orders" {
		t.Fatalf("ListRules = %+v, %v", rules, err)
	}

	fn := "arn:aws:lambda:us-east-1:000000000000:function:f"
	pt, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("orders"), Targets: []ebtypes.Target{
		{Id: aws.String("one"), Arn: aws.String(fn), Input: aws.String(`{"k":1}`)},
		{Id: aws.String("two"), Arn: aws.String(fn), InputTransformer: &ebtypes.InputTransformer{InputPathsMap: map[string]string{"s": "$.source"}, InputTemplate: aws.String(`{"s": <s>}`)}},
	}})
	if err != nil || pt.FailedEntryCount != 0 {
		t.Fatalf("PutTargets = %+v, %v", pt, err)
	}
	_, err = eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("orders"), Targets: []ebtypes.Target{
		{Id: aws.String("sfn"), Arn: aws.String("arn:aws:states:us-east-1:000000000000:stateMachine:m")}}})
	apiError(t, "PutTargets(state machine without RoleArn)", err, "ValidationException", "")
	_, err = eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("nope"), Targets: []ebtypes.Target{{Id: aws.String("x"), Arn: aws.String(fn)}}})
	apiError(t, "PutTargets(missing rule)", err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	lt, err := eb.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("orders")})
	if err != nil || len(lt.Targets) != 2 || aws.ToString(lt.Targets[1].InputTransformer.InputTemplate) != `{"s": <s>}` {
		t.Fatalf("ListTargetsByRule = %+v, %v", lt, err)
	}
	byTarget, err := eb.ListRuleNamesByTarget(ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(fn)})
	if err != nil || len(byTarget.RuleNames) != 1 || byTarget.RuleNames[0] != "orders" {
		t.Errorf("ListRuleNamesByTarget = %+v, %v", byTarget, err)
	}
	_, err = eb.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("orders")})
	apiError(t, "DeleteRule with targets", err, "ValidationException", "Rule can't be deleted since it has targets.")
	if _, err := eb.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("orders"), Ids: []string{"one", "two"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	if d, _ := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("orders")}); d.State != ebtypes.RuleStateDisabled {
		t.Errorf("after DisableRule the state is %s", d.State)
	}
	if _, err := eb.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("orders")}); err != nil {
		t.Errorf("deleting a deleted rule = %v, want success as on AWS", err)
	}
}

func TestBusesAndPutEvents(t *testing.T) {
	eb, ctx := client(t)
	cb, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("dragons")})
	if err != nil || aws.ToString(cb.EventBusArn) != "arn:aws:events:us-east-1:000000000000:event-bus/dragons" {
		t.Fatalf("CreateEventBus = %v, %v", cb, err)
	}
	_, err = eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("dragons")})
	apiError(t, "CreateEventBus twice", err, "ResourceAlreadyExistsException", "Event bus dragons already exists.")
	out, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String("dragons"), EventPattern: aws.String(`{"source":["x"]}`)})
	if err != nil || aws.ToString(out.RuleArn) != "arn:aws:events:us-east-1:000000000000:rule/dragons/r" {
		t.Fatalf("PutRule on a custom bus = %v, %v", out, err)
	}
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("s"), EventBusName: aws.String("dragons"), ScheduleExpression: aws.String("rate(1 minute)")})
	apiError(t, "PutRule(schedule on a custom bus)", err, "ValidationException", "ScheduleExpression is supported only on the default event bus.")
	_, err = eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r")})
	apiError(t, "DescribeRule on the default bus", err, "ResourceNotFoundException", "Rule r does not exist on EventBus default.")
	buses, err := eb.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
	if err != nil || len(buses.EventBuses) != 2 {
		t.Fatalf("ListEventBuses = %+v, %v", buses, err)
	}
	pe, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{
		{Source: aws.String("x"), DetailType: aws.String("t"), Detail: aws.String(`{"a":1}`), EventBusName: aws.String("dragons")},
		{Source: aws.String("x"), DetailType: aws.String("t"), Detail: aws.String(`not json`)},
		{DetailType: aws.String("t"), Detail: aws.String(`{}`)},
		{Source: aws.String("x"), DetailType: aws.String("t"), Detail: aws.String(`{}`), EventBusName: aws.String("nope")},
	}})
	if err != nil || pe.FailedEntryCount != 3 || aws.ToString(pe.Entries[0].EventId) == "" ||
		aws.ToString(pe.Entries[1].ErrorCode) != "MalformedDetail" || aws.ToString(pe.Entries[2].ErrorCode) != "InvalidArgument" ||
		aws.ToString(pe.Entries[3].ErrorCode) != "ResourceNotFoundException" {
		t.Fatalf("PutEvents = %+v, %v", pe, err)
	}
	tp, err := eb.TestEventPattern(ctx, &eventbridge.TestEventPatternInput{EventPattern: aws.String(`{"detail":{"n":[{"numeric":[">",1]}]}}`),
		Event: aws.String(`{"id":"1","account":"000000000000","source":"x","time":"2026-12-07T00:00:00Z","region":"us-east-1","detail-type":"t","resources":[],"detail":{"n":2}}`)})
	if err != nil || !tp.Result {
		t.Errorf("TestEventPattern = %v, %v", tp, err)
	}
	_, err = eb.DeleteEventBus(ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("dragons")})
	apiError(t, "DeleteEventBus with rules", err, "ValidationException", "")
}

// The AWS CLI drives rules and events against the local cloud.
func TestEventsCLI(t *testing.T) {
	c := localtest.Start(t)
	out := localtest.CLI(t, c, "events", "put-rule", "--name", "cli-rule", "--schedule-expression", "rate(5 minutes)")
	if !strings.Contains(out, "arn:aws:events:us-east-1:000000000000:rule/cli-rule") {
		t.Fatalf("aws events put-rule = %s", out)
	}
	out = localtest.CLI(t, c, "events", "describe-rule", "--name", "cli-rule")
	if !strings.Contains(out, `"ScheduleExpression": "rate(5 minutes)"`) || !strings.Contains(out, `"State": "ENABLED"`) {
		t.Errorf("aws events describe-rule = %s", out)
	}
	localtest.CLI(t, c, "events", "put-targets", "--rule", "cli-rule", "--targets", `Id=1,Arn=arn:aws:lambda:us-east-1:000000000000:function:f,Input="{\"a\":1}"`)
	out = localtest.CLI(t, c, "events", "list-targets-by-rule", "--rule", "cli-rule")
	if !strings.Contains(out, `"Id": "1"`) {
		t.Errorf("aws events list-targets-by-rule = %s", out)
	}
	out = localtest.CLI(t, c, "events", "put-events", "--entries", `[{"Source":"cli","DetailType":"d","Detail":"{\"k\":\"v\"}"}]`)
	if !strings.Contains(out, `"FailedEntryCount": 0`) || !strings.Contains(out, "EventId") {
		t.Errorf("aws events put-events = %s", out)
	}
	out = localtest.CLI(t, c, "events", "test-event-pattern", "--event-pattern", `{"detail":{"k":[{"prefix":"v"}]}}`,
		"--event", `{"id":"1","account":"000000000000","source":"cli","time":"2026-12-07T00:00:00Z","region":"us-east-1","resources":[],"detail-type":"d","detail":{"k":"value"}}`)
	if !strings.Contains(out, `"Result": true`) {
		t.Errorf("aws events test-event-pattern = %s", out)
	}
	out = localtest.CLI(t, c, "events", "list-rules")
	if !strings.Contains(out, "cli-rule") {
		t.Errorf("aws events list-rules = %s", out)
	}
	if out, err := localtest.RunCLI(t, c, "events", "describe-rule", "--name", "nope"); err == nil || !strings.Contains(out, "Rule nope does not exist on EventBus default.") {
		t.Errorf("aws events describe-rule of a missing rule = %v %s", err, out)
	}
}
