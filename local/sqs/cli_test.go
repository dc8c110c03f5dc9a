package sqs_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
)

// The AWS CLI sends and receives messages against the local cloud.
func TestSQSCLI(t *testing.T) {
	c := localtest.Start(t)
	var created struct{ QueueUrl string }
	out := localtest.CLI(t, c, "sqs", "create-queue", "--queue-name", "cli-queue", "--attributes", "VisibilityTimeout=40")
	if err := json.Unmarshal([]byte(out), &created); err != nil || !strings.HasSuffix(created.QueueUrl, "/000000000000/cli-queue") {
		t.Fatalf("aws sqs create-queue = %q, %v", out, err)
	}
	out = localtest.CLI(t, c, "sqs", "send-message", "--queue-url", created.QueueUrl, "--message-body", "hello from the cli",
		"--message-attributes", `{"kind":{"DataType":"String","StringValue":"dragon"}}`)
	if !strings.Contains(out, "MD5OfMessageBody") {
		t.Errorf("aws sqs send-message = %s", out)
	}
	out = localtest.CLI(t, c, "sqs", "receive-message", "--queue-url", created.QueueUrl, "--message-attribute-names", "All", "--wait-time-seconds", "1")
	var got struct {
		Messages []struct {
			Body, ReceiptHandle string
			MessageAttributes   map[string]struct{ StringValue string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Messages) != 1 || got.Messages[0].Body != "hello from the cli" ||
		got.Messages[0].MessageAttributes["kind"].StringValue != "dragon" {
		t.Fatalf("aws sqs receive-message = %s, %v", out, err)
	}
	localtest.CLI(t, c, "sqs", "delete-message", "--queue-url", created.QueueUrl, "--receipt-handle", got.Messages[0].ReceiptHandle)
	out = localtest.CLI(t, c, "sqs", "get-queue-attributes", "--queue-url", created.QueueUrl, "--attribute-names", "All")
	if !strings.Contains(out, `"VisibilityTimeout": "40"`) || !strings.Contains(out, `"ApproximateNumberOfMessages": "0"`) {
		t.Errorf("aws sqs get-queue-attributes = %s", out)
	}
	if out, err := localtest.RunCLI(t, c, "sqs", "get-queue-url", "--queue-name", "nope"); err == nil || !strings.Contains(out, "NonExistentQueue") {
		t.Errorf("get-queue-url of a missing queue = %v %s", err, out)
	}
}
