package lambda_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	dynamodbsdk "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

// sink is a TCP listener that sqsconsumer reports its records to.
type sink struct {
	ln    net.Listener
	lines chan sinkLine
}

// sinkLine is one record as the function saw it.
type sinkLine struct {
	id, body, receiveCount string
	at                     time.Time
	// batch numbers the function's reports: one per invocation.
	batch int
}

func newSink(t testing.TB) *sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{ln: ln, lines: make(chan sinkLine, 100000)}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for batch := 1; ; batch++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					f := strings.Split(sc.Text(), "\t")
					if len(f) == 3 {
						s.lines <- sinkLine{f[0], f[1], f[2], time.Now(), batch}
					}
				}
			}()
		}
	}()
	return s
}

// next returns the next record, failing after timeout.
func (s *sink) next(t testing.TB, timeout time.Duration) sinkLine {
	t.Helper()
	select {
	case l := <-s.lines:
		return l
	case <-time.After(timeout):
		t.Fatalf("no record reached the function within %s", timeout)
		return sinkLine{}
	}
}

// none checks that no record arrives for d.
func (s *sink) none(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case l := <-s.lines:
		t.Fatalf("the function received %+v, want nothing", l)
	case <-time.After(d):
	}
}

// esmCloud is a local cloud with the sqsconsumer function uploaded, and
// clients.
type esmCloud struct {
	c      *local.Cloud
	lambda *lambdasdk.Client
	sqs    *sqssdk.Client
	iam    *iam.Service
	sink   *sink
}

func newESMCloud(t testing.TB) *esmCloud {
	t.Helper()
	return newESMCloudOn(t, localtest.Start(t))
}

// newESMCloudOn is newESMCloud on a cloud the test started.
func newESMCloudOn(t testing.TB, c *local.Cloud) *esmCloud {
	t.Helper()
	cfg := localtest.Config(c)
	ctx := context.Background()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("artifacts")}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sqsconsumer.zip", "streamconsumer.zip"} {
		zip, err := os.ReadFile(filepath.Join(codeRoot, bucket, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String(name), Body: bytes.NewReader(zip)}); err != nil {
			t.Fatal(err)
		}
	}
	svc, _ := c.Service("iam")
	return &esmCloud{c: c, lambda: lambdasdk.NewFromConfig(cfg), sqs: sqssdk.NewFromConfig(cfg), iam: svc.(*iam.Service), sink: newSink(t)}
}

// role creates an execution role allowed actions on resource.
func (e *esmCloud) role(t testing.TB, name, resource string, actions ...string) string {
	t.Helper()
	quoted := make([]string, len(actions))
	for i, a := range actions {
		quoted[i] = `"` + a + `"`
	}
	r, err := e.iam.CreateRole(iam.RoleInput{
		RoleName:                 name,
		AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		Policies: map[string]any{"queue": fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[%s],"Resource":"%s"}]}`,
			strings.Join(quoted, ","), resource)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r.Arn
}

// function creates the sqsconsumer function under name with roleARN.
func (e *esmCloud) function(t testing.TB, name, roleARN string, timeout int32) {
	t.Helper()
	e.functionFrom(t, "sqsconsumer.zip", name, roleARN, timeout)
}

// functionFrom creates a function from one of the uploaded zips.
func (e *esmCloud) functionFrom(t testing.TB, zip, name, roleARN string, timeout int32) {
	t.Helper()
	if _, err := e.lambda.CreateFunction(context.Background(), &lambdasdk.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023, Role: aws.String(roleARN), Handler: aws.String(name),
		Architectures: []types.Architecture{hostArchitecture()}, Timeout: aws.Int32(timeout),
		Code:        &types.FunctionCode{S3Bucket: aws.String("artifacts"), S3Key: aws.String(zip)},
		Environment: &types.Environment{Variables: map[string]string{"SINK_ADDR": e.sink.ln.Addr().String()}},
	}); err != nil {
		t.Fatal(err)
	}
}

// queue creates a queue and returns its URL and ARN.
func (e *esmCloud) queue(t testing.TB, name string, attrs map[string]string) (string, string) {
	t.Helper()
	ctx := context.Background()
	q, err := e.sqs.CreateQueue(ctx, &sqssdk.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.sqs.GetQueueAttributes(ctx, &sqssdk.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(q.QueueUrl), a.Attributes["QueueArn"]
}

func (e *esmCloud) send(t testing.TB, url, body string) string {
	t.Helper()
	out, err := e.sqs.SendMessage(context.Background(), &sqssdk.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.MessageId)
}

func (e *esmCloud) count(t testing.TB, url string) (visible, inflight string) {
	t.Helper()
	a, err := e.sqs.GetQueueAttributes(context.Background(), &sqssdk.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}})
	if err != nil {
		t.Fatal(err)
	}
	return a.Attributes["ApproximateNumberOfMessages"], a.Attributes["ApproximateNumberOfMessagesNotVisible"]
}

// TestSQSMappingRoleChecked: Lambda refuses a mapping whose function's
// execution role cannot read the queue, with AWS's message, naming the
// first action missing.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
func TestSQSMappingRoleChecked(t *testing.T) {
	e := newESMCloud(t)
	_, arn := e.queue(t, "work", nil)
	e.function(t, "noDelete", e.role(t, "no-delete", arn, "sqs:ReceiveMessage", "sqs:GetQueueAttributes"), 3)
	_, err := e.lambda.CreateEventSourceMapping(context.Background(), &lambdasdk.CreateEventSourceMappingInput{
		FunctionName: aws.String("noDelete"), EventSourceArn: aws.String(arn),
	})
	var inv *types.InvalidParameterValueException
	if !errors.As(err, &inv) || inv.ErrorMessage() != "The provided execution role does not have permissions to call DeleteMessage on SQS" {
		t.Fatalf("CreateEventSourceMapping with a role without sqs:DeleteMessage = %v, want AWS's InvalidParameterValueException", err)
	}
	e.function(t, "otherQueue", e.role(t, "other-queue", arn+"-other", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), 3)
	_, err = e.lambda.CreateEventSourceMapping(context.Background(), &lambdasdk.CreateEventSourceMappingInput{
		FunctionName: aws.String("otherQueue"), EventSourceArn: aws.String(arn),
	})
	if !errors.As(err, &inv) || !strings.Contains(inv.ErrorMessage(), "ReceiveMessage on SQS") {
		t.Fatalf("CreateEventSourceMapping with a role for another queue = %v, want a refusal", err)
	}
}

// TestSQSMappingDelivers: a batch is delivered, deleted on success; a
// failing batch returns after the visibility timeout and moves to the
// dead-letter queue after maxReceiveCount; with ReportBatchItemFailures
// only the failed items are retried.
// See https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
func TestSQSMappingDelivers(t *testing.T) {
	e := newESMCloud(t)
	ctx := context.Background()
	dlqURL, dlqARN := e.queue(t, "work-dlq", nil)
	url, arn := e.queue(t, "work", map[string]string{"VisibilityTimeout": "1",
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":"%s","maxReceiveCount":2}`, dlqARN)})
	e.function(t, "consumer", e.role(t, "consumer", arn, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), 1)

	out, err := e.lambda.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{
		FunctionName: aws.String("consumer"), EventSourceArn: aws.String(arn),
		FunctionResponseTypes: []types.FunctionResponseType{types.FunctionResponseTypeReportBatchItemFailures},
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.State) != "Creating" || aws.ToInt32(out.BatchSize) != 10 || aws.ToString(out.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:consumer" {
		t.Errorf("CreateEventSourceMapping = State %s, BatchSize %d, FunctionArn %s; want Creating, 10 (SQS's default), the function's ARN",
			aws.ToString(out.State), aws.ToInt32(out.BatchSize), aws.ToString(out.FunctionArn))
	}
	got, err := e.lambda.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: out.UUID})
	if err != nil || aws.ToString(got.State) != "Enabled" || got.LastModified == nil {
		t.Fatalf("GetEventSourceMapping = %+v, %v", got, err)
	}
	_, err = e.lambda.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{FunctionName: aws.String("consumer"), EventSourceArn: aws.String(arn)})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) || !strings.Contains(conflict.ErrorMessage(), aws.ToString(out.UUID)) {
		t.Errorf("a second mapping of the same queue and function = %v, want ResourceConflictException naming the first", err)
	}

	ok := e.send(t, url, "ok-1")
	if l := e.sink.next(t, 10*time.Second); l.id != ok || l.receiveCount != "1" {
		t.Fatalf("the function received %+v, want message %s", l, ok)
	}
	waitFor(t, 5*time.Second, func() bool { v, f := e.count(t, url); return v == "0" && f == "0" }, "the processed message to be deleted")

	// One item reported failed: it alone comes back, twice, then moves
	// to the dead-letter queue.
	failed := e.send(t, url, "fail-once")
	for want := 1; want <= 2; want++ {
		l := e.sink.next(t, 10*time.Second)
		if l.id != failed || l.receiveCount != fmt.Sprint(want) {
			t.Fatalf("receive %d: the function received %+v, want %s with ApproximateReceiveCount %d", want, l, failed, want)
		}
	}
	waitFor(t, 10*time.Second, func() bool { v, _ := e.count(t, dlqURL); return v == "1" }, "the failed message in the dead-letter queue")
	e.sink.none(t, 1500*time.Millisecond)

	// A failed batch (a function error) keeps every message of it.
	e.send(t, url, "fail-all")
	for range 2 {
		if l := e.sink.next(t, 10*time.Second); l.body != "fail-all" {
			t.Fatalf("the function received %+v, want fail-all again", l)
		}
	}
	waitFor(t, 10*time.Second, func() bool { v, _ := e.count(t, dlqURL); return v == "2" }, "the failed batch in the dead-letter queue")

	// Disabled, the mapping stops polling; enabled again, it resumes.
	if _, err := e.lambda.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: out.UUID, Enabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	later := e.send(t, url, "later")
	e.sink.none(t, 500*time.Millisecond)
	up, err := e.lambda.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: out.UUID, Enabled: aws.Bool(true), BatchSize: aws.Int32(5)})
	if err != nil || aws.ToString(up.State) != "Enabling" || aws.ToInt32(up.BatchSize) != 5 {
		t.Fatalf("UpdateEventSourceMapping = %+v, %v", up, err)
	}
	if l := e.sink.next(t, 10*time.Second); l.id != later {
		t.Fatalf("the function received %+v, want %s after the mapping was enabled", l, later)
	}

	list, err := e.lambda.ListEventSourceMappings(ctx, &lambdasdk.ListEventSourceMappingsInput{FunctionName: aws.String("consumer")})
	if err != nil || len(list.EventSourceMappings) != 1 {
		t.Fatalf("ListEventSourceMappings = %+v, %v", list, err)
	}
	del, err := e.lambda.DeleteEventSourceMapping(ctx, &lambdasdk.DeleteEventSourceMappingInput{UUID: out.UUID})
	if err != nil || aws.ToString(del.State) != "Deleting" {
		t.Fatalf("DeleteEventSourceMapping = %+v, %v", del, err)
	}
	_, err = e.lambda.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: out.UUID})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("GetEventSourceMapping of a deleted mapping = %v, want ResourceNotFoundException", err)
	}
}

// TestSQSMappingCLI drives the mapping API with the AWS CLI.
func TestSQSMappingCLI(t *testing.T) {
	e := newESMCloud(t)
	url, arn := e.queue(t, "cli", nil)
	e.function(t, "cliConsumer", e.role(t, "cli", arn, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), 3)
	created := localtest.CLI(t, e.c, "lambda", "create-event-source-mapping", "--function-name", "cliConsumer",
		"--event-source-arn", arn, "--batch-size", "5")
	if !strings.Contains(created, `"State": "Creating"`) || !strings.Contains(created, `"BatchSize": 5`) {
		t.Fatalf("aws lambda create-event-source-mapping printed %s", created)
	}
	sent := e.send(t, url, "from the CLI test")
	if l := e.sink.next(t, 10*time.Second); l.id != sent {
		t.Fatalf("the function received %+v, want %s", l, sent)
	}
	listed := localtest.CLI(t, e.c, "lambda", "list-event-source-mappings", "--event-source-arn", arn)
	if !strings.Contains(listed, `"State": "Enabled"`) || !strings.Contains(listed, arn) {
		t.Errorf("aws lambda list-event-source-mappings printed %s", listed)
	}
	if _, err := localtest.RunCLI(t, e.c, "lambda", "get-event-source-mapping", "--uuid", "00000000-0000-0000-0000-000000000000"); err == nil {
		t.Error("aws lambda get-event-source-mapping of an unknown UUID succeeded")
	}
}

func waitFor(t testing.TB, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSQSMappingStack deploys a queue, a role, a function and its mapping
// with the local CloudFormation, as provision does, then deletes the stack
// and with it the mapping.
func TestSQSMappingStack(t *testing.T) {
	e := newESMCloud(t)
	ctx := context.Background()
	cf := cloudformation.NewFromConfig(localtest.Config(e.c))
	tmpl := fmt.Sprintf(`{
  "Resources": {
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]},
      "Policies": [{"PolicyName": "queue", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}}]}}]}},
    "Consumer": {"Type": "AWS::Lambda::Function", "Properties": {
      "Runtime": "provided.al2023", "Handler": "consumer", "Architectures": [%q], "Role": {"Fn::GetAtt": ["Role", "Arn"]},
      "Code": {"S3Bucket": "artifacts", "S3Key": "sqsconsumer.zip"},
      "Environment": {"Variables": {"SINK_ADDR": %q}}}},
    "Mapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
      "FunctionName": {"Ref": "Consumer"}, "EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]}, "BatchSize": 10}}
  },
  "Outputs": {"Url": {"Value": {"Ref": "Queue"}}, "Mapping": {"Value": {"Ref": "Mapping"}}}
}`, hostArchitecture(), e.sink.ln.Addr().String())
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("events"), TemplateBody: aws.String(tmpl),
		Capabilities: []cftypes.Capability{cftypes.CapabilityCapabilityIam}}); err != nil {
		t.Fatal(err)
	}
	outputs := waitStack(t, cf, "events", cftypes.StackStatusCreateComplete)
	sent := e.send(t, outputs["Url"], "from a stack")
	if l := e.sink.next(t, 10*time.Second); l.id != sent {
		t.Fatalf("the function received %+v, want %s", l, sent)
	}
	if _, err := cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("events")}); err != nil {
		t.Fatal(err)
	}
	waitStack(t, cf, "events", cftypes.StackStatusDeleteComplete)
	_, err := e.lambda.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: aws.String(outputs["Mapping"])})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("GetEventSourceMapping after the stack's deletion = %v, want ResourceNotFoundException", err)
	}
}

// waitStack waits for the stack to reach status and returns its outputs.
func waitStack(t testing.TB, cf *cloudformation.Client, name string, status cftypes.StackStatus) map[string]string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := cf.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		if err != nil && status == cftypes.StackStatusDeleteComplete {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		s := out.Stacks[0]
		if s.StackStatus == status {
			outputs := map[string]string{}
			for _, o := range s.Outputs {
				outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
			}
			return outputs
		}
		if strings.HasSuffix(string(s.StackStatus), "_FAILED") || strings.HasSuffix(string(s.StackStatus), "ROLLBACK_COMPLETE") {
			events, _ := cf.DescribeStackEvents(context.Background(), &cloudformation.DescribeStackEventsInput{StackName: aws.String(name)})
			var reasons []string
			for _, ev := range events.StackEvents {
				if r := aws.ToString(ev.ResourceStatusReason); r != "" {
					reasons = append(reasons, aws.ToString(ev.LogicalResourceId)+": "+r)
				}
			}
			t.Fatalf("stack %s is %s: %s", name, s.StackStatus, strings.Join(reasons, "; "))
		}
		if time.Now().After(deadline) {
			t.Fatalf("stack %s is %s after 60 s, want %s", name, s.StackStatus, status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDynamoDBStreamMapping: a stream mapping reads from TRIM_HORIZON, in
// order; a failing batch is bisected and retried, then skipped after
// MaximumRetryAttempts, and the records after it are delivered. The role
// must allow reading the stream.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
func TestDynamoDBStreamMapping(t *testing.T) {
	e := newESMCloud(t)
	ctx := context.Background()
	ddb := dynamodbsdk.NewFromConfig(localtest.Config(e.c))
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
	streamARN := aws.ToString(table.TableDescription.LatestStreamArn)
	put := func(id string, fail bool) {
		t.Helper()
		if _, err := ddb.PutItem(ctx, &dynamodbsdk.PutItemInput{TableName: aws.String("Dragons"), Item: map[string]ddbtypes.AttributeValue{
			"id": &ddbtypes.AttributeValueMemberS{Value: id}, "fail": &ddbtypes.AttributeValueMemberBOOL{Value: fail}}}); err != nil {
			t.Fatal(err)
		}
	}
	put("a", false)

	e.functionFrom(t, "streamconsumer.zip", "blind", e.role(t, "blind", aws.ToString(table.TableDescription.TableArn), "dynamodb:GetItem"), 3)
	_, err = e.lambda.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{FunctionName: aws.String("blind"),
		EventSourceArn: aws.String(streamARN), StartingPosition: types.EventSourcePositionTrimHorizon})
	var inv *types.InvalidParameterValueException
	if !errors.As(err, &inv) || !strings.Contains(inv.ErrorMessage(), "Cannot access stream") {
		t.Fatalf("a mapping whose role cannot read the stream = %v, want AWS's refusal", err)
	}

	e.functionFrom(t, "streamconsumer.zip", "watcher", e.role(t, "watcher", streamARN, "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"), 3)
	out, err := e.lambda.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{FunctionName: aws.String("watcher"),
		EventSourceArn: aws.String(streamARN), StartingPosition: types.EventSourcePositionTrimHorizon,
		MaximumRetryAttempts: aws.Int32(1), BisectBatchOnFunctionError: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(out.BatchSize) != 100 || out.StartingPosition != types.EventSourcePositionTrimHorizon {
		t.Errorf("CreateEventSourceMapping = BatchSize %d, StartingPosition %s; want DynamoDB's default 100, TRIM_HORIZON", aws.ToInt32(out.BatchSize), out.StartingPosition)
	}
	if l := e.sink.next(t, 10*time.Second); l.body != "INSERT:a" {
		t.Fatalf("the function received %+v, want INSERT:a (written before the mapping, read from TRIM_HORIZON)", l)
	}
	put("b", true)
	for i := range 2 { // the first attempt and one retry
		if l := e.sink.next(t, 10*time.Second); l.body != "INSERT:b" {
			t.Fatalf("attempt %d: the function received %+v, want INSERT:b", i+1, l)
		}
	}
	put("c", false)
	if l := e.sink.next(t, 10*time.Second); l.body != "INSERT:c" {
		t.Fatalf("after the failing batch was skipped the function received %+v, want INSERT:c", l)
	}
	waitFor(t, 5*time.Second, func() bool {
		got, _ := e.lambda.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: out.UUID})
		return got != nil && aws.ToString(got.LastProcessingResult) == "OK"
	}, "LastProcessingResult OK")
}

// TestMappingSurvivesRestart: a mapping is durable: after the local cloud
// restarts over the same state directory, it polls again.
func TestMappingSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(context.Background(), local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	e := newESMCloudOn(t, c)
	url, arn := e.queue(t, "durable", nil)
	e.function(t, "durable", e.role(t, "durable", arn, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), 3)
	if _, err := e.lambda.CreateEventSourceMapping(context.Background(), &lambdasdk.CreateEventSourceMappingInput{
		FunctionName: aws.String("durable"), EventSourceArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2 := localtest.Start(t, local.Options{StateDir: dir})
	sent, err := sqssdk.NewFromConfig(localtest.Config(c2)).SendMessage(context.Background(), &sqssdk.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("after a restart")})
	if err != nil {
		t.Fatal(err)
	}
	if l := e.sink.next(t, 15*time.Second); l.id != aws.ToString(sent.MessageId) {
		t.Fatalf("after a restart the function received %+v, want %s", l, aws.ToString(sent.MessageId))
	}
}

// TestSQSMappingBatchingWindow: with a batching window a poller gathers
// messages until the batch is full or the window has passed, so 15
// messages sent at once reach a mapping of batch size 20 and two pollers
// in at most two invocations.
// See https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
func TestSQSMappingBatchingWindow(t *testing.T) {
	e := newESMCloud(t)
	ctx := context.Background()
	url, arn := e.queue(t, "windowed", nil)
	e.function(t, "gatherer", e.role(t, "gatherer", arn, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), 3)
	_, err := e.lambda.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{FunctionName: aws.String("gatherer"),
		EventSourceArn: aws.String(arn), BatchSize: aws.Int32(20)})
	var inv *types.InvalidParameterValueException
	if !errors.As(err, &inv) || inv.ErrorMessage() != "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10" {
		t.Fatalf("BatchSize 20 without a window = %v, want AWS's refusal", err)
	}
	if _, err := e.lambda.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{FunctionName: aws.String("gatherer"),
		EventSourceArn: aws.String(arn), BatchSize: aws.Int32(20), MaximumBatchingWindowInSeconds: aws.Int32(2),
		ScalingConfig: &types.ScalingConfig{MaximumConcurrency: aws.Int32(2)}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the pollers are waiting
	for i := 0; i < 15; i += 10 {
		var entries []sqstypes.SendMessageBatchRequestEntry
		for j := i; j < min(i+10, 15); j++ {
			entries = append(entries, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(fmt.Sprint("e", j)), MessageBody: aws.String(fmt.Sprint("m", j))})
		}
		if _, err := e.sqs.SendMessageBatch(ctx, &sqssdk.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: entries}); err != nil {
			t.Fatal(err)
		}
	}
	batches := map[int]int{}
	for range 15 {
		batches[e.sink.next(t, 15*time.Second).batch]++
	}
	if len(batches) > 2 {
		t.Errorf("15 messages came in %d invocations %v, want at most 2 (batch size 20, a 2 s window, 2 pollers)", len(batches), batches)
	}
}

// TestStreamMappingStack deploys a table with a stream and TTL, a role
// allowed its StreamArn, a function and a stream mapping with the local
// CloudFormation: Fn::GetAtt StreamArn resolves and the mapping delivers.
func TestStreamMappingStack(t *testing.T) {
	e := newESMCloud(t)
	ctx := context.Background()
	cf := cloudformation.NewFromConfig(localtest.Config(e.c))
	tmpl := fmt.Sprintf(`{
  "Resources": {
    "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
      "BillingMode": "PAY_PER_REQUEST",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "StreamSpecification": {"StreamViewType": "NEW_IMAGE"},
      "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": true}}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]},
      "Policies": [{"PolicyName": "stream", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"], "Resource": {"Fn::GetAtt": ["Table", "StreamArn"]}}]}}]}},
    "Watcher": {"Type": "AWS::Lambda::Function", "Properties": {
      "Runtime": "provided.al2023", "Handler": "watcher", "Architectures": [%q], "Role": {"Fn::GetAtt": ["Role", "Arn"]},
      "Code": {"S3Bucket": "artifacts", "S3Key": "streamconsumer.zip"},
      "Environment": {"Variables": {"SINK_ADDR": %q}}}},
    "Mapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
      "FunctionName": {"Fn::GetAtt": ["Watcher", "Arn"]}, "EventSourceArn": {"Fn::GetAtt": ["Table", "StreamArn"]},
      "StartingPosition": "LATEST", "BatchSize": 10}}
  },
  "Outputs": {"Table": {"Value": {"Ref": "Table"}}}
}`, hostArchitecture(), e.sink.ln.Addr().String())
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("streams"), TemplateBody: aws.String(tmpl),
		Capabilities: []cftypes.Capability{cftypes.CapabilityCapabilityIam}}); err != nil {
		t.Fatal(err)
	}
	outputs := waitStack(t, cf, "streams", cftypes.StackStatusCreateComplete)
	ddb := dynamodbsdk.NewFromConfig(localtest.Config(e.c))
	if _, err := ddb.PutItem(ctx, &dynamodbsdk.PutItemInput{TableName: aws.String(outputs["Table"]),
		Item: map[string]ddbtypes.AttributeValue{"id": &ddbtypes.AttributeValueMemberS{Value: "x"}}}); err != nil {
		t.Fatal(err)
	}
	if l := e.sink.next(t, 10*time.Second); l.body != "INSERT:x" {
		t.Fatalf("the function received %+v, want INSERT:x", l)
	}
	ttl, err := ddb.DescribeTimeToLive(ctx, &dynamodbsdk.DescribeTimeToLiveInput{TableName: aws.String(outputs["Table"])})
	if err != nil || ttl.TimeToLiveDescription.TimeToLiveStatus != ddbtypes.TimeToLiveStatusEnabled {
		t.Errorf("DescribeTimeToLive of the stack's table = %+v, %v", ttl, err)
	}
}
