//go:build !lambdabinary

package sparta

import (
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step"
)

func TestPickStateMachineNamesTheChoices(t *testing.T) {
	a := step.NewStateMachine("Orders", step.NewPassState("p"))
	b := step.NewStateMachine("Refunds", step.NewPassState("q"))
	svc := &serviceDefinition{name: "Shop", hooks: &WorkflowHooks{ServiceDecorators: []ServiceDecoratorHookHandler{a.StateMachineDecorator(), b.StateMachineDecorator()}}}
	if _, err := pickStateMachine(svc, ""); err == nil || !strings.Contains(err.Error(), `service "Shop" has 2 state machines (Orders, Refunds): choose one with --state-machine`) {
		t.Errorf("pickStateMachine(\"\") = %v, want the choices named", err)
	}
	if sm, err := pickStateMachine(svc, "Refunds"); err != nil || sm != b {
		t.Errorf("pickStateMachine(Refunds) = %v, %v", sm, err)
	}
}
