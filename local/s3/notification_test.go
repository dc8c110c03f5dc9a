package s3_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/local/sns"
)

// queuePolicy lets S3 send to a queue from one bucket, as
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html shows.
const queuePolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"SQS:SendMessage",` +
	`"Resource":"%QUEUE%","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::%BUCKET%"},"StringEquals":{"aws:SourceAccount":"000000000000"}}}]}`

// TestNotificationsToSQS checks the configuration rules, the test event,
// filters and wildcards, and the event shape of
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
func TestNotificationsToSQS(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	q := sqs.NewFromConfig(localtest.Config(c))
	mustCreate(t, cl, "events")
	qu, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("s3-events")})
	if err != nil {
		t.Fatal(err)
	}
	qarn := "arn:aws:sqs:us-east-1:000000000000:s3-events"
	cfg := &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{
		Id: aws.String("created"), QueueArn: aws.String(qarn), Events: []types.Event{"s3:ObjectCreated:*"},
		Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{
			{Name: types.FilterRuleNamePrefix, Value: aws.String("in/")}, {Name: types.FilterRuleNameSuffix, Value: aws.String(".txt")}}}},
	}, {
		Id: aws.String("removed"), QueueArn: aws.String(qarn), Events: []types.Event{"s3:ObjectRemoved:Delete"},
	}}}

	// Without a queue policy S3 cannot validate the destination.
	_, err = cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("events"), NotificationConfiguration: cfg})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidArgument" || apiErr.ErrorMessage() != "Unable to validate the following destination configurations" {
		t.Fatalf("PutBucketNotificationConfiguration(no queue policy) = %v", err)
	}
	policy := strings.NewReplacer("%QUEUE%", qarn, "%BUCKET%", "events").Replace(queuePolicy)
	if _, err := q.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: qu.QueueUrl, Attributes: map[string]string{"Policy": policy}}); err != nil {
		t.Fatal(err)
	}
	// Overlapping configurations are ambiguous.
	overlap := &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
		{QueueArn: aws.String(qarn), Events: []types.Event{"s3:ObjectCreated:*"}},
		{QueueArn: aws.String(qarn), Events: []types.Event{"s3:ObjectCreated:Put"}}}}
	_, err = cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("events"), NotificationConfiguration: overlap})
	wantCode(t, "PutBucketNotificationConfiguration(overlapping)", err, "InvalidArgument")
	bad := &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{QueueArn: aws.String(qarn), Events: []types.Event{"s3:ObjectMade:*"}}}}
	_, err = cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("events"), NotificationConfiguration: bad})
	wantCode(t, "PutBucketNotificationConfiguration(unknown event)", err, "InvalidArgument")

	if _, err := cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("events"), NotificationConfiguration: cfg}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration = %v", err)
	}
	got, err := cl.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("events")})
	if err != nil || len(got.QueueConfigurations) != 2 || *got.QueueConfigurations[0].Id != "created" {
		t.Errorf("GetBucketNotificationConfiguration = %+v, %v", got, err)
	}

	receive := func() []string {
		t.Helper()
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: qu.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0})
		if err != nil {
			t.Fatal(err)
		}
		var bodies []string
		for _, m := range out.Messages {
			bodies = append(bodies, *m.Body)
			_, _ = q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: qu.QueueUrl, ReceiptHandle: m.ReceiptHandle})
		}
		return bodies
	}
	test := receive()
	var te events.S3TestEvent
	if len(test) != 1 || json.Unmarshal([]byte(test[0]), &te) != nil || te.Event != "s3:TestEvent" || te.Bucket != "events" {
		t.Fatalf("test event = %v", test)
	}

	put(t, cl, "events", "in/a b.txt", "hello")
	put(t, cl, "events", "in/skip.png", "x")
	put(t, cl, "events", "out/c.txt", "x")
	msgs := receive()
	if len(msgs) != 1 {
		t.Fatalf("messages after 3 puts (1 matching) = %d: %v", len(msgs), msgs)
	}
	var ev events.S3Event
	if err := json.Unmarshal([]byte(msgs[0]), &ev); err != nil {
		t.Fatalf("the event does not decode as aws-lambda-go's events.S3Event: %v", err)
	}
	r := ev.Records[0]
	if r.EventName != "ObjectCreated:Put" || r.EventSource != "aws:s3" || r.EventVersion != "2.1" || r.S3.Bucket.Name != "events" ||
		r.S3.Bucket.Arn != "arn:aws:s3:::events" || r.S3.Object.Key != "in/a+b.txt" || r.S3.Object.URLDecodedKey != "in/a b.txt" ||
		r.S3.Object.Size != 5 || r.S3.Object.ETag != "5d41402abc4b2a76b9719d911017c592" || r.S3.ConfigurationID != "created" ||
		r.EventTime.IsZero() || r.S3.Object.Sequencer == "" || !strings.HasPrefix(r.PrincipalID.PrincipalID, "AWS:") {
		t.Errorf("event record = %+v", r)
	}
	// The same members as AWS's documented example, no more, no fewer
	// (the example's versionId left out: S3 sends it for versioned
	// buckets only).
	sample, err := os.ReadFile("testdata/s3-event-put.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonPaths(t, sample), jsonPaths(t, []byte(msgs[0]))); diff != "" {
		t.Errorf("event members differ from AWS's example (-aws +local):\n%s", diff)
	}

	// Copy, multipart and delete.
	if _, err := cl.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("events"), Key: aws.String("in/copy.txt"), CopySource: aws.String("events/in/a b.txt")}); err != nil {
		t.Fatal(err)
	}
	mp, err := cl.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("events"), Key: aws.String("in/big.txt")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := cl.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("events"), Key: aws.String("in/big.txt"), UploadId: mp.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("part")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("events"), Key: aws.String("in/big.txt"), UploadId: mp.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("events"), Key: aws.String("out/c.txt")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("events"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("in/skip.png")}}}}); err != nil {
		t.Fatal(err)
	}
	var names []string
	deadline := time.Now().Add(5 * time.Second)
	for len(names) < 4 && time.Now().Before(deadline) {
		for _, m := range receive() {
			var e events.S3Event
			_ = json.Unmarshal([]byte(m), &e)
			names = append(names, e.Records[0].EventName+" "+e.Records[0].S3.Object.Key)
		}
	}
	sort.Strings(names)
	want := []string{"ObjectCreated:CompleteMultipartUpload in/big.txt", "ObjectCreated:Copy in/copy.txt",
		"ObjectRemoved:Delete in/skip.png", "ObjectRemoved:Delete out/c.txt"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}

	// A function that has not granted S3 the right to invoke it is refused
	// by name.
	fn := "arn:aws:lambda:us-east-1:000000000000:function:nobody"
	_, err = cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("events"),
		NotificationConfiguration: &types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{
			LambdaFunctionArn: aws.String(fn), Events: []types.Event{"s3:ObjectCreated:*"}}}}})
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidArgument" {
		t.Errorf("PutBucketNotificationConfiguration(function without permission) = %v", err)
	}
	// An empty configuration turns notifications off.
	if _, err := cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("events"),
		NotificationConfiguration: &types.NotificationConfiguration{}}); err != nil {
		t.Fatal(err)
	}
	put(t, cl, "events", "in/late.txt", "x")
	if msgs := receive(); len(msgs) != 0 {
		t.Errorf("messages after notifications were turned off = %v", msgs)
	}
}

// jsonPaths lists the member paths of a JSON document (arrays collapsed).
func jsonPaths(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				out = append(out, prefix+"."+k)
				walk(prefix+"."+k, c)
			}
		case []any:
			for _, c := range x {
				walk(prefix+"[]", c)
			}
		}
	}
	walk("", v)
	sort.Strings(out)
	return slices.Compact(out)
}

// TestNotificationsToSNS: a topic destination gets the test event, then
// the events, with S3's subject.
func TestNotificationsToSNS(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	svc, _ := c.Service("sns")
	topics := svc.(*sns.Service)
	arn, err := topics.CreateTopic("s3-topic", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, cl, "topical")
	missing := &types.NotificationConfiguration{TopicConfigurations: []types.TopicConfiguration{{
		TopicArn: aws.String(arn + "-gone"), Events: []types.Event{"s3:ObjectCreated:*"}}}}
	_, err = cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("topical"), NotificationConfiguration: missing})
	wantCode(t, "PutBucketNotificationConfiguration(missing topic)", err, "InvalidArgument")
	if _, err := cl.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("topical"),
		NotificationConfiguration: &types.NotificationConfiguration{TopicConfigurations: []types.TopicConfiguration{{
			TopicArn: aws.String(arn), Events: []types.Event{"s3:ObjectRemoved:*"}}}}}); err != nil {
		t.Fatal(err)
	}
	put(t, cl, "topical", "k", "v")
	if _, err := cl.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("topical"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	msgs, err := topics.Messages(arn)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("Messages = %v, %v; want the test event and the removal", msgs, err)
	}
	var ev events.S3Event
	if msgs[1].Subject != "Amazon S3 Notification" || json.Unmarshal([]byte(msgs[1].Message), &ev) != nil || ev.Records[0].EventName != "ObjectRemoved:Delete" {
		t.Errorf("message = %+v", msgs[1])
	}
	if !strings.Contains(msgs[0].Message, "s3:TestEvent") {
		t.Errorf("first message = %q, want the test event", msgs[0].Message)
	}
}
