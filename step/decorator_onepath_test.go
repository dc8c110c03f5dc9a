//go:build !lambdabinary

package step_test

import (
	"encoding/json"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sparta-go/sparta/step"
)

// A machine read by FromJSON deploys the definition as written, like
// Execute runs it: a JSONata "Output": null, which the typed model cannot
// say, reaches the template (issue 18, "one path from definition to
// engine"). Once a builder method changes the machine, the model is what
// deploys.
func TestDecorateDeploysTheDefinitionAsWritten(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"Forget","States":{"Forget":{"Type":"Pass","Output":null,"End":true}}}`
	sm, err := step.FromJSON([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	sm.WithName("Forgetful")
	sc := newServiceContext(t)
	decorate(t, sm, sc)
	res := sc.Template.Resources[step.StateMachineLogicalID("Forgetful")].(*stepfunctions.StateMachine)
	var got, want any
	if err := json.Unmarshal([]byte(*res.DefinitionString), &got); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal([]byte(def), &want)
	if b1, b2 := mustJSON(t, got), mustJSON(t, want); b1 != b2 {
		t.Errorf("DefinitionString = %s, want %s", b1, b2)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
