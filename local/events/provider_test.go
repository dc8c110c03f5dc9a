package events_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/sparta-go/sparta/local/localtest"
)

const rulesTemplate = `{
  "Resources": {
    "Bus": {"Type": "AWS::Events::EventBus", "Properties": {"Name": "sightings"}},
    "Nightly": {
      "Type": "AWS::Events::Rule",
      "Properties": {
        "ScheduleExpression": "cron(0 2 * * ? *)",
        "Targets": [{"Id": "report", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:report", "Input": "{\"kind\":\"nightly\"}"}]
      }
    },
    "OnBus": {
      "Type": "AWS::Events::Rule",
      "Properties": {
        "Name": "on-bus",
        "EventBusName": {"Ref": "Bus"},
        "EventPattern": {"source": ["dragons"], "detail": {"size": [{"numeric": [">", 10]}]}},
        "Targets": [{"Id": "t", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:report",
          "InputTransformer": {"InputPathsMap": {"s": "$.detail.size"}, "InputTemplate": "{\"size\": <s>}"}}]
      }
    }
  },
  "Outputs": {
    "Nightly": {"Value": {"Ref": "Nightly"}},
    "NightlyArn": {"Value": {"Fn::GetAtt": ["Nightly", "Arn"]}},
    "OnBus": {"Value": {"Ref": "OnBus"}},
    "BusArn": {"Value": {"Fn::GetAtt": ["Bus", "Arn"]}}
  }
}`

// Rules and a bus are deployed from CloudFormation and deleted with their
// stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html#aws-resource-events-rule-return-values:
// Ref is the rule's name, "bus|name" on a custom bus).
func TestRulesFromCloudFormation(t *testing.T) {
	c := localtest.Start(t)
	ctx := t.Context()
	cfg := localtest.Config(c)
	cf := cloudformation.NewFromConfig(cfg)
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("Rules"), TemplateBody: aws.String(rulesTemplate)}); err != nil {
		t.Fatal(err)
	}
	w := cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay = 50e6; o.MaxDelay = 200e6 })
	out, err := w.WaitForOutput(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Rules")}, 60e9)
	if err != nil {
		t.Fatalf("waiting for the stack: %v", err)
	}
	outputs := map[string]string{}
	for _, o := range out.Stacks[0].Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	nightly := outputs["Nightly"]
	if !strings.HasPrefix(nightly, "Rules-Nightly-") || outputs["NightlyArn"] != "arn:aws:events:us-east-1:000000000000:rule/"+nightly ||
		outputs["OnBus"] != "sightings|on-bus" || outputs["BusArn"] != "arn:aws:events:us-east-1:000000000000:event-bus/sightings" {
		t.Errorf("outputs = %v", outputs)
	}
	eb := eventbridge.NewFromConfig(cfg)
	lt, err := eb.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("on-bus"), EventBusName: aws.String("sightings")})
	if err != nil || len(lt.Targets) != 1 || aws.ToString(lt.Targets[0].InputTransformer.InputTemplate) != `{"size": <s>}` {
		t.Fatalf("ListTargetsByRule = %+v, %v", lt, err)
	}
	// An update changes the schedule and replaces the targets in place.
	updated := strings.Replace(strings.Replace(rulesTemplate, "cron(0 2 * * ? *)", "rate(2 hours)", 1), `"Id": "report"`, `"Id": "report2"`, 1)
	if _, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("Rules"), TemplateBody: aws.String(updated)}); err != nil {
		t.Fatal(err)
	}
	uw := cloudformation.NewStackUpdateCompleteWaiter(cf, func(o *cloudformation.StackUpdateCompleteWaiterOptions) { o.MinDelay = 50e6; o.MaxDelay = 200e6 })
	if err := uw.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Rules")}, 60e9); err != nil {
		t.Fatalf("waiting for the update: %v", err)
	}
	d, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(nightly)})
	if err != nil || aws.ToString(d.ScheduleExpression) != "rate(2 hours)" {
		t.Errorf("after the update DescribeRule = %+v, %v", d, err)
	}
	lt, err = eb.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(nightly)})
	if err != nil || len(lt.Targets) != 1 || aws.ToString(lt.Targets[0].Id) != "report2" {
		t.Errorf("after the update ListTargetsByRule = %+v, %v", lt, err)
	}

	if _, err := cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("Rules")}); err != nil {
		t.Fatal(err)
	}
	dw := cloudformation.NewStackDeleteCompleteWaiter(cf, func(o *cloudformation.StackDeleteCompleteWaiterOptions) { o.MinDelay = 50e6; o.MaxDelay = 200e6 })
	if err := dw.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Rules")}, 60e9); err != nil {
		t.Fatalf("waiting for the deletion: %v", err)
	}
	_, err = eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(nightly)})
	apiError(t, "DescribeRule(after the stack's deletion)", err, "ResourceNotFoundException", "Rule "+nightly+" does not exist on EventBus default.")
	_, err = eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("sightings")})
	apiError(t, "DescribeEventBus(after the stack's deletion)", err, "ResourceNotFoundException", "Event bus sightings does not exist.")
}
