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
// Case.Retries, Case.Aborted and Case.History check the execution's history
// as AWS records it ("state X was retried twice", "the task of branch 2 was
// aborted", event for event); Retries, Aborted, Entered and Events read it
// directly.
//
// Case.Data runs the machine's DynamoDB and SQS tasks against in-memory
// tables and queues (step.NewOfflineData), and Case.Callbacks plays the
// consumer of its ".waitForTaskToken" tasks: it receives each task's
// token and message and answers with Success, Failure or Heartbeat, with
// HeartbeatSeconds and TimeoutSeconds on the virtual clock (Advance);
// Succeed and Fail are the common consumers.
//
// The helper runs on the CLI side of the build (it needs the execution
// engine), so its files are excluded from the lambdabinary build.
package steptest
