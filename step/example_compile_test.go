//go:build !lambdabinary

package step_test

import (
	"context"
	"fmt"

	"github.com/sparta-go/sparta/step"
)

// A machine read by FromJSON runs its definition as written, here a JSONata
// "Output": null that the typed model has no way to say. Compile reports an
// invalid machine before the first Execute; Execute compiles once and runs
// the compiled program on every later call.
func ExampleStateMachine_Compile() {
	sm, err := step.FromJSON([]byte(`{
		"QueryLanguage": "JSONata",
		"StartAt": "Forget",
		"States": {"Forget": {"Type": "Pass", "Output": null, "End": true}}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	sm.WithName("Forgetful")
	if err := sm.Compile(); err != nil {
		fmt.Println(err)
		return
	}
	for range 2 {
		ex, err := sm.Execute(context.Background(), map[string]any{"secret": 42}, step.WithVirtualClock())
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ex.Status, string(ex.Output))
	}
	// Output:
	// SUCCEEDED null
	// SUCCEEDED null
}
