package events_test

import (
	"context"
	"testing"
	"time"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/events"
	"github.com/sparta-go/sparta/local/stepfunctions"
)

// Buses, rules and targets survive a restart of the cloud on its state
// directory.
func TestRulesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(context.Background(), local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	eb := c.Events()
	if _, err := eb.CreateEventBus("kept", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutRule(events.PutRuleInput{Name: "r", EventBusName: "kept", EventPattern: `{"source":["x"]}`, State: "DISABLED"}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(t.Context(), "r", "kept", []events.Target{{Id: "t", Arn: "arn:aws:lambda:us-east-1:000000000000:function:f", InputPath: "$.detail"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = local.Start(context.Background(), local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r, err := c.Events().DescribeRule("r", "kept")
	if err != nil || r.State != "DISABLED" || r.EventPattern != `{"source":["x"]}` || len(r.Targets) != 1 || r.Targets[0].InputPath != "$.detail" {
		t.Fatalf("after a restart DescribeRule = %+v, %v", r, err)
	}
}

// A scheduled rule fires again after a restart: the scheduler resumes from
// the reloaded rules.
func TestScheduleResumesAfterRestart(t *testing.T) {
	dir := t.TempDir()
	clock := newManualClock()
	c, err := local.Start(context.Background(), local.Options{StateDir: dir, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	f := newMachineFixture(t, c)
	if _, err := c.Events().PutRule(events.PutRuleInput{Name: "every-minute", ScheduleExpression: "rate(1 minute)"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Events().PutTargets(t.Context(), "every-minute", "", []events.Target{{Id: "report", Arn: f.machineARN, RoleArn: f.targetRole}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = local.Start(context.Background(), local.Options{StateDir: dir, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	svc, _ := c.Service("states")
	sfn := svc.(*stepfunctions.Service)
	// The restarted scheduler plans in its own goroutine, and a clock moved
	// before that plan counts from the moved time: keep moving it a minute
	// at a time until a firing starts the machine.
	waitFor(t, "a scheduled execution after the restart", func() bool {
		clock.Advance(time.Minute)
		out, _ := sfn.ListExecutions(f.machineARN, "")
		return len(out) >= 1
	})
}
