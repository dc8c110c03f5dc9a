package events_test

import (
	"context"
	"testing"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/events"
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
