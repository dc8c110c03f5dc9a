//go:build !lambdabinary

package steptest

import (
	"testing"

	"github.com/sparta-go/sparta/step"
)

// Consumers of ".waitForTaskToken" tasks for Case.Callbacks: a test plays
// the queue's or topic's consumer, which on AWS calls SendTaskSuccess or
// SendTaskFailure with the token it received. A consumer written by hand
// reads task.Message and task.Token and may heartbeat and move the
// virtual clock first:
//
//	Callbacks: func(task *step.CallbackTask) {
//		task.Advance(50 * time.Minute)
//		task.Heartbeat()
//		task.Advance(50 * time.Minute) // within HeartbeatSeconds of the beat
//		task.Success(map[string]any{"confirmed": true})
//	}

// Succeed answers every callback task with output, as a consumer calling
// SendTaskSuccess does; a task it cannot answer is reported with t.Errorf.
func Succeed(t testing.TB, output any) func(*step.CallbackTask) {
	return func(task *step.CallbackTask) {
		if err := task.Success(output); err != nil {
			t.Errorf("state %q: SendTaskSuccess: %v", task.State, err)
		}
	}
}

// Fail fails every callback task with errName and cause, as a consumer
// calling SendTaskFailure does.
func Fail(t testing.TB, errName, cause string) func(*step.CallbackTask) {
	return func(task *step.CallbackTask) {
		if err := task.Failure(errName, cause); err != nil {
			t.Errorf("state %q: SendTaskFailure: %v", task.State, err)
		}
	}
}
