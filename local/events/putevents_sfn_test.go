package events_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/local/events"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/local/sqs"
	"github.com/sparta-go/sparta/local/stepfunctions"
)

// A machine's events:putEvents.waitForTaskToken task puts an event that a
// rule routes to a second machine; the token in the event's detail
// completes the first machine's task. The event's resources carry the
// sending execution's and machine's ARNs, as
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
// says. A role without events:PutEvents on the bus fails the task.
func TestStepFunctionsPutEvents(t *testing.T) {
	c := localtest.Start(t)
	f := newMachineFixture(t, c) // "Report": the rule's target, started under f.targetRole
	svc, _ := c.Service("iam")
	roles := svc.(*iam.Service)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	allowed, err := roles.CreateRole(iam.RoleInput{RoleName: "announcer", AssumeRolePolicyDocument: trust,
		Policies: map[string]any{"put": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:000000000000:event-bus/default"}]}`}})
	if err != nil {
		t.Fatal(err)
	}
	denied, err := roles.CreateRole(iam.RoleInput{RoleName: "mute", AssumeRolePolicyDocument: trust})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"Announce","States":{"Announce":{"Type":"Task","Resource":"arn:aws:states:::events:putEvents.waitForTaskToken",
		"Parameters":{"Entries":[{"Source":"dragons.workflow","DetailType":"Sighting","Detail":{"kind.$":"$.kind","TaskToken.$":"$$.Task.Token"}}]},"End":true}}}`
	announcer, err := f.sfn.CreateStateMachine(stepfunctions.CreateStateMachineInput{Name: "Announcer", Definition: def, RoleARN: allowed.Arn})
	if err != nil {
		t.Fatal(err)
	}
	mute, err := f.sfn.CreateStateMachine(stepfunctions.CreateStateMachineInput{Name: "Mute", Definition: def, RoleARN: denied.Arn})
	if err != nil {
		t.Fatal(err)
	}
	eb := c.Events()
	if _, err := eb.PutRule(events.PutRuleInput{Name: "sightings", EventPattern: `{"source":["dragons.workflow"],"detail-type":["Sighting"]}`}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(t.Context(), "sightings", "", []events.Target{{Id: "report", Arn: f.machineARN, RoleArn: f.targetRole}}); err != nil {
		t.Fatal(err)
	}

	input := `{"kind":"dragon"}`
	exec, err := f.sfn.StartExecution(stepfunctions.StartExecutionInput{StateMachineARN: announcer.ARN, Input: &input})
	if err != nil {
		t.Fatal(err)
	}
	var received []stepfunctions.Execution
	waitFor(t, "the routed event to start Report", func() bool {
		received, _ = f.sfn.ListExecutions(f.machineARN, "")
		return len(received) == 1
	})
	var ev struct {
		Source    string   `json:"source"`
		Resources []string `json:"resources"`
		Detail    struct {
			Kind, TaskToken string
		} `json:"detail"`
	}
	if err := json.Unmarshal([]byte(received[0].Input), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Detail.Kind != "dragon" || ev.Detail.TaskToken == "" || !slices.Contains(ev.Resources, exec.ARN) || !slices.Contains(ev.Resources, announcer.ARN) {
		t.Fatalf("the routed event = %s", received[0].Input)
	}
	if err := f.sfn.SendTaskSuccess(ev.Detail.TaskToken, `{"confirmed":true}`); err != nil {
		t.Fatal(err)
	}
	done, err := f.sfn.WaitExecution(t.Context(), exec.ARN)
	if err != nil || done.Status != "SUCCEEDED" || done.Output != `{"confirmed":true}` {
		t.Fatalf("Announcer = %+v, %v", done, err)
	}

	exec, err = f.sfn.StartExecution(stepfunctions.StartExecutionInput{StateMachineARN: mute.ARN, Input: &input})
	if err != nil {
		t.Fatal(err)
	}
	done, err = f.sfn.WaitExecution(t.Context(), exec.ARN)
	if err != nil || done.Status != "FAILED" || done.Error != "EventBridge.AccessDeniedException" || !strings.Contains(done.Cause, "events:PutEvents") {
		t.Errorf("Mute = %+v, %v", done, err)
	}
}

// A rule delivers to an SQS queue target: the (transformed) input is the
// message body. Targets that cannot be delivered to fail alone.
func TestQueueTarget(t *testing.T) {
	c := localtest.Start(t)
	url, err := c.SQS().CreateQueue("sightings", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	eb := c.Events()
	if _, err := eb.PutRule(events.PutRuleInput{Name: "to-queue", EventPattern: `{"source":["dragons"]}`}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(t.Context(), "to-queue", "", []events.Target{{Id: "q", Arn: "arn:aws:sqs:us-east-1:000000000000:sightings", InputPath: "$.detail"},
		{Id: "stream", Arn: "arn:aws:kinesis:us-east-1:000000000000:stream/s"}, {Id: "gone", Arn: "arn:aws:sqs:us-east-1:000000000000:nope"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutEvents([]events.Entry{{Source: "dragons", DetailType: "Sighting", Detail: `{"kind":"dragon"}`}}); err != nil {
		t.Fatal(err)
	}
	// A target the local cloud does not deliver to, and a queue that does
	// not exist, fail on their own: counted, logged, nothing else stops.
	ruleARN := "arn:aws:events:us-east-1:000000000000:rule/to-queue"
	waitFor(t, "the three deliveries", func() bool { return eb.Metrics(ruleARN).Invocations == 3 })
	if m := eb.Metrics(ruleARN); m.FailedInvocations != 2 {
		t.Errorf("Metrics(to-queue) = %+v, want the kinesis and missing-queue deliveries failed", m)
	}
	wait := 5 * time.Second
	got, err := c.SQS().Receive(t.Context(), url, sqs.ReceiveInput{Wait: &wait})
	if err != nil || len(got) != 1 || got[0].Body != `{"kind":"dragon"}` {
		t.Fatalf("Receive = %+v, %v", got, err)
	}
}
