package events_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/events"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/local/stepfunctions"
)

// manualClock is a core.Clock that moves only when the test advances it.
// It starts at the real time, cut to the minute, so that the router's
// signature check (15 minutes of skew) still accepts the test's requests.
type manualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Now().UTC().Truncate(time.Minute)}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	return ch
}

// Advance moves the clock and wakes the sleepers whose time came.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// machineFixture is a Pass state machine and a role EventBridge may use
// to start it (or not, when allowed is false).
type machineFixture struct {
	sfn        *stepfunctions.Service
	machineARN string
	targetRole string
	deniedRole string
}

func newMachineFixture(t *testing.T, c *local.Cloud) machineFixture {
	t.Helper()
	svc, _ := c.Service("iam")
	roles := svc.(*iam.Service)
	trust := func(service string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`
	}
	machineRole, err := roles.CreateRole(iam.RoleInput{RoleName: "machine", AssumeRolePolicyDocument: trust("states.amazonaws.com")})
	if err != nil {
		t.Fatal(err)
	}
	svc, _ = c.Service("states")
	sfn := svc.(*stepfunctions.Service)
	m, err := sfn.CreateStateMachine(stepfunctions.CreateStateMachineInput{Name: "Report", RoleARN: machineRole.Arn,
		Definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`})
	if err != nil {
		t.Fatal(err)
	}
	allowed, err := roles.CreateRole(iam.RoleInput{RoleName: "events-start", AssumeRolePolicyDocument: trust("events.amazonaws.com"),
		Policies: map[string]any{"start": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"states:StartExecution","Resource":"` + m.ARN + `"}]}`}})
	if err != nil {
		t.Fatal(err)
	}
	denied, err := roles.CreateRole(iam.RoleInput{RoleName: "events-nothing", AssumeRolePolicyDocument: trust("events.amazonaws.com")})
	if err != nil {
		t.Fatal(err)
	}
	return machineFixture{sfn: sfn, machineARN: m.ARN, targetRole: allowed.Arn, deniedRole: denied.Arn}
}

// waitFor polls cond for up to 10 s of real time (deliveries run in the
// background).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// A state machine on a rate(1 minute) schedule runs once per minute of a
// virtual clock, with the scheduled event of
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
// as its input; a target role without states:StartExecution starts
// nothing, and the failure is counted, not raised.
func TestRateScheduleStartsMachineOnVirtualClock(t *testing.T) {
	clock := newManualClock()
	c := localtest.Start(t, local.Options{Clock: clock})
	f := newMachineFixture(t, c)
	eb := c.Events()
	ruleARN, err := eb.PutRule(events.PutRuleInput{Name: "every-minute", ScheduleExpression: "rate(1 minute)"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(t.Context(), "every-minute", "", []events.Target{{Id: "report", Arn: f.machineARN, RoleArn: f.targetRole}}); err != nil {
		t.Fatal(err)
	}
	deniedARN, _ := eb.PutRule(events.PutRuleInput{Name: "denied", ScheduleExpression: "rate(1 minute)"})
	if _, err := eb.PutTargets(t.Context(), "denied", "", []events.Target{{Id: "report", Arn: f.machineARN, RoleArn: f.deniedRole}}); err != nil {
		t.Fatal(err)
	}
	executions := func() []stepfunctions.Execution {
		out, _ := f.sfn.ListExecutions(f.machineARN, "")
		return out
	}
	start := clock.Now()
	for minute := 1; minute <= 3; minute++ {
		if n := len(executions()); n != minute-1 {
			t.Fatalf("before minute %d: %d executions", minute, n)
		}
		clock.Advance(time.Minute)
		waitFor(t, "a scheduled execution", func() bool { return len(executions()) == minute })
	}
	waitFor(t, "the denied rule's failures", func() bool { return eb.Metrics(deniedARN).FailedInvocations == 3 })
	waitFor(t, "the rule's three invocations counted", func() bool { return eb.Metrics(ruleARN).Invocations == 3 })
	if m := eb.Metrics(ruleARN); m.FailedInvocations != 0 {
		t.Errorf("Metrics(every-minute) = %+v, want none failed", m)
	}
	var ev struct {
		Source     string   `json:"source"`
		DetailType string   `json:"detail-type"`
		Time       string   `json:"time"`
		Resources  []string `json:"resources"`
		Account    string   `json:"account"`
		Detail     map[string]any
	}
	got := executions()
	var times []string
	for _, e := range got {
		if err := json.Unmarshal([]byte(e.Input), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Source != "aws.events" || ev.DetailType != "Scheduled Event" || len(ev.Resources) != 1 || ev.Resources[0] != ruleARN || ev.Account != "000000000000" {
			t.Errorf("execution input = %s, want a scheduled event of %s", e.Input, ruleARN)
		}
		times = append(times, ev.Time)
	}
	for i := 1; i <= 3; i++ {
		want := start.Add(time.Duration(i) * time.Minute).Format("2006-01-02T15:04:05Z")
		found := false
		for _, tm := range times {
			found = found || tm == want
		}
		if !found {
			t.Errorf("no execution for the firing at %s (got %v)", want, times)
		}
	}

	// A disabled rule does not fire.
	if err := eb.SetRuleState("every-minute", "", false); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	waitFor(t, "the denied rule's fourth firing", func() bool { return eb.Metrics(deniedARN).FailedInvocations == 4 })
	if n := len(executions()); n != 3 {
		t.Errorf("a disabled rule fired: %d executions", n)
	}
}
