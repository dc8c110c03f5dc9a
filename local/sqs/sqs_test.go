package sqs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	localsqs "github.com/sparta-go/sparta/local/sqs"
)

var ctx = context.Background()

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != code {
		t.Errorf("%s = %v, want error code %s", what, err, code)
	}
}

func create(t *testing.T, cl *sqs.Client, name string, attrs map[string]string) string {
	t.Helper()
	out, err := cl.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatalf("CreateQueue(%s) = %v", name, err)
	}
	return aws.ToString(out.QueueUrl)
}

func TestSendReceiveDelete(t *testing.T) {
	c := localtest.Start(t)
	cl := sqs.NewFromConfig(localtest.Config(c))
	url := create(t, cl, "sightings", map[string]string{"VisibilityTimeout": "60"})
	if again := create(t, cl, "sightings", map[string]string{"VisibilityTimeout": "60"}); again != url {
		t.Errorf("CreateQueue(existing) = %s, want %s", again, url)
	}
	_, err := cl.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("sightings"), Attributes: map[string]string{"VisibilityTimeout": "5"}})
	wantCode(t, "CreateQueue(other attributes)", err, "QueueAlreadyExists")
	_, err = cl.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("missing")})
	wantCode(t, "GetQueueUrl(missing)", err, "AWS.SimpleQueueService.NonExistentQueue")

	// The SDK checks MD5OfMessageBody and MD5OfMessageAttributes.
	sent, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("a dragon over Dover"),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"heads": {DataType: aws.String("Number"), StringValue: aws.String("3")},
			"photo": {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2, 3}},
		}})
	if err != nil {
		t.Fatalf("SendMessage = %v", err)
	}
	got, err := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10,
		MessageAttributeNames: []string{"All"}, MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"}})
	if err != nil || len(got.Messages) != 1 {
		t.Fatalf("ReceiveMessage = %+v, %v", got, err)
	}
	m := got.Messages[0]
	if aws.ToString(m.MessageId) != aws.ToString(sent.MessageId) || aws.ToString(m.Body) != "a dragon over Dover" ||
		aws.ToString(m.MessageAttributes["heads"].StringValue) != "3" || m.Attributes["ApproximateReceiveCount"] != "1" {
		t.Errorf("received %+v", m)
	}
	// In flight: invisible until its visibility timeout ends.
	if again, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)}); len(again.Messages) != 0 {
		t.Error("an in-flight message was received again")
	}
	attrs, err := cl.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []types.QueueAttributeName{"All"}})
	if err != nil || attrs.Attributes["ApproximateNumberOfMessagesNotVisible"] != "1" || attrs.Attributes["VisibilityTimeout"] != "60" ||
		attrs.Attributes["QueueArn"] != "arn:aws:sqs:us-east-1:000000000000:sightings" {
		t.Errorf("GetQueueAttributes = %v, %v", attrs.Attributes, err)
	}
	if _, err := cl.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	again, err := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MessageSystemAttributeNames: []types.MessageSystemAttributeName{"ApproximateReceiveCount"}})
	if err != nil || len(again.Messages) != 1 || again.Messages[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("ReceiveMessage after ChangeMessageVisibility(0) = %+v, %v", again, err)
	}
	if _, err := cl.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: again.Messages[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: aws.String("not a handle")})
	wantCode(t, "DeleteMessage(bad handle)", err, "ReceiptHandleIsInvalid")

	// Batches.
	batch, err := cl.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: []types.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String("one")}, {Id: aws.String("b"), MessageBody: aws.String("two")}, {Id: aws.String("c"), MessageBody: aws.String("")},
	}})
	if err != nil || len(batch.Successful) != 2 || len(batch.Failed) != 1 || aws.ToString(batch.Failed[0].Id) != "c" {
		t.Errorf("SendMessageBatch = %+v, %v", batch, err)
	}
	_, err = cl.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: []types.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String("one")}, {Id: aws.String("a"), MessageBody: aws.String("two")}}})
	wantCode(t, "SendMessageBatch(repeated id)", err, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
	two, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
	var entries []types.DeleteMessageBatchRequestEntry
	for i, m := range two.Messages {
		entries = append(entries, types.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle})
	}
	del, err := cl.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: entries})
	if err != nil || len(del.Successful) != 2 {
		t.Errorf("DeleteMessageBatch = %+v, %v", del, err)
	}

	if _, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(strings.Repeat("x", 262145))}); err == nil {
		t.Error("a message over 256 KiB was accepted")
	}
	if _, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	if after, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)}); len(after.Messages) != 0 {
		t.Error("PurgeQueue left a message")
	}
	list, err := cl.ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String("sight")})
	if err != nil || len(list.QueueUrls) != 1 {
		t.Errorf("ListQueues = %v, %v", list, err)
	}
	if _, err := cl.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x")})
	wantCode(t, "SendMessage(deleted queue)", err, "AWS.SimpleQueueService.NonExistentQueue")
}

// Long polling returns as soon as a message arrives.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
func TestLongPolling(t *testing.T) {
	c := localtest.Start(t)
	cl := sqs.NewFromConfig(localtest.Config(c))
	url := create(t, cl, "poll", nil)
	go func() {
		time.Sleep(100 * time.Millisecond)
		_, _ = cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("late")})
	}()
	start := time.Now()
	got, err := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 10})
	if err != nil || len(got.Messages) != 1 || time.Since(start) > 5*time.Second {
		t.Errorf("ReceiveMessage(WaitTimeSeconds 10) = %+v, %v after %v", got, err, time.Since(start))
	}
	// A delayed message becomes visible after its delay.
	if _, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("delayed"), DelaySeconds: 1}); err != nil {
		t.Fatal(err)
	}
	if now, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)}); len(now.Messages) != 0 {
		t.Error("a delayed message was received at once")
	}
	got, err = cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 5})
	if err != nil || len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != "delayed" {
		t.Errorf("ReceiveMessage(after the delay) = %+v, %v", got, err)
	}
}

// Closing the cloud ends long polls at once rather than after their wait.
func TestCloseEndsLongPolls(t *testing.T) {
	c, err := local.Start(ctx, local.Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	url, err := c.SQS().CreateQueue("idle", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		wait := 20 * time.Second
		_, _ = c.SQS().Receive(ctx, url, localsqs.ReceiveInput{Wait: &wait})
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a long poll outlived Close by 5s")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v", d)
	}
}

// A message received maxReceiveCount times moves to the dead-letter queue.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
func TestRedrive(t *testing.T) {
	c := localtest.Start(t)
	cl := sqs.NewFromConfig(localtest.Config(c))
	dlq := create(t, cl, "dead", nil)
	policy := `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dead","maxReceiveCount":"2"}`
	src := create(t, cl, "work", map[string]string{"RedrivePolicy": policy, "VisibilityTimeout": "0"})
	if _, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(src), MessageBody: aws.String("poison")}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		got, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(src)})
		if len(got.Messages) != 1 {
			t.Fatalf("receive %d got %d messages", i+1, len(got.Messages))
		}
	}
	if got, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(src)}); len(got.Messages) != 0 {
		t.Errorf("a message received maxReceiveCount times was delivered again")
	}
	got, err := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlq), MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"}})
	if err != nil || len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != "poison" {
		t.Errorf("dead-letter queue holds %+v, %v", got, err)
	}
	_, err = cl.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(src), Attributes: map[string]string{"RedrivePolicy": `{"maxReceiveCount":2}`}})
	wantCode(t, "SetQueueAttributes(RedrivePolicy without target)", err, "InvalidParameterValue")
}

// FIFO queues keep group order, hold a group while one of its messages is
// in flight, and deduplicate.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
func TestFIFO(t *testing.T) {
	c := localtest.Start(t)
	cl := sqs.NewFromConfig(localtest.Config(c))
	_, err := cl.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("orders"), Attributes: map[string]string{"FifoQueue": "true"}})
	wantCode(t, "CreateQueue(FIFO without .fifo)", err, "InvalidParameterValue")
	url := create(t, cl, "orders.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	for _, b := range []string{"a1", "a2", "b1"} {
		if _, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(b), MessageGroupId: aws.String(b[:1])}); err != nil {
			t.Fatal(err)
		}
	}
	dup, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("a1"), MessageGroupId: aws.String("a")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x")})
	wantCode(t, "SendMessage(FIFO without group)", err, "MissingParameter")

	first, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 1})
	if len(first.Messages) != 1 || aws.ToString(first.Messages[0].Body) != "a1" || aws.ToString(first.Messages[0].MessageId) != aws.ToString(dup.MessageId) {
		t.Fatalf("first receive = %+v", first.Messages)
	}
	// a2 waits behind a1; b1 is free.
	next, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
	if len(next.Messages) != 1 || aws.ToString(next.Messages[0].Body) != "b1" {
		t.Fatalf("second receive = %+v, want only b1", next.Messages)
	}
	if _, err := cl.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: first.Messages[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	last, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
	if len(last.Messages) != 1 || aws.ToString(last.Messages[0].Body) != "a2" {
		t.Errorf("third receive = %+v, want a2", last.Messages)
	}
}

func TestMessagesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(ctx, local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cl := sqs.NewFromConfig(localtest.Config(c))
	url := create(t, cl, "durable", nil)
	for _, b := range []string{"kept", "in flight"} {
		if _, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)})
	if len(got.Messages) != 1 {
		t.Fatal("no message received")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2 := localtest.Start(t, local.Options{StateDir: dir})
	cl = sqs.NewFromConfig(localtest.Config(c2))
	url2, err := cl.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("durable")})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: url2.QueueUrl, MaxNumberOfMessages: 10})
	if len(after.Messages) != 1 || aws.ToString(after.Messages[0].Body) == aws.ToString(got.Messages[0].Body) {
		t.Errorf("after a restart received %+v; want the one message not in flight", after.Messages)
	}
	// The receipt handle from before the restart still deletes.
	if _, err := cl.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: url2.QueueUrl, ReceiptHandle: got.Messages[0].ReceiptHandle}); err != nil {
		t.Errorf("DeleteMessage(handle from before the restart) = %v", err)
	}
	a, _ := cl.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: url2.QueueUrl, AttributeNames: []types.QueueAttributeName{"ApproximateNumberOfMessagesNotVisible"}})
	if a.Attributes["ApproximateNumberOfMessagesNotVisible"] != "1" {
		t.Errorf("attributes after the delete = %v", a.Attributes)
	}
}

const queueTemplate = `{
  "Resources": {
    "Dead": {"Type": "AWS::SQS::Queue"},
    "Work": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 45,
      "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Dead", "Arn"]}, "maxReceiveCount": 3}}},
    "Policy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Work"}],
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Work", "Arn"]}}]}}}
  },
  "Outputs": {"Url": {"Value": {"Ref": "Work"}}, "Arn": {"Value": {"Fn::GetAtt": ["Work", "Arn"]}}}
}`

// Queues are deployed from CloudFormation and deleted with their stack.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html#aws-resource-sqs-queue-return-values
func TestQueuesFromCloudFormation(t *testing.T) {
	c := localtest.Start(t)
	cfg := localtest.Config(c)
	cf := cloudformation.NewFromConfig(cfg)
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("Queues"), TemplateBody: aws.String(queueTemplate)}); err != nil {
		t.Fatal(err)
	}
	w := cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay = 50e6; o.MaxDelay = 200e6 })
	out, err := w.WaitForOutput(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Queues")}, time.Minute)
	if err != nil {
		t.Fatalf("waiting for the stack: %v", err)
	}
	outputs := map[string]string{}
	for _, o := range out.Stacks[0].Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	cl := sqs.NewFromConfig(cfg)
	a, err := cl.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(outputs["Url"]), AttributeNames: []types.QueueAttributeName{"All"}})
	if err != nil {
		t.Fatal(err)
	}
	var rp struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	}
	_ = json.Unmarshal([]byte(a.Attributes["RedrivePolicy"]), &rp)
	if a.Attributes["VisibilityTimeout"] != "45" || !strings.HasPrefix(rp.DeadLetterTargetArn, "arn:aws:sqs:us-east-1:000000000000:Queues-Dead-") ||
		a.Attributes["QueueArn"] != outputs["Arn"] || !strings.Contains(a.Attributes["Policy"], "sns.amazonaws.com") {
		t.Errorf("queue attributes = %v, outputs %v", a.Attributes, outputs)
	}
	if _, err := cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("Queues")}); err != nil {
		t.Fatal(err)
	}
	dw := cloudformation.NewStackDeleteCompleteWaiter(cf, func(o *cloudformation.StackDeleteCompleteWaiterOptions) { o.MinDelay = 50e6; o.MaxDelay = 200e6 })
	if err := dw.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Queues")}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if list, _ := cl.ListQueues(ctx, &sqs.ListQueuesInput{}); len(list.QueueUrls) != 0 {
		t.Errorf("queues left after the stack's deletion: %v", list.QueueUrls)
	}
}
