package sns_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	localsns "github.com/sparta-go/sparta/local/sns"
)

var ctx = context.Background()

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Errorf("%s = %v, want error code %s", what, err, code)
	}
}

func TestTopicsAndPublish(t *testing.T) {
	c := localtest.Start(t)
	cl := sns.NewFromConfig(localtest.Config(c))
	out, err := cl.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alerts"), Attributes: map[string]string{"DisplayName": "Alerts"},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("dragons")}}})
	if err != nil {
		t.Fatalf("CreateTopic = %v", err)
	}
	arn := *out.TopicArn
	if arn != "arn:aws:sns:us-east-1:000000000000:alerts" {
		t.Errorf("TopicArn = %s", arn)
	}
	again, err := cl.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alerts")})
	if err != nil || *again.TopicArn != arn {
		t.Errorf("CreateTopic(existing) = %v, %v; want the same ARN", again, err)
	}
	_, err = cl.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("bad name")})
	wantCode(t, "CreateTopic(bad name)", err, "InvalidParameter")

	attrs, err := cl.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil || attrs.Attributes["DisplayName"] != "Alerts" || attrs.Attributes["TopicArn"] != arn || attrs.Attributes["Owner"] != "000000000000" {
		t.Errorf("GetTopicAttributes = %v, %v", attrs.Attributes, err)
	}
	if _, err := cl.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("DisplayName"), AttributeValue: aws.String("Renamed")}); err != nil {
		t.Fatal(err)
	}

	pub, err := cl.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(arn), Subject: aws.String("fire"), Message: aws.String("the dragon woke up"),
		MessageAttributes: map[string]types.MessageAttributeValue{"severity": {DataType: aws.String("String"), StringValue: aws.String("high")}}})
	if err != nil || pub.MessageId == nil {
		t.Fatalf("Publish = %v, %v", pub, err)
	}
	if _, err := cl.Publish(ctx, &sns.PublishInput{TargetArn: aws.String(arn), MessageStructure: aws.String("json"), Message: aws.String(`{"default":"structured"}`)}); err != nil {
		t.Errorf("Publish(json structure) = %v", err)
	}
	_, err = cl.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(arn), MessageStructure: aws.String("json"), Message: aws.String(`{"email":"x"}`)})
	wantCode(t, "Publish(json without default)", err, "InvalidParameter")
	_, err = cl.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(arn + "-nope"), Message: aws.String("x")})
	wantCode(t, "Publish(missing topic)", err, "NotFound")
	_, err = cl.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(arn), Message: aws.String(strings.Repeat("x", 262145))})
	wantCode(t, "Publish(too long)", err, "InvalidParameter")

	msgs, err := c.SNS().Messages(arn)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("Messages = %d, %v; want 2", len(msgs), err)
	}
	if m := msgs[0]; m.MessageID != *pub.MessageId || m.Subject != "fire" || m.Message != "the dragon woke up" || m.Attributes["severity"].StringValue != "high" {
		t.Errorf("Messages[0] = %+v", m)
	}

	// FIFO topics need a group and deduplication.
	fifo, err := cl.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("orders.fifo"), Attributes: map[string]string{"FifoTopic": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.Publish(ctx, &sns.PublishInput{TopicArn: fifo.TopicArn, Message: aws.String("x"), MessageDeduplicationId: aws.String("1")})
	wantCode(t, "Publish(FIFO without group)", err, "InvalidParameter")
	fp, err := cl.Publish(ctx, &sns.PublishInput{TopicArn: fifo.TopicArn, Message: aws.String("x"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("1")})
	if err != nil || fp.SequenceNumber == nil {
		t.Errorf("Publish(FIFO) = %+v, %v; want a sequence number", fp, err)
	}

	// Paging through ListTopics (100 per page).
	for i := range 101 {
		if _, err := c.SNS().CreateTopic(fmt.Sprintf("t%03d", i), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	p := sns.NewListTopicsPaginator(cl, &sns.ListTopicsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Topics)
	}
	if n != 103 {
		t.Errorf("ListTopics listed %d topics, want 103", n)
	}

	for range 2 {
		if _, err := cl.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
			t.Errorf("DeleteTopic = %v", err)
		}
	}
	_, err = cl.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	wantCode(t, "GetTopicAttributes(deleted)", err, "NotFound")
	_, err = cl.Subscribe(ctx, &sns.SubscribeInput{TopicArn: fifo.TopicArn, Protocol: aws.String("email"), Endpoint: aws.String("a@b.c")})
	// A FIFO topic delivers to SQS queues only.
	wantCode(t, "Subscribe(email) to a FIFO topic", err, "InvalidParameter")
}

func TestMessagesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(ctx, local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	arn, err := c.SNS().CreateTopic("durable", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	c.SNS().OnPublish(func(m localsns.Message) { seen = append(seen, m.Message) })
	if _, err := c.SNS().Publish(localsns.Message{TopicARN: arn, Message: "kept"}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 {
		t.Errorf("OnPublish saw %q", seen)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2 := localtest.Start(t, local.Options{StateDir: dir})
	msgs, err := c2.SNS().Messages(arn)
	if err != nil || len(msgs) != 1 || msgs[0].Message != "kept" {
		t.Errorf("Messages after restart = %+v, %v", msgs, err)
	}
}

func TestSNSCLI(t *testing.T) {
	c := localtest.Start(t)
	var created struct{ TopicArn string }
	out := localtest.CLI(t, c, "sns", "create-topic", "--name", "cli-topic")
	if err := json.Unmarshal([]byte(out), &created); err != nil || !strings.HasSuffix(created.TopicArn, ":cli-topic") {
		t.Fatalf("aws sns create-topic = %q, %v", out, err)
	}
	var pub struct{ MessageId string }
	out = localtest.CLI(t, c, "sns", "publish", "--topic-arn", created.TopicArn, "--message", "hello from the cli", "--subject", "hi")
	if err := json.Unmarshal([]byte(out), &pub); err != nil || pub.MessageId == "" {
		t.Fatalf("aws sns publish = %q, %v", out, err)
	}
	if out := localtest.CLI(t, c, "sns", "list-topics"); !strings.Contains(out, created.TopicArn) {
		t.Errorf("aws sns list-topics = %s", out)
	}
	if out := localtest.CLI(t, c, "sns", "get-topic-attributes", "--topic-arn", created.TopicArn); !strings.Contains(out, `"SubscriptionsConfirmed": "0"`) {
		t.Errorf("aws sns get-topic-attributes = %s", out)
	}
	msgs, _ := c.SNS().Messages(created.TopicArn)
	if len(msgs) != 1 || msgs[0].Message != "hello from the cli" || msgs[0].MessageID != pub.MessageId {
		t.Errorf("messages = %+v", msgs)
	}
	if out, err := localtest.RunCLI(t, c, "sns", "publish", "--topic-arn", created.TopicArn+"x", "--message", "m"); err == nil || !strings.Contains(out, "NotFound") {
		t.Errorf("publish to a missing topic = %v %s, want NotFound", err, out)
	}
}
