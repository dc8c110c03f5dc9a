package local_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/localtest"
)

// A message published to a topic invokes its lambda subscribers with the
// event SNS sends, and the function really runs.
func TestSNSDeliversToLambdaSubscriptions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/lambda/testdata/echo", Dir: "..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
		t.Fatal(err)
	}
	zip, err := build.Zip(bin, filepath.Join(dir, "echo.zip"))
	if err != nil {
		t.Fatal(err)
	}
	cloud := localtest.Start(t)
	zipBytes, _ := os.ReadFile(zip.Path)
	if err := cloud.S3().CreateBucket("code", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.S3().PutObject("code", "echo.zip", "application/zip", bytes.NewReader(zipBytes)); err != nil {
		t.Fatal(err)
	}
	svc, _ := cloud.Service("lambda")
	fn, err := svc.(*lambda.Service).CreateFunction(ctx, lambda.CreateFunctionInput{
		FunctionName: "echo", Runtime: "provided.al2023", Handler: "echo", Role: "arn:aws:iam::000000000000:role/r",
		Code: lambda.FunctionCode{S3Bucket: "code", S3Key: "echo.zip"},
	})
	if err != nil {
		t.Fatal(err)
	}

	cfg := localtest.Config(cloud)
	client := sns.NewFromConfig(cfg)
	topic, err := client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alerts")})
	if err != nil {
		t.Fatal(err)
	}
	// An email subscription is created pending confirmation, as on AWS,
	// and never delivered to (issue 16); it is removed so that the lambda
	// subscription is the topic's only one below.
	mail, err := client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("email"), Endpoint: aws.String("a@example.com"), ReturnSubscriptionArn: true})
	if err != nil {
		t.Fatalf("an email subscription = %v, want it created pending confirmation", err)
	}
	if _, err := client.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: mail.SubscriptionArn}); err != nil {
		t.Fatal(err)
	}
	sub, err := client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("lambda"), Endpoint: aws.String(fn.FunctionArn)})
	if err != nil {
		t.Fatal(err)
	}
	list, err := client.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: topic.TopicArn})
	if err != nil || len(list.Subscriptions) != 1 || aws.ToString(list.Subscriptions[0].SubscriptionArn) != aws.ToString(sub.SubscriptionArn) {
		t.Fatalf("ListSubscriptionsByTopic = %+v, %v", list, err)
	}
	if _, err := client.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("a dragon"), Subject: aws.String("sighting")}); err != nil {
		t.Fatal(err)
	}

	logs := cloudwatchlogs.NewFromConfig(cfg)
	var seen string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out, err := logs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/echo")})
		if err == nil {
			var b strings.Builder
			for _, e := range out.Events {
				b.WriteString(aws.ToString(e.Message))
			}
			if seen = b.String(); strings.Contains(seen, "END RequestId") {
				break
			}
		}
	}
	if !strings.Contains(seen, "START RequestId") || !strings.Contains(seen, "echo: saying") {
		t.Fatalf("the subscriber's log shows no invocation:\n%s", seen)
	}

	if _, err := client.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: sub.SubscriptionArn}); err != nil {
		t.Fatal(err)
	}
	all, err := client.ListSubscriptions(ctx, &sns.ListSubscriptionsInput{})
	if err != nil || len(all.Subscriptions) != 0 {
		t.Errorf("after Unsubscribe, ListSubscriptions = %+v, %v", all, err)
	}
}
