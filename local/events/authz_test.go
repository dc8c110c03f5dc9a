package events_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

// A principal is held to events:<Operation> on the rule or bus it names,
// and to iam:PassRole for a target's role, as
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html
// describes.
func TestCallersHeldToIAM(t *testing.T) {
	worker, err := local.ParseCredential("AKIDWORKER:workersecret:arn:aws:iam::000000000000:role/worker")
	if err != nil {
		t.Fatal(err)
	}
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{worker}})
	svc, _ := c.Service("iam")
	if _, err := svc.(*iam.Service).CreateRole(iam.RoleInput{RoleName: "worker",
		AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`,
		Policies: map[string]any{"events": `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:000000000000:event-bus/mine"},
			{"Effect":"Allow","Action":["events:PutRule","events:PutTargets"],"Resource":"arn:aws:events:us-east-1:000000000000:rule/mine"}]}`},
	}); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	root := eventbridge.NewFromConfig(localtest.Config(c))
	if _, err := root.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("mine")}); err != nil {
		t.Fatal(err)
	}
	cfg := localtest.Config(c)
	cfg.Credentials = credentials.NewStaticCredentialsProvider("AKIDWORKER", "workersecret", "")
	eb := eventbridge.NewFromConfig(cfg)
	entry := func(bus string) []ebtypes.PutEventsRequestEntry {
		return []ebtypes.PutEventsRequestEntry{{Source: aws.String("s"), DetailType: aws.String("d"), Detail: aws.String("{}"), EventBusName: aws.String(bus)}}
	}
	if _, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entry("mine")}); err != nil {
		t.Errorf("PutEvents on the allowed bus = %v", err)
	}
	_, err = eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entry("default")})
	apiError(t, "PutEvents on the default bus", err, "AccessDeniedException", "")
	if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("mine"), ScheduleExpression: aws.String("rate(1 hour)")}); err != nil {
		t.Errorf("PutRule(mine) = %v", err)
	}
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("theirs"), ScheduleExpression: aws.String("rate(1 hour)")})
	apiError(t, "PutRule(theirs)", err, "AccessDeniedException", "")
	_, err = eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("mine"), Targets: []ebtypes.Target{{Id: aws.String("m"),
		Arn: aws.String("arn:aws:states:us-east-1:000000000000:stateMachine:m"), RoleArn: aws.String("arn:aws:iam::000000000000:role/admin")}}})
	apiError(t, "PutTargets passing a role without iam:PassRole", err, "AccessDeniedException", "")
	_, err = eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("mine")})
	apiError(t, "DescribeRule without events:DescribeRule", err, "AccessDeniedException", "")
}
