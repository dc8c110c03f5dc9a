//go:build !lambdabinary

package events_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	awscfn "github.com/awslabs/goformation/v7/cloudformation"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// A machine declared with step's WithSchedule("rate(1 minute)") and
// deployed from the decorator's template runs once a minute of a virtual
// clock on the local cloud: the rule, the trigger role (trusted by
// events.amazonaws.com for this account, allowed states:StartExecution on
// the machine) and the machine come from CloudFormation, and EventBridge
// starts each execution under that role, checked by the local IAM.
func TestScheduledMachineFromTemplate(t *testing.T) {
	sm := step.NewStateMachine("Report", step.NewPassState("Summarize")).WithSchedule("everyMinute", "rate(1 minute)")
	sc := &service.ServiceContext{Service: "Reports", Template: awscfn.NewTemplate(), Values: map[string]any{}}
	if err := sm.StateMachineDecorator().DecorateService(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	body, err := cfn.Marshal(sc.Template)
	if err != nil {
		t.Fatal(err)
	}

	clock := newManualClock()
	c := localtest.Start(t, local.Options{Clock: clock})
	ctx := t.Context()
	cfg := localtest.Config(c)
	cf := cloudformation.NewFromConfig(cfg)
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("Reports"), TemplateBody: aws.String(string(body)),
		Capabilities: []cftypes.Capability{cftypes.CapabilityCapabilityIam}}); err != nil {
		t.Fatal(err)
	}
	var machineARN string
	waitFor(t, "the stack", func() bool {
		out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Reports")})
		if err != nil || len(out.Stacks) == 0 {
			return false
		}
		if s := string(out.Stacks[0].StackStatus); s != "CREATE_COMPLETE" {
			if s == "CREATE_FAILED" || s == "ROLLBACK_COMPLETE" || s == "ROLLBACK_IN_PROGRESS" {
				t.Fatalf("stack %s: %s", s, aws.ToString(out.Stacks[0].StackStatusReason))
			}
			return false
		}
		for _, o := range out.Stacks[0].Outputs {
			if aws.ToString(o.OutputKey) == step.StateMachineARNOutput("Report") {
				machineARN = aws.ToString(o.OutputValue)
			}
		}
		return true
	})
	states := sfn.NewFromConfig(cfg)
	executions := func() int {
		out, err := states.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machineARN)})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Executions)
	}
	for minute := 1; minute <= 2; minute++ {
		clock.Advance(time.Minute)
		waitFor(t, "a scheduled execution", func() bool { return executions() == minute })
	}
}
