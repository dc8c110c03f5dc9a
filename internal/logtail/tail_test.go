package logtail_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sparta-go/sparta/internal/logtail"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

type recorder struct {
	mu    sync.Mutex
	lines []logtail.Line
}

func (r *recorder) emit(l logtail.Line) { r.mu.Lock(); r.lines = append(r.lines, l); r.mu.Unlock() }

func (r *recorder) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, l := range r.lines {
		out = append(out, l.Source+": "+l.Message)
	}
	return out
}

func put(t *testing.T, api *cloudwatchlogs.Client, group string, ts time.Time, msgs ...string) {
	t.Helper()
	var events []logtypes.InputLogEvent
	for _, m := range msgs {
		events = append(events, logtypes.InputLogEvent{Message: aws.String(m), Timestamp: aws.Int64(ts.UnixMilli())})
	}
	if _, err := api.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String("s1"), LogEvents: events,
	}); err != nil {
		t.Fatal(err)
	}
}

// Tail reads a log group on the local cloud once, then follows it: each
// event once, the filter applied, a missing group noted once.
func TestTailFollowsALogGroup(t *testing.T) {
	c := localtest.Start(t)
	api := cloudwatchlogs.NewFromConfig(localtest.Config(c))
	ctx := context.Background()
	const group = "/aws/lambda/svc_fn"
	if _, err := api.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	put(t, api, group, now.Add(-time.Hour), "too old")
	put(t, api, group, now.Add(-time.Minute), "START one", "ERROR one")

	var notices []string
	opts := logtail.Options{
		Logs:      api,
		Functions: []logtail.Function{{Name: "fn", LogGroup: group}, {Name: "gone", LogGroup: "/aws/lambda/svc_gone"}},
		Since:     10 * time.Minute,
		Notice:    func(s string) { notices = append(notices, s) },
	}
	var once recorder
	if err := logtail.Tail(ctx, opts, once.emit); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(once.messages(), "|"); got != "fn: START one|fn: ERROR one" {
		t.Errorf("Tail(since 10m) = %s, want the two recent events", got)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "/aws/lambda/svc_gone of gone does not exist yet") {
		t.Errorf("notices = %q, want one about the missing group", notices)
	}

	opts.Follow, opts.Poll, opts.Filter = true, 20*time.Millisecond, "ERROR"
	fctx, cancel := context.WithCancel(ctx)
	var followed recorder
	done := make(chan error, 1)
	go func() { done <- logtail.Tail(fctx, opts, followed.emit) }()
	time.Sleep(100 * time.Millisecond)
	put(t, api, group, time.Now(), "START two", "ERROR two")
	deadline := time.Now().Add(5 * time.Second)
	for len(followed.messages()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Tail after cancel = %v, want nil", err)
	}
	if got := strings.Join(followed.messages(), "|"); got != "fn: ERROR one|fn: ERROR two" {
		t.Errorf("Tail(follow, filter ERROR) = %s, want each ERROR event once", got)
	}
}

// Executions are reported as they start and as they end.
func TestTailReportsExecutions(t *testing.T) {
	c := localtest.Start(t)
	cfg := localtest.Config(c)
	api := sfn.NewFromConfig(cfg)
	ctx := context.Background()
	svc, _ := c.Service("iam")
	role, err := svc.(*iam.Service).CreateRole(iam.RoleInput{RoleName: "sfn", AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:       aws.String("Waits"),
		RoleArn:    aws.String(role.Arn),
		Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	opts := logtail.Options{
		Logs: cloudwatchlogs.NewFromConfig(cfg), Executions: api,
		Machines: []logtail.Machine{{Name: "Waits", ARN: aws.ToString(m.StateMachineArn)}},
		Since:    time.Minute, Follow: true, Poll: 50 * time.Millisecond,
	}
	if _, err := api.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Name: aws.String("first")}); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithCancel(ctx)
	var r recorder
	done := make(chan error, 1)
	go func() { done <- logtail.Tail(fctx, opts, r.emit) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(r.messages()) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	got := r.messages()
	if len(got) != 2 || got[0] != "Waits: execution first started" || !strings.HasPrefix(got[1], "Waits: execution first SUCCEEDED after ") {
		t.Errorf("Tail(executions) = %q, want the start then the success", got)
	}
}
