package stepfunctions_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/sparta-go/sparta/local/stepfunctions"
	"github.com/sparta-go/sparta/local/store"
	"github.com/sparta-go/sparta/step/engine"
)

const (
	region  = "us-east-1"
	account = "000000000000"
)

func fnARN(name string) string { return "arn:aws:lambda:us-east-1:000000000000:function:" + name }

// inProcessLambdaForTest invokes Go handlers through aws-lambda-go's
// lambda.NewHandler(h).Invoke, which decodes the payload and encodes the
// result exactly as the runtime does; a returned error becomes a function
// error whose payload is {"errorMessage", "errorType"}, as Lambda reports it.
//
// A lambda.Handler reuses its output buffer, like a Lambda sandbox that
// serves one invocation at a time, so each function's invocations are
// serialized and its output copied.
type inProcessLambdaForTest struct {
	mu       sync.Mutex
	handlers map[string]*sandbox
	calls    map[string]int
}

type sandbox struct {
	mu sync.Mutex
	h  lambda.Handler
}

func newInProcessLambda() *inProcessLambdaForTest {
	return &inProcessLambdaForTest{handlers: map[string]*sandbox{}, calls: map[string]int{}}
}

func (l *inProcessLambdaForTest) add(name string, handler any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.handlers[name] = &sandbox{h: lambda.NewHandler(handler)}
}

func (l *inProcessLambdaForTest) count(name string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls[name]
}

func (l *inProcessLambdaForTest) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, string, error) {
	name := fn
	if i := strings.Index(fn, ":function:"); i >= 0 {
		name = fn[i+len(":function:"):]
	}
	name, _, _ = strings.Cut(name, ":") // drop a qualifier
	l.mu.Lock()
	h, ok := l.handlers[name]
	l.calls[name]++
	l.mu.Unlock()
	if !ok {
		return nil, "", &notFoundError{fn}
	}
	h.mu.Lock()
	out, err := h.h.Invoke(ctx, payload)
	out = append([]byte(nil), out...)
	h.mu.Unlock()
	if err != nil {
		t := reflect.TypeOf(err)
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		doc, _ := json.Marshal(map[string]string{"errorMessage": err.Error(), "errorType": t.Name()})
		return doc, "Unhandled", nil
	}
	return out, "", nil
}

type notFoundError struct{ fn string }

func (e *notFoundError) Error() string     { return "Function not found: " + e.fn }
func (e *notFoundError) ErrorCode() string { return "ResourceNotFoundException" }

// recordingSNSForTest records what is published and answers with a
// message ID; onPublish, when set, sees each message (to send back a task
// token, for instance).
type recordingSNSForTest struct {
	mu        sync.Mutex
	messages  []published
	onPublish func(published)
}

type published struct{ Topic, Subject, Message string }

func (r *recordingSNSForTest) Publish(_ context.Context, topic, subject, message string) (string, error) {
	p := published{topic, subject, message}
	r.mu.Lock()
	r.messages = append(r.messages, p)
	n := len(r.messages)
	cb := r.onPublish
	r.mu.Unlock()
	if cb != nil {
		go cb(p)
	}
	return fmt.Sprintf("msg-%d", n), nil
}

func (r *recordingSNSForTest) all() []published {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]published(nil), r.messages...)
}

// fixture is a Step Functions service with IAM, the in-process Lambda and
// the recording SNS, served on httptest, with an SDK client.
type fixture struct {
	t      testing.TB
	dir    string
	st     *store.Store
	iam    *iam.Service
	svc    *stepfunctions.Service
	lambda *inProcessLambdaForTest
	sns    *recordingSNSForTest
	srv    *httptest.Server
	client *sfn.Client
	clock  engine.Clock
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{t: t, dir: t.TempDir(), lambda: newInProcessLambda(), sns: &recordingSNSForTest{}, clock: engine.NewVirtualClock(time.Time{})}
	f.open()
	t.Cleanup(f.close)
	return f
}

// open (re)starts the services on the fixture's directory.
func (f *fixture) open() {
	t := f.t
	t.Helper()
	st, err := store.Open(f.dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.st = st
	if f.iam, err = iam.New(iam.Config{Store: st.Collection("iam"), AccountID: account}); err != nil {
		t.Fatal(err)
	}
	f.svc, err = stepfunctions.New(stepfunctions.Config{
		Store: st.Collection("states"), Region: region, AccountID: account,
		Lambda: f.lambda, SNS: f.sns, IAM: f.iam, Clock: f.clock,
	})
	if err != nil {
		t.Fatalf("stepfunctions.New = %v", err)
	}
	f.srv = httptest.NewServer(f.svc)
	f.client = newClient(f.srv.URL)
}

func newClient(endpoint string) *sfn.Client {
	return sfn.NewFromConfig(aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(core.DefaultAccessKeyID, core.DefaultSecretAccessKey, ""),
		BaseEndpoint:     aws.String(endpoint),
		RetryMaxAttempts: 1,
	}, func(o *sfn.Options) { o.APIOptions = append(o.APIOptions, disableHostPrefix) })
}

// close stops the services cleanly, as the local cloud does on Close.
func (f *fixture) close() {
	if f.srv == nil {
		return
	}
	f.srv.Close()
	if err := f.svc.Close(); err != nil {
		f.t.Errorf("Service.Close = %v", err)
	}
	if err := f.st.Close(); err != nil {
		f.t.Errorf("store.Close = %v", err)
	}
	f.srv = nil
}

// disableHostPrefix stops the SDK from sending StartSyncExecution to
// sync-127.0.0.1, which does not resolve.
func disableHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("DisableHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

const statesTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}}}]}`

// role creates a role trusting Step Functions with one inline policy
// allowing actions on resources.
func (f *fixture) role(name string, statements ...string) string {
	f.t.Helper()
	policies := map[string]any{}
	if len(statements) > 0 {
		policies["StateMachine"] = `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
	}
	r, err := f.iam.CreateRole(iam.RoleInput{RoleName: name, AssumeRolePolicyDocument: statesTrust, Policies: policies})
	if err != nil {
		f.t.Fatalf("CreateRole(%s) = %v", name, err)
	}
	return r.Arn
}

func allow(action string, resources ...string) string {
	b, _ := json.Marshal(map[string]any{"Effect": "Allow", "Action": action, "Resource": resources})
	return string(b)
}

// machine creates a state machine through the API.
func (f *fixture) machine(name, definition, roleARN string, typ ...sfntypes.StateMachineType) string {
	f.t.Helper()
	in := &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(definition), RoleArn: aws.String(roleARN)}
	if len(typ) > 0 {
		in.Type = typ[0]
	}
	out, err := f.client.CreateStateMachine(context.Background(), in)
	if err != nil {
		f.t.Fatalf("CreateStateMachine(%s) = %v", name, err)
	}
	return aws.ToString(out.StateMachineArn)
}

// run starts an execution through the API and waits for its end.
func (f *fixture) run(machineARN, input string) *sfn.DescribeExecutionOutput {
	f.t.Helper()
	ctx := context.Background()
	start, err := f.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machineARN), Input: aws.String(input)})
	if err != nil {
		f.t.Fatalf("StartExecution = %v", err)
	}
	return f.wait(aws.ToString(start.ExecutionArn))
}

func (f *fixture) wait(arn string) *sfn.DescribeExecutionOutput {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := f.svc.WaitExecution(ctx, arn); err != nil {
		f.t.Fatalf("WaitExecution(%s) = %v", arn, err)
	}
	out, err := f.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		f.t.Fatalf("DescribeExecution = %v", err)
	}
	return out
}

func (f *fixture) history(arn string) []sfntypes.HistoryEvent {
	f.t.Helper()
	var events []sfntypes.HistoryEvent
	p := sfn.NewGetExecutionHistoryPaginator(f.client, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 7})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			f.t.Fatalf("GetExecutionHistory = %v", err)
		}
		events = append(events, page.Events...)
	}
	return events
}

func types(events []sfntypes.HistoryEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.Type)
	}
	return out
}

// apiCode returns the AWS error code of err, or "".
func apiCode(err error) string {
	var ae interface{ ErrorCode() string }
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// provider returns the state machine provider.
func (f *fixture) provider() resource.Provider {
	return f.svc.Providers()["AWS::StepFunctions::StateMachine"]
}
