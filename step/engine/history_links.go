package engine

import (
	"strconv"
	"strings"
	"sync"
)

// How events link (PreviousEventID) and how failures are located, as AWS
// records them. The rules come from execution histories recorded on AWS
// Step Functions:
//
//   - The first state's entered event links to 0.
//   - A runtime or evaluation failure's cause starts with "An error occurred
//     while executing the state 'X' (entered at the event id #N). ".
//   - A JSONata evaluation failure (States.QueryEvaluationError) records
//     EvaluationFailed, linked to the event before the state's entered
//     event (to the entered event itself in a Wait state).
//   - A Map's MapIterationStarted links to the last event of the iteration
//     that finished before it started (MapStateStarted when none has), and
//     its MapIteration{Succeeded,Failed} to the iteration's last event;
//     MapStateSucceeded and MapStateExited link to the last
//     MapIterationSucceeded. A Parallel's ParallelStateSucceeded and
//     ParallelStateExited link to the last event of the branch that
//     finished last.
//   - When an iteration or branch fails, the others end with
//     <Type>StateAborted for the state they were in (and
//     MapIterationAborted), MapStateFailed or ParallelStateFailed follow,
//     all linked to the failing one's last event. A retried Map or Parallel
//     records its *StateFailed once, when no retrier takes the failure;
//     the next attempt's *StateStarted links to that last event.

// fan is one attempt of a Parallel's branches or a Map's iterations: the
// cursors their events link to.
type fan struct {
	parent *fan
	mu     sync.Mutex
	// cursor is what the next MapIterationStarted links to.
	cursor int64
	// lastEnd is what *StateSucceeded and *StateExited link to.
	lastEnd int64
	// failed is the last event of the branch or iteration that failed the
	// state; 0 while none has.
	failed int64
}

func newFan(parent *fan, started int64) *fan {
	return &fan{parent: parent, cursor: started, lastEnd: started}
}

// next returns the event a new iteration links to.
func (fn *fan) next() int64 {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	return fn.cursor
}

// finished records that an iteration or branch whose last state event is
// last ended with the event end (0 for a Parallel branch, which records no
// end event of its own).
func (fn *fan) finished(last, end int64) {
	fn.mu.Lock()
	fn.cursor = last
	if end == 0 {
		end = last
	}
	fn.lastEnd = end
	fn.mu.Unlock()
}

// fail records the first failing branch's or iteration's last event.
func (fn *fan) fail(last int64) {
	fn.mu.Lock()
	if fn.failed == 0 {
		fn.failed = last
	}
	fn.mu.Unlock()
}

// failedAt returns the failing branch's or iteration's last event, 0 when
// none failed.
func (fn *fan) failedAt() int64 {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	return fn.failed
}

// abortPrev is what the events of an aborted branch link to: the failing
// sibling's last event, looking outwards through nested fans.
func (fn *fan) abortPrev(def int64) int64 {
	for f := fn; f != nil; f = f.parent {
		f.mu.Lock()
		x := f.failed
		f.mu.Unlock()
		if x != 0 {
			return x
		}
	}
	return def
}

// locate gives a failure of the state its AWS cause prefix, once, and
// records EvaluationFailed for a JSONata evaluation failure. It is the only
// place that writes the prefix: failure constructors hold the detail.
func (f *frame) locate(fl *failure) *failure {
	if !fl.inState || fl.located {
		return fl
	}
	fl.located = true
	// Details must not carry a prefix of their own; one written without
	// the event id (the engine's older wording) is replaced, not doubled.
	detail := strings.TrimPrefix(fl.cause, "An error occurred while executing the state '"+f.st.name+"'. ")
	fl.cause = "An error occurred while executing the state '" + f.st.name +
		"' (entered at the event id #" + strconv.FormatInt(f.enteredID, 10) + "). " + detail
	if fl.name == ErrQueryEvaluationError {
		prev := f.enteredPrev
		if f.st.kind == kindWait {
			prev = f.enteredID
		}
		f.r.last = f.r.exec.record(event{typ: "EvaluationFailed", state: f.st.name, more: &eventMore{errName: fl.name, cause: fl.cause, location: fl.location}}, prev)
	}
	return fl
}

// emitAborted records that a state of a branch or iteration was cut short
// because a sibling failed (or the execution ended).
func (r *runner) emitAborted(s *state) {
	var typ string
	switch s.kind {
	case kindTask:
		typ = "TaskStateAborted"
	case kindWait:
		typ = "WaitStateAborted"
	case kindParallel:
		typ = "ParallelStateAborted"
	case kindMap:
		typ = "MapStateAborted"
	default:
		return
	}
	r.exec.record(event{typ: typ, state: s.name}, r.fan.abortPrev(r.last))
}

// assignVars sets the variables of the state's Assign and keeps them for
// its exited event (assignedVariables).
func (f *frame) assignVars(names []string, vals []any) {
	f.r.scope.set(names, vals)
	if len(names) > 0 {
		f.vars = &assigned{names: names, vals: vals}
	}
}

// stateFailed records the Map's or Parallel's *StateFailed event when its
// failure is final (no retrier takes it), linked to the failing iteration's
// or branch's last event, or to the last event recorded (EvaluationFailed).
// A States.Runtime failure records none, as on AWS.
func (r *runner) stateFailed(f *frame, fl *failure) {
	if fl.fatal {
		return
	}
	var typ string
	switch f.st.kind {
	case kindMap:
		typ = "MapStateFailed"
	case kindParallel:
		typ = "ParallelStateFailed"
	default:
		return
	}
	prev := r.last
	if f.failedPrev != 0 {
		prev = f.failedPrev
	}
	r.last = r.exec.record(event{typ: typ, state: f.st.name}, prev)
}

// taskEvents names the events of one task attempt. AWS records a Task whose
// Resource is a Lambda function ARN (the pre-integration form) with
// LambdaFunction* events, and every other resource with Task* events.
//
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_LambdaFunctionScheduledEventDetails.html.
type taskEvents struct {
	scheduled, started, succeeded, failed, timedOut string
}

var (
	taskTaskEvents   = taskEvents{"TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed", "TaskTimedOut"}
	lambdaTaskEvents = taskEvents{"LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "LambdaFunctionFailed", "LambdaFunctionTimedOut"}
)

func taskEventsOf(resource string) *taskEvents {
	// arn:<partition>:lambda:<region>:<account>:function:<name>
	if rest, ok := strings.CutPrefix(resource, "arn:"); ok {
		if _, rest, ok = strings.Cut(rest, ":"); ok && strings.HasPrefix(rest, "lambda:") {
			return &lambdaTaskEvents
		}
	}
	return &taskTaskEvents
}
