package cloudformation_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
	"github.com/sparta-go/sparta/local/cloudformation"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/sparta-go/sparta/local/store"
)

// fakeType is the resource type of failingProviderFake.
const fakeType = "Test::Fake::Thing"

// failingProviderFake is a provider whose faults the test chooses, for
// what the inert types cannot do: fail on demand, take time, block until
// the service stops. Properties steer it:
//
//	Fail: "true"        Create fails with Message (or "simulated failure")
//	FailUpdate: "true"  Update fails
//	DelayMs: "200"      Create sleeps that long first
//	AfterFailure: "true" Create returns only after another Create failed
//	Block: "true"       Create signals started and waits for ctx to end
//	Name                changing it requires replacement
type failingProviderFake struct {
	mu      sync.Mutex
	n       int
	calls   []string // "Create Logical", "Update Logical Value", "Delete physical"
	live    map[string]map[string]any
	started chan string
	failed  chan struct{}
	once    sync.Once
}

func newFake() *failingProviderFake {
	return &failingProviderFake{live: map[string]map[string]any{}, started: make(chan string, 16), failed: make(chan struct{})}
}

func (f *failingProviderFake) record(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *failingProviderFake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *failingProviderFake) Live() map[string]map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]map[string]any{}
	for k, v := range f.live {
		out[k] = v
	}
	return out
}

func (f *failingProviderFake) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	f.record("Create " + req.LogicalID)
	p := req.Properties
	if p["Block"] == "true" {
		f.started <- req.LogicalID
		<-ctx.Done()
		return resource.Result{}, ctx.Err()
	}
	if d, ok := p["DelayMs"].(string); ok {
		var ms int
		fmt.Sscan(d, &ms)
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	if p["AfterFailure"] == "true" {
		select {
		case <-f.failed:
			// Let the engine record the failure first.
			time.Sleep(50 * time.Millisecond)
		case <-time.After(10 * time.Second):
		}
	}
	if p["Fail"] == "true" {
		defer f.once.Do(func() { close(f.failed) })
		msg, _ := p["Message"].(string)
		if msg == "" {
			msg = "simulated failure"
		}
		return resource.Result{}, errors.New(msg)
	}
	f.mu.Lock()
	f.n++
	phys := fmt.Sprintf("fake-%s-%d", req.LogicalID, f.n)
	f.live[phys] = p
	f.mu.Unlock()
	return resource.Result{PhysicalID: phys, Attributes: map[string]any{"Arn": "arn:fake:" + phys, "Value": p["Value"]}}, nil
}

func (f *failingProviderFake) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	f.record(fmt.Sprintf("Update %s %v", req.LogicalID, req.Properties["Value"]))
	if req.Properties["FailUpdate"] == "true" {
		return resource.Result{}, errors.New("simulated update failure")
	}
	f.mu.Lock()
	f.live[req.PhysicalID] = req.Properties
	f.mu.Unlock()
	return resource.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Value": req.Properties["Value"]}}, nil
}

func (f *failingProviderFake) Delete(_ context.Context, req resource.Request) error {
	f.record("Delete " + req.PhysicalID)
	f.mu.Lock()
	delete(f.live, req.PhysicalID)
	f.mu.Unlock()
	return nil
}

func (f *failingProviderFake) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "Name")
}

// env is one service on an httptest server with an SDK client.
type env struct {
	t      testing.TB
	dir    string
	st     *store.Store
	svc    *cloudformation.Service
	srv    *httptest.Server
	client *cfnsdk.Client
	fake   *failingProviderFake
	extra  resource.Registry
}

// newEnv starts a service with the inert providers, failingProviderFake
// and any extra providers.
func newEnv(t testing.TB, extra ...resource.Registry) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), fake: newFake(), extra: resource.Registry{}}
	for _, r := range extra {
		for k, v := range r {
			e.extra[k] = v
		}
	}
	e.start()
	t.Cleanup(e.stop)
	return e
}

func (e *env) start() {
	e.t.Helper()
	st, err := store.Open(e.dir, store.Options{})
	if err != nil {
		e.t.Fatalf("store.Open = %v", err)
	}
	providers := resource.Registry{fakeType: e.fake}
	for k, v := range e.extra {
		providers[k] = v
	}
	svc, err := cloudformation.New(cloudformation.Config{
		Store: st.Collection("cloudformation"), Region: "us-east-1", AccountID: "000000000000",
		Providers: providers,
	})
	if err != nil {
		e.t.Fatalf("cloudformation.New = %v", err)
	}
	e.st, e.svc = st, svc
	e.srv = httptest.NewServer(svc)
	e.client = cfnsdk.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(e.srv.URL),
	})
	// The SDK's default retries stay on: they cover a known race in the
	// SDK's HTTP client ("use of closed network connection" on a 200
	// response, aws/aws-sdk-go-v2#2737), which a fast loopback server
	// under -race makes frequent.
}

// stop closes the service as a stopping process would, then the store.
func (e *env) stop() {
	if e.svc == nil {
		return
	}
	e.srv.Close()
	_ = e.svc.Close()
	_ = e.st.Close()
	e.svc = nil
}

func (e *env) restart() {
	e.stop()
	e.start()
}

func (e *env) create(name, body string, opts ...func(*cfnsdk.CreateStackInput)) string {
	e.t.Helper()
	in := &cfnsdk.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body)}
	for _, o := range opts {
		o(in)
	}
	out, err := e.client.CreateStack(context.Background(), in)
	if err != nil {
		e.t.Fatalf("CreateStack(%s) = %v", name, err)
	}
	return aws.ToString(out.StackId)
}

func (e *env) update(name, body string) error {
	_, err := e.client.UpdateStack(context.Background(), &cfnsdk.UpdateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body)})
	return err
}

// wait waits for the stack to settle and returns it as DescribeStacks
// shows it.
func (e *env) wait(name string) types.Stack {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := e.svc.WaitStable(ctx, name); err != nil {
		e.t.Fatalf("WaitStable(%s) = %v", name, err)
	}
	return e.describe(name)
}

func (e *env) describe(name string) types.Stack {
	e.t.Helper()
	out, err := e.client.DescribeStacks(context.Background(), &cfnsdk.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		e.t.Fatalf("DescribeStacks(%s) = %v", name, err)
	}
	if len(out.Stacks) != 1 {
		e.t.Fatalf("DescribeStacks(%s) returned %d stacks", name, len(out.Stacks))
	}
	return out.Stacks[0]
}

// events returns the stack's events oldest first, as "Logical STATUS
// reason" lines.
func (e *env) events(name string) []string {
	e.t.Helper()
	out, err := e.client.DescribeStackEvents(context.Background(), &cfnsdk.DescribeStackEventsInput{StackName: aws.String(name)})
	if err != nil {
		e.t.Fatalf("DescribeStackEvents(%s) = %v", name, err)
	}
	var lines []string
	for i := len(out.StackEvents) - 1; i >= 0; i-- {
		ev := out.StackEvents[i]
		line := aws.ToString(ev.LogicalResourceId) + " " + string(ev.ResourceStatus)
		if r := aws.ToString(ev.ResourceStatusReason); r != "" {
			line += " " + r
		}
		lines = append(lines, line)
	}
	return lines
}

func (e *env) resources(name string) map[string]types.StackResourceSummary {
	e.t.Helper()
	out, err := e.client.ListStackResources(context.Background(), &cfnsdk.ListStackResourcesInput{StackName: aws.String(name)})
	if err != nil {
		e.t.Fatalf("ListStackResources(%s) = %v", name, err)
	}
	m := map[string]types.StackResourceSummary{}
	for _, r := range out.StackResourceSummaries {
		m[aws.ToString(r.LogicalResourceId)] = r
	}
	return m
}

func outputs(s types.Stack) map[string]string {
	m := map[string]string{}
	for _, o := range s.Outputs {
		m[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return m
}

// apiError asserts err is an AWS API error with code and a message
// containing msg.
func apiError(t testing.TB, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%s = %v, want API error %s", what, err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Fatalf("%s = %s: %s, want %s containing %q", what, ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func indexOf(list []string, prefix string) int {
	for i, l := range list {
		if strings.HasPrefix(l, prefix) {
			return i
		}
	}
	return -1
}

// newClientFor serves svc on an httptest server for the test and returns
// an SDK client for it.
func newClientFor(t testing.TB, svc *cloudformation.Service) *cfnsdk.Client {
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return cfnsdk.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
}

func createFromURL(name, url string) *cfnsdk.CreateStackInput {
	return &cfnsdk.CreateStackInput{StackName: aws.String(name), TemplateURL: aws.String(url),
		Capabilities: []types.Capability{types.CapabilityCapabilityIam}}
}
