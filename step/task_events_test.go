//go:build !lambdabinary

package step_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/events"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cfnlint"
	"github.com/sparta-go/sparta/step"
)

// A putEvents task writes Step Functions' request
// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html)
// and its role may events:PutEvents on exactly the buses it names: the
// default bus and a bus of the template (no "*"). The template passes
// cfn-lint.
func TestEventBridgePutEventsState(t *testing.T) {
	sc := newServiceContext(t)
	sc.Template.Resources["DragonsBus"] = &events.EventBus{Name: "dragons"}
	put := step.NewEventBridgePutEventsState("Announce",
		step.EventBridgeEntry{Source: "dragons.workflow", DetailType: "Sighting", DetailPath: "$.sighting"},
		step.EventBridgeEntry{Source: "dragons.workflow", DetailType: "Confirm", Detail: map[string]any{"TaskToken.$": "$$.Task.Token"}, EventBusName: cfn.Ref("DragonsBus")},
	).WaitForTaskToken()
	sm := step.NewStateMachine("Announcer", put)
	if err := sm.Validate(); err != nil {
		t.Fatal(err)
	}
	asl, _ := sm.MarshalJSON()
	for _, want := range []string{`"Resource":"arn:aws:states:::events:putEvents.waitForTaskToken"`, `"Detail.$":"$.sighting"`, `"EventBusName":"${EventBus`} {
		if !strings.Contains(string(asl), want) {
			t.Errorf("ASL = %s, want %s", asl, want)
		}
	}
	decorate(t, sm, sc)
	tmpl := templateJSON(t, sc.Template)
	role := tmpl["Resources"].(map[string]any)[step.StateMachineRoleLogicalID("Announcer")].(map[string]any)
	stmts, _ := json.Marshal(role["Properties"].(map[string]any)["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"])
	want := `[{"Action":["events:PutEvents"],"Effect":"Allow","Resource":[{"Fn::GetAtt":["DragonsBus","Arn"]},{"Fn::Sub":"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"}]}]`
	if string(stmts) != want {
		t.Errorf("role statements = %s\nwant %s", stmts, want)
	}
	b, err := cfn.Marshal(sc.Template)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "putevents.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cfnlint.Check(t, p)
}

// Offline, a putEvents task is served by a handler for its Resource, which
// receives the entries as the state resolved them.
func TestEventBridgePutEventsOffline(t *testing.T) {
	sm := step.NewStateMachine("Announcer", step.NewEventBridgePutEventsState("Announce",
		step.EventBridgeEntry{Source: "dragons.workflow", DetailType: "Sighting", DetailPath: "$.sighting"}))
	var got []string
	handler := func(_ context.Context, input json.RawMessage) (json.RawMessage, error) {
		got = append(got, string(input))
		return json.RawMessage(`{"Entries":[{"EventId":"offline-1"}],"FailedEntryCount":0}`), nil
	}
	exec, err := sm.Execute(context.Background(), map[string]any{"sighting": map[string]any{"kind": "dragon"}},
		step.WithTaskHandler(step.ResourceEventBridgePutEvents, handler))
	if err != nil || exec.Status != "SUCCEEDED" {
		t.Fatalf("Execute = %+v, %v", exec, err)
	}
	if len(got) != 1 || got[0] != `{"Entries":[{"Detail":{"kind":"dragon"},"DetailType":"Sighting","Source":"dragons.workflow"}]}` {
		t.Errorf("the handler got %v", got)
	}
}
