package stepfunctions_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/resource"
)

func TestStateMachineProvider(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fn := fnARN("RollDie-root_rollDie")
	role := f.role("sm", allow("lambda:InvokeFunction", fn, fn+":*"))
	p := f.provider()
	props := map[string]any{
		"DefinitionString":        `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"${FnArn}","TimeoutSeconds":${Timeout},"End":true}}}`,
		"DefinitionSubstitutions": map[string]any{"FnArn": fn, "Timeout": json.Number("30")},
		"RoleArn":                 role,
		"StateMachineType":        "STANDARD",
	}
	res, err := p.Create(ctx, resource.Request{StackName: "RollDie-root", LogicalID: "RollDieStateMachinebe2150b6", Properties: props})
	if err != nil {
		t.Fatalf("Create = %v", err)
	}
	name, _ := res.Attributes["Name"].(string)
	if !strings.HasPrefix(name, "RollDieStateMachinebe2150b6-") || len(name) != len("RollDieStateMachinebe2150b6-")+12 {
		t.Errorf("generated name = %q", name)
	}
	if res.PhysicalID != "arn:aws:states:us-east-1:000000000000:stateMachine:"+name || res.Attributes["Arn"] != res.PhysicalID {
		t.Errorf("Create = %+v", res)
	}
	sm, err := f.svc.DescribeStateMachine(res.PhysicalID)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `","TimeoutSeconds":30,"End":true}}}`; sm.Definition != want {
		t.Errorf("definition = %s, want %s", sm.Definition, want)
	}
	rev := res.Attributes["StateMachineRevisionId"]

	// Update in place with an object Definition.
	props2 := map[string]any{
		"Definition":              map[string]any{"StartAt": "P", "States": map[string]any{"P": map[string]any{"Type": "Pass", "Result": "${Greeting}", "End": true}}},
		"DefinitionSubstitutions": map[string]any{"Greeting": "hello"},
		"RoleArn":                 role,
	}
	if p.RequiresReplacement(props, props2) {
		t.Error("RequiresReplacement(definition change) = true")
	}
	upd, err := p.Update(ctx, resource.Request{PhysicalID: res.PhysicalID, Properties: props2, OldProperties: props})
	if err != nil {
		t.Fatalf("Update = %v", err)
	}
	if upd.Attributes["StateMachineRevisionId"] == rev {
		t.Error("Update kept the revision ID")
	}
	out := f.run(res.PhysicalID, `{}`)
	if got := *out.Output; got != `"hello"` {
		t.Errorf("output after update = %s", got)
	}
	if !p.RequiresReplacement(props, map[string]any{"StateMachineType": "EXPRESS"}) ||
		!p.RequiresReplacement(props, map[string]any{"StateMachineName": "x", "StateMachineType": "STANDARD"}) {
		t.Error("RequiresReplacement misses a name or type change")
	}
	if p.RequiresReplacement(map[string]any{}, map[string]any{"StateMachineType": "STANDARD"}) {
		t.Error("RequiresReplacement(absent type -> STANDARD) = true")
	}

	for _, tt := range []struct {
		name  string
		props map[string]any
		want  string
	}{
		{"S3 location", map[string]any{"DefinitionS3Location": map[string]any{"Bucket": "b", "Key": "k"}, "RoleArn": role}, "DefinitionS3Location is not supported by the local cloud"},
		{"no definition", map[string]any{"RoleArn": role}, "DefinitionString"},
		{"no role", map[string]any{"DefinitionString": passMachine}, "RoleArn"},
		{"bad definition", map[string]any{"DefinitionString": `{"StartAt":"X","States":{}}`, "RoleArn": role}, "InvalidDefinition"},
		{"untrusting role", map[string]any{"DefinitionString": passMachine, "RoleArn": "arn:aws:iam::000000000000:role/none"}, "Neither the global service principal"},
		{"taken name", map[string]any{"DefinitionString": passMachine, "RoleArn": role, "StateMachineName": name}, "StateMachineAlreadyExists"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Create(ctx, resource.Request{StackName: "s", LogicalID: "M", Properties: tt.props})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Create = %v, want an error containing %q", err, tt.want)
			}
		})
	}

	for i := 0; i < 2; i++ {
		if err := p.Delete(ctx, resource.Request{PhysicalID: res.PhysicalID}); err != nil {
			t.Errorf("Delete #%d = %v", i+1, err)
		}
	}
	if _, err := f.svc.DescribeStateMachine(res.PhysicalID); err == nil {
		t.Error("the machine survived Delete")
	}
}
