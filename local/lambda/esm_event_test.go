package lambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	dynamodbsdk "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/sparta-go/sparta/internal/golden"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/localtest"
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

// TestDynamoDBEventGolden: the event a stream mapping hands a function is
// AWS's: records of a real local table's stream (INSERT, MODIFY, REMOVE
// with NEW_AND_OLD_IMAGES) match the golden file once their random event
// IDs and times are fixed, and decode into aws-lambda-go's
// events.DynamoDBEvent with no field left over or lost.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
func TestDynamoDBEventGolden(t *testing.T) {
	c := localtest.Start(t)
	ctx := context.Background()
	ddb := dynamodbsdk.NewFromConfig(localtest.Config(c))
	table, err := ddb.CreateTable(ctx, &dynamodbsdk.CreateTableInput{
		TableName:            aws.String("Dragons"),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest,
		StreamSpecification:  &ddbtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: ddbtypes.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		t.Fatal(err)
	}
	key := map[string]ddbtypes.AttributeValue{"id": &ddbtypes.AttributeValueMemberS{Value: "smaug"}}
	for _, item := range []map[string]ddbtypes.AttributeValue{
		{"id": key["id"], "heads": &ddbtypes.AttributeValueMemberN{Value: "1"}, "colors": &ddbtypes.AttributeValueMemberSS{Value: []string{"red", "gold"}}},
		{"id": key["id"], "heads": &ddbtypes.AttributeValueMemberN{Value: "2"}, "hoard": &ddbtypes.AttributeValueMemberM{Value: map[string]ddbtypes.AttributeValue{"gold": &ddbtypes.AttributeValueMemberBOOL{Value: true}}}},
	} {
		if _, err := ddb.PutItem(ctx, &dynamodbsdk.PutItemInput{TableName: aws.String("Dragons"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ddb.DeleteItem(ctx, &dynamodbsdk.DeleteItemInput{TableName: aws.String("Dragons"), Key: key}); err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(table.TableDescription.LatestStreamArn)
	recs, err := lambda.DynamoDBStreams{Env: c.Env()}.After(arn, "", 10)
	if err != nil || len(recs) != 3 {
		t.Fatalf("stream = %d records, %v", len(recs), err)
	}
	ev := lambda.DynamoDBEvent{}
	for i, r := range recs {
		raw, err := lambda.NewDynamoDBRecord(r, arn)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]any
		_ = json.Unmarshal(raw, &fields)
		fields["eventID"] = fmt.Sprintf("event-%d", i)
		fields["eventSourceARN"] = "arn:aws:dynamodb:us-east-1:000000000000:table/Dragons/stream/LABEL"
		fields["dynamodb"].(map[string]any)["ApproximateCreationDateTime"] = 1765126800
		raw, _ = json.Marshal(fields)
		ev.Records = append(ev.Records, raw)
	}
	got, _ := json.MarshalIndent(ev, "", "  ")
	golden.JSON(t, filepath.Join("testdata", "events", "dynamodb.golden.json"), got)

	dec := json.NewDecoder(bytes.NewReader(got))
	dec.DisallowUnknownFields()
	var typed events.DynamoDBEvent
	if err := dec.Decode(&typed); err != nil {
		t.Fatalf("decoding into events.DynamoDBEvent: %v", err)
	}
	again, _ := json.Marshal(typed)
	var a, b any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal(again, &b)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("the event and its events.DynamoDBEvent decoding differ (-ours +aws-lambda-go):\n%s", d)
	}
	if r := typed.Records[1]; r.EventName != "MODIFY" || r.Change.OldImage["heads"].Number() != "1" || r.Change.NewImage["heads"].Number() != "2" {
		t.Errorf("MODIFY record = %+v", r)
	}
}
