// Package steptest runs a state machine in a Go test and checks its status,
// output and path in one call, the way coinbase/step tested machines
// together with their code:
//
//	steptest.Run(t, sm, steptest.Case{
//		Input:  `{"roll": 0}`,
//		Status: step.StatusSucceeded,
//		Path:   []string{"roll", "check", "done"},
//		Output: `{"roll": 5}`,
//	})
//
// The helper runs on the CLI side of the build (it needs the execution
// engine), so the package holds only this file under the lambdabinary tag.
package steptest
