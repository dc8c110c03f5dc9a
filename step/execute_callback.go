//go:build !lambdabinary

package step

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sparta-go/sparta/step/engine"
)

// CallbackTask is a ".waitForTaskToken" task of an offline execution whose
// work is done (the SQS message sent, the SNS message published, the
// Lambda function called) and which now waits for its token, as a
// deployed task waits for a consumer's SendTaskSuccess, SendTaskFailure
// or SendTaskHeartbeat. WithCallbacks hands each one to a function that
// plays the consumer.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token.
type CallbackTask struct {
	// State is the Task state's name, Resource its resource.
	State, Resource string
	// Token is the task token ($$.Task.Token).
	Token string
	// Message is what carried the token to the consumer: the SQS
	// MessageBody, the SNS Message, the Lambda Payload or the
	// StartExecution Input, as the text that was sent (JSON values as
	// their JSON); for other resources, the task's input.
	Message string
	// Input is the task's effective input (its Parameters, resolved).
	Input json.RawMessage
	// HeartbeatTimeout and Timeout are the task's HeartbeatSeconds and
	// TimeoutSeconds; zero when absent.
	HeartbeatTimeout, Timeout time.Duration

	exec  *engine.Execution
	clock *engine.VirtualClock // nil on the wall clock

	mu       sync.Mutex
	start    time.Time // when the task started waiting, on the clock
	lastBeat time.Time
	answered bool
	timedOut bool
}

// ErrTaskTimedOut is returned by CallbackTask's methods once the task's
// HeartbeatSeconds or TimeoutSeconds passed, as the SendTask APIs answer
// TaskTimedOut for such a task.
var ErrTaskTimedOut = errors.New("TaskTimedOut: the task timed out before it was answered")

// ErrTaskAnswered is returned by CallbackTask's methods once the task was
// answered, as the SendTask APIs answer TaskDoesNotExist.
var ErrTaskAnswered = errors.New("TaskDoesNotExist: the task was answered already")

// WithCallbacks hands each ".waitForTaskToken" task, once its work is
// done, to consumer, which answers it with Success or Failure, keeps it
// alive with Heartbeat, or lets time pass with Advance. consumer runs on
// the task's goroutine, before the execution goes on.
//
// A task consumer leaves unanswered, or every callback task when there is
// no consumer, is what a task nobody answers becomes on AWS: on the
// virtual clock (WithVirtualClock) the clock advances to its
// HeartbeatSeconds or TimeoutSeconds, whichever comes first, and it fails
// with States.HeartbeatTimeout or States.Timeout; on the wall clock it
// waits for them. A task with neither would wait forever, so it fails
// with States.Runtime saying that nothing answered it.
func WithCallbacks(consumer func(*CallbackTask)) ExecuteOption {
	return func(c *executeConfig) { c.callbacks = consumer }
}

// Success completes the task with output (any JSON-marshalable value, or
// json.RawMessage), as SendTaskSuccess does.
func (cb *CallbackTask) Success(output any) error {
	raw, err := inputJSON(output)
	if err != nil {
		return fmt.Errorf("state %q: task output: %w", cb.State, err)
	}
	return cb.answer(func() error { return cb.exec.SendTaskSuccess(cb.Token, raw) })
}

// Failure fails the task with errName and cause, which the state's Retry
// and Catch match, as SendTaskFailure does.
func (cb *CallbackTask) Failure(errName, cause string) error {
	return cb.answer(func() error { return cb.exec.SendTaskFailure(cb.Token, errName, cause) })
}

func (cb *CallbackTask) answer(send func() error) error {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if err := cb.checkLocked(); err != nil {
		return err
	}
	cb.answered = true
	return send()
}

// Heartbeat restarts the task's HeartbeatSeconds, as SendTaskHeartbeat
// does.
func (cb *CallbackTask) Heartbeat() error {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if err := cb.checkLocked(); err != nil {
		return err
	}
	cb.lastBeat = cb.now()
	if err := cb.exec.SendTaskHeartbeat(cb.Token); err != nil && !errors.Is(err, engine.ErrTaskDoesNotExist) {
		return err
	}
	return nil
}

// Advance moves the execution's virtual clock forward by d while the task
// waits; when d takes it past the task's HeartbeatSeconds (since the last
// heartbeat) or TimeoutSeconds, the task fails with
// States.HeartbeatTimeout or States.Timeout then. It is an error on the
// wall clock.
func (cb *CallbackTask) Advance(d time.Duration) error {
	if cb.clock == nil {
		return fmt.Errorf("state %q: Advance needs the virtual clock (step.WithVirtualClock)", cb.State)
	}
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if cb.answered {
		return nil
	}
	cb.clock.Advance(d)
	_ = cb.checkLocked()
	return nil
}

func (cb *CallbackTask) now() time.Time {
	if cb.clock != nil {
		return cb.clock.Now()
	}
	return time.Now()
}

// checkLocked fails the task when the virtual clock passed one of its
// deadlines (the engine's own timers measure the wall clock), and says
// whether it can still be answered.
func (cb *CallbackTask) checkLocked() error {
	switch {
	case cb.timedOut:
		return ErrTaskTimedOut
	case cb.answered:
		return ErrTaskAnswered
	case cb.clock == nil:
		return nil
	}
	now := cb.clock.Now()
	name := ""
	switch {
	case cb.Timeout > 0 && !now.Before(cb.start.Add(cb.Timeout)):
		name = engine.ErrTimeout
	case cb.HeartbeatTimeout > 0 && !now.Before(cb.lastBeat.Add(cb.HeartbeatTimeout)):
		name = engine.ErrHeartbeatTimeout
	default:
		return nil
	}
	// A timeout has no cause (as AWS records it); the engine records
	// these names as TaskTimedOut.
	cb.answered, cb.timedOut = true, true
	_ = cb.exec.SendTaskFailure(cb.Token, name, "")
	return ErrTaskTimedOut
}

// unanswered ends a task its consumer returned from without answering:
// see WithCallbacks.
func (cb *CallbackTask) unanswered() {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if cb.answered {
		return
	}
	if cb.HeartbeatTimeout == 0 && cb.Timeout == 0 {
		cb.answered = true
		_ = cb.exec.SendTaskFailure(cb.Token, engine.ErrRuntime, fmt.Sprintf(
			"offline, nothing answered the task token of state '%s', which has no HeartbeatSeconds or TimeoutSeconds and would wait forever: answer it with step.WithCallbacks (steptest.Callbacks in tests)", cb.State))
		return
	}
	if cb.clock == nil {
		return // the engine's timers end it
	}
	deadline := time.Time{}
	if cb.Timeout > 0 {
		deadline = cb.start.Add(cb.Timeout)
	}
	if hb := cb.lastBeat.Add(cb.HeartbeatTimeout); cb.HeartbeatTimeout > 0 && (deadline.IsZero() || hb.Before(deadline)) {
		deadline = hb
	}
	if d := deadline.Sub(cb.clock.Now()); d > 0 {
		cb.clock.Advance(d)
	}
	_ = cb.checkLocked()
}
