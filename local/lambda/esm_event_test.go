package lambda_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/sparta-go/sparta/internal/golden"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/sqs"
)

// TestSQSEventGolden: the event an SQS mapping hands a function has AWS's
// shape: it matches the golden file (checked against the sample of
// https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html) and decodes
// into aws-lambda-go's events.SQSEvent with no field left over or lost.
func TestSQSEventGolden(t *testing.T) {
	sent := time.Date(2026, 12, 7, 17, 0, 0, 123e6, time.UTC)
	m := sqs.Received{Message: sqs.Message{
		ID: "059f36b4-87a3-44ab-83d2-661975830a7d", Body: "test",
		Attributes: map[string]sqs.MessageAttribute{
			"color": {DataType: "String", StringValue: "red"},
			"blob":  {DataType: "Binary", BinaryValue: []byte{1, 2, 3}},
		},
		Sent: sent, ReceiveCount: 1, FirstReceive: sent.Add(2 * time.Millisecond),
	}, ReceiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a"}
	ev := lambda.SQSEvent{Records: []lambda.SQSRecord{lambda.NewSQSRecord(m, "arn:aws:sqs:us-east-1:000000000000:my-queue", "us-east-1", "000000000000")}}
	got, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.JSON(t, filepath.Join("testdata", "events", "sqs.golden.json"), got)

	dec := json.NewDecoder(bytes.NewReader(got))
	dec.DisallowUnknownFields()
	var typed events.SQSEvent
	if err := dec.Decode(&typed); err != nil {
		t.Fatalf("decoding into events.SQSEvent: %v", err)
	}
	again, _ := json.Marshal(typed)
	var a, b any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal(again, &b)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("the event and its events.SQSEvent decoding differ (-ours +aws-lambda-go):\n%s", d)
	}
	r := typed.Records[0]
	if r.Md5OfBody != "098f6bcd4621d373cade4e832627b4f6" || r.Attributes["ApproximateReceiveCount"] != "1" ||
		r.Attributes["SentTimestamp"] != "1796662800123" || *r.MessageAttributes["color"].StringValue != "red" {
		t.Errorf("record = %+v", r)
	}
}
