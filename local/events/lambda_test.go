package events_test

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local/events"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/localtest"
)

// buildEcho compiles local/lambda's echo test function for this machine
// and zips it, as provision --local does.
func buildEcho(t *testing.T) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a Lambda function; skipped with -short")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(dir, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/lambda/testdata/echo", Dir: "../..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
		t.Fatalf("building echo: %v", err)
	}
	zipPath := filepath.Join(dir, "echo.zip")
	if _, err := build.Zip(bin, zipPath); err != nil {
		t.Fatal(err)
	}
	zip, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	return zip
}

// An event matching a rule reaches a Lambda target asynchronously, its
// input shaped by InputTransformer or InputPath, once the function's
// resource policy allows events.amazonaws.com from that rule (an
// AWS::Lambda::Permission with SourceArn, see
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions);
// a rule the policy does not name is refused and counted as failed.
func TestPatternRuleInvokesFunction(t *testing.T) {
	zip := buildEcho(t)
	c := localtest.Start(t)
	ctx := t.Context()
	svc, _ := c.Service("lambda")
	fns := svc.(*lambda.Service)
	arch := "x86_64"
	if runtime.GOARCH == "arm64" {
		arch = "arm64"
	}
	cfg, err := fns.CreateFunction(ctx, lambda.CreateFunctionInput{FunctionName: "echo", Runtime: "provided.al2023", Handler: "echo",
		Role: "arn:aws:iam::000000000000:role/fn", Code: lambda.FunctionCode{ZipFile: zip}, Architectures: []string{arch}})
	if err != nil {
		t.Fatal(err)
	}
	eb := c.Events()
	allowedARN, err := eb.PutRule(events.PutRuleInput{Name: "sightings", EventPattern: `{"source":["dragons"],"detail":{"kind":[{"prefix":"drag"}]}}`})
	if err != nil {
		t.Fatal(err)
	}
	otherARN, _ := eb.PutRule(events.PutRuleInput{Name: "other", EventPattern: `{"source":["dragons"]}`})
	if _, err := fns.AddPermission(ctx, lambda.AddPermissionInput{FunctionName: "echo", StatementID: "events", Action: "lambda:InvokeFunction",
		Principal: "events.amazonaws.com", SourceArn: allowedARN}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(ctx, "sightings", "", []events.Target{
		{Id: "transformed", Arn: cfg.FunctionArn, InputTransformer: &events.InputTransformer{
			InputPathsMap: map[string]string{"kind": "$.detail.kind"}, InputTemplate: `{"say": "<kind> via <aws.events.rule-name>"}`}},
		{Id: "path", Arn: cfg.FunctionArn, InputPath: "$.detail"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(ctx, "other", "", []events.Target{{Id: "t", Arn: cfg.FunctionArn, Input: `{"say":"should not run"}`}}); err != nil {
		t.Fatal(err)
	}
	res, err := eb.PutEvents([]events.Entry{{Source: "dragons", DetailType: "Sighting", Detail: `{"kind":"dragon","say":"from the path"}`}})
	if err != nil || res.FailedEntryCount != 0 {
		t.Fatalf("PutEvents = %+v, %v", res, err)
	}
	cwl := cloudwatchlogs.NewFromConfig(localtest.Config(c))
	logged := func() string {
		out, err := cwl.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/echo")})
		if err != nil {
			return ""
		}
		var all []string
		for _, e := range out.Events {
			all = append(all, aws.ToString(e.Message))
		}
		return strings.Join(all, "\n")
	}
	waitFor(t, "both deliveries in the function's log", func() bool {
		l := logged()
		return strings.Contains(l, `saying "dragon via sightings"`) && strings.Contains(l, `saying "from the path"`)
	})
	waitFor(t, "the refused rule's failure", func() bool { return eb.Metrics(otherARN).FailedInvocations == 1 })
	if strings.Contains(logged(), "should not run") {
		t.Error("a rule the resource policy does not name invoked the function")
	}
	waitFor(t, "both deliveries counted", func() bool { return eb.Metrics(allowedARN).Invocations == 2 })
	if m := eb.Metrics(allowedARN); m.FailedInvocations != 0 {
		t.Errorf("Metrics(sightings) = %+v", m)
	}
}
