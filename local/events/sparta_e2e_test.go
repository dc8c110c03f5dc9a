//go:build !lambdabinary

package events_test

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/cfn/eventsource"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/service"
)

func noop(context.Context) error { return nil }

// A function declared with Sparta's CloudWatchEventsPermission (a
// rate(1 minute) rule with a constant Input) and deployed from the
// framework's template runs once a minute of a virtual clock: the rule,
// its target and the AWS::Lambda::Permission scoped to the rule's ARN come
// from CloudFormation, and the local EventBridge invokes the function
// because that permission allows it.
func TestFunctionScheduleFromTemplate(t *testing.T) {
	zip := buildEcho(t)
	fn, err := service.NewAWSLambda("echo", noop, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	arch := service.ArchX86_64
	if runtime.GOARCH == "arm64" {
		arch = service.ArchARM64
	}
	fn.Options = &service.LambdaFunctionOptions{Architecture: arch}
	fn.Permissions = []service.LambdaPermissionExporter{service.CloudWatchEventsPermission{Rules: map[string]service.CloudWatchEventsRule{
		"everyMinute": {ScheduleExpression: "rate(1 minute)", RuleTarget: &service.CloudWatchEventsRuleTarget{Input: `{"say":"tick"}`}},
	}}}
	tmpl := cfn.NewServiceTemplate("Ticks", "build-1", "test")
	res := cfn.AddFunction(tmpl, "Ticks", fn, service.Artifact{Bucket: "artifacts", Key: "echo.zip"})
	if err := eventsource.Add(tmpl, "Ticks", fn, res); err != nil {
		t.Fatal(err)
	}
	body, err := cfn.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}

	clock := newManualClock()
	c := localtest.Start(t, local.Options{Clock: clock})
	if err := c.S3().CreateBucket("artifacts", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.S3().PutObject("artifacts", "echo.zip", "application/zip", bytes.NewReader(zip)); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	cfg := localtest.Config(c)
	cf := cloudformation.NewFromConfig(cfg)
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("Ticks"), TemplateBody: aws.String(string(body)),
		Capabilities: []cftypes.Capability{cftypes.CapabilityCapabilityIam, cftypes.CapabilityCapabilityNamedIam}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the stack", func() bool {
		out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Ticks")})
		if err != nil || len(out.Stacks) == 0 {
			return false
		}
		switch s := string(out.Stacks[0].StackStatus); s {
		case "CREATE_COMPLETE":
			return true
		case "CREATE_IN_PROGRESS":
			return false
		default:
			t.Fatalf("stack %s: %s", s, aws.ToString(out.Stacks[0].StackStatusReason))
		}
		return false
	})
	group := "/aws/lambda/" + cfn.FunctionName("Ticks", "echo")
	cwl := cloudwatchlogs.NewFromConfig(cfg)
	ticks := func() int {
		out, err := cwl.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)})
		if err != nil {
			return 0
		}
		n := 0
		for _, e := range out.Events {
			if strings.Contains(aws.ToString(e.Message), `saying "tick"`) {
				n++
			}
		}
		return n
	}
	for minute := 1; minute <= 2; minute++ {
		clock.Advance(time.Minute)
		waitFor(t, "a scheduled invocation in the function's log", func() bool { return ticks() == minute })
	}
}
