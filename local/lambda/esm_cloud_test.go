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
		for {
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
						s.lines <- sinkLine{f[0], f[1], f[2], time.Now()}
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
	c := localtest.Start(t)
	cfg := localtest.Config(c)
	ctx := context.Background()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("artifacts")}); err != nil {
		t.Fatal(err)
	}
	zip, err := os.ReadFile(filepath.Join(codeRoot, bucket, "sqsconsumer.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("sqsconsumer.zip"), Body: bytes.NewReader(zip)}); err != nil {
		t.Fatal(err)
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
	if _, err := e.lambda.CreateFunction(context.Background(), &lambdasdk.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023, Role: aws.String(roleARN), Handler: aws.String(name),
		Architectures: []types.Architecture{hostArchitecture()}, Timeout: aws.Int32(timeout),
		Code:        &types.FunctionCode{S3Bucket: aws.String("artifacts"), S3Key: aws.String("sqsconsumer.zip")},
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
