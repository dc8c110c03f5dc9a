// Command invalid is a service with several mistakes, for the test that
// provision reports all of them before building anything.
package main

import (
	"context"
	"os"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func ok(context.Context) error { return nil }

func main() {
	a, _ := sparta.NewAWSLambda("twice", ok, sparta.IAMRoleDefinition{})
	b, _ := sparta.NewAWSLambda("twice", ok, sparta.IAMRoleDefinition{})
	c, _ := sparta.NewAWSLambda("big", ok, sparta.IAMRoleDefinition{})
	c.Options = &sparta.LambdaFunctionOptions{MemorySize: 64, Timeout: 1200}
	// Built by hand to get past NewAWSLambda's own check.
	d := &service.LambdaAWSInfo{Name: "shape", Handler: func(string) {}}
	// A machine with two mistakes: a Choice without rules, and a Catch list
	// that puts States.ALL first.
	done := step.NewSuccessState("done")
	task := step.NewLambdaTaskState("call", a).WithCatchers(
		step.Catcher{ErrorEquals: []string{"States.ALL"}, Next: done},
		step.Catcher{ErrorEquals: []string{"Custom"}, Next: done},
	).Next(step.NewChoiceState("pick"))
	machine := step.NewStateMachine("Broken", task)
	// A machine whose function is never handed to MainEx.
	orphan, _ := sparta.NewAWSLambda("orphan", ok, sparta.IAMRoleDefinition{})
	lonely := step.NewStateMachine("Lonely", step.NewTaskState("callOrphan", orphan))
	hooks := &sparta.WorkflowHooks{ServiceDecorators: []sparta.ServiceDecoratorHookHandler{machine.StateMachineDecorator(), lonely.StateMachineDecorator()}}
	if sparta.MainEx("Invalid", "invalid on purpose", []*sparta.LambdaAWSInfo{a, b, c, d}, nil, nil, hooks, false) != nil {
		os.Exit(1)
	}
}
