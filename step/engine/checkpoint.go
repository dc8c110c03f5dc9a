package engine

import (
	"encoding/json"
	"fmt"
	"time"
)

// Checkpoint is a top-level ".waitForTaskToken" task waiting for its
// token, with everything the engine needs to go on from there in another
// process: the state, its input and the variables in scope, the token,
// the attempt and the history so far. Options.Checkpoint hands one to the
// embedder, which stores it with the execution; after a restart,
// Options.Resume continues the execution from it, and SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat with the same token complete the
// task as if nothing had happened.
//
// Only top-level tasks checkpoint: a callback task inside a Parallel
// branch or a Map iteration does not survive a restart. After a resume,
// TimeoutSeconds count from when the task started waiting and
// HeartbeatSeconds from LastHeartbeat (which the embedder moves on each
// SendTaskHeartbeat it stores), both on the wall clock, so time the
// process was down counts as it does on AWS; the execution runs the
// machine's current definition.
type Checkpoint struct {
	// State is the Task state; Token its task token.
	State, Token string
	// Input is the state's raw input (before InputPath), which its
	// ResultPath and Catch merge into.
	Input json.RawMessage
	// Variables are the top-level variables (Assign) when the state was
	// entered.
	Variables map[string]json.RawMessage `json:",omitempty"`
	// RetryCount is the attempt (0 for the first); RetryCounts the
	// attempts each retrier has made.
	RetryCount  int
	RetryCounts []int `json:",omitempty"`
	// EnteredEventID and EnteredPreviousEventID are the state's entered
	// event and the one before it; SubmittedEventID is its TaskSubmitted
	// event, and Events the number of events recorded, which the resumed
	// execution's events follow.
	EnteredEventID, EnteredPreviousEventID, SubmittedEventID, Events int64
	// Transitions counts the states entered so far; Path lists the
	// top-level ones.
	Transitions int64
	Path        []string
	// StartDate is the execution's start, EnteredDate the state's, on the
	// execution's clock; WaitingSince is when the task's work started, on
	// the wall clock (TimeoutSeconds counts from it), and LastHeartbeat
	// when it started waiting or was last heartbeaten (HeartbeatSeconds
	// count from it).
	StartDate, EnteredDate, WaitingSince, LastHeartbeat time.Time
	// Timeout and Heartbeat are the task's TimeoutSeconds and
	// HeartbeatSeconds; 0 when absent.
	Timeout, Heartbeat time.Duration
}

// checkpoint describes the callback task f is waiting in.
func (r *runner) checkpoint(f *frame, req *TaskRequest, since, beat time.Time) *Checkpoint {
	e := r.exec
	cp := &Checkpoint{
		State: f.st.name, Token: req.TaskToken, Input: marshalValue(f.input),
		RetryCount: f.retry, RetryCounts: append([]int(nil), f.retryCounts...),
		EnteredEventID: f.enteredID, EnteredPreviousEventID: f.enteredPrev, SubmittedEventID: r.last,
		Transitions: e.transitions.Load(),
		StartDate:   e.start, EnteredDate: f.entered, WaitingSince: since, LastHeartbeat: beat,
		Timeout: req.Timeout, Heartbeat: req.Heartbeat,
	}
	for sc := r.scope; sc != nil; sc = sc.parent {
		for k, v := range sc.vars {
			if cp.Variables == nil {
				cp.Variables = map[string]json.RawMessage{}
			}
			if _, shadowed := cp.Variables[k]; !shadowed {
				cp.Variables[k] = marshalValue(v)
			}
		}
	}
	e.hmu.Lock()
	cp.Events = e.idBase + int64(len(e.events))
	cp.Path = append([]string(nil), e.path...)
	e.hmu.Unlock()
	return cp
}

// resumeFrom sets up an execution that continues from cp.
func (e *Execution) resumeFrom(cp *Checkpoint) error {
	st := e.prog.root.states[cp.State]
	if st == nil || st.kind != kindTask || !st.waitForToken {
		return fmt.Errorf("cannot resume at state %q: the machine has no top-level .waitForTaskToken Task of that name", cp.State)
	}
	if cp.Token == "" || cp.SubmittedEventID <= 0 || cp.Events < cp.SubmittedEventID {
		return fmt.Errorf("cannot resume at state %q: the checkpoint lacks its token or history", cp.State)
	}
	e.start = cp.StartDate
	e.idBase = cp.Events
	e.transitions.Store(cp.Transitions)
	e.path = append(e.path, cp.Path...)
	return nil
}

// resume continues the execution from its checkpoint: the task waits for
// its token again, then the machine goes on from there as run does.
func (r *runner) resume(cp *Checkpoint) (any, *failure) {
	st := r.m.states[cp.State]
	input, err := decodeJSON(cp.Input)
	if err != nil {
		return nil, executionFailure("cannot resume at state '%s': its input: %v", cp.State, err)
	}
	for k, raw := range cp.Variables {
		v, err := decodeJSON(raw)
		if err != nil {
			return nil, executionFailure("cannot resume at state '%s': variable %s: %v", cp.State, k, err)
		}
		r.scope.set([]string{k}, []any{v})
	}
	r.last = cp.SubmittedEventID
	f := &frame{r: r, st: st, input: input, entered: cp.EnteredDate, enteredPrev: cp.EnteredPreviousEventID,
		enteredID: cp.EnteredEventID, retry: cp.RetryCount, retryCounts: append([]int(nil), cp.RetryCounts...), token: cp.Token}
	first := true
	out, next, fl := r.withRetry(f, func(f *frame) (any, *failure) {
		if !first {
			return r.taskAttempt(f)
		}
		first = false
		return r.resumeAttempt(f, cp)
	})
	out, next, fl = r.exit(f, out, next, fl)
	if fl != nil || next == nil {
		return out, fl
	}
	return r.runFrom(next, out)
}

// resumeAttempt waits again for the token of the attempt cp describes.
func (r *runner) resumeAttempt(f *frame, cp *Checkpoint) (any, *failure) {
	e := r.exec
	cb, release := e.register(cp.Token)
	defer release()
	req := &TaskRequest{StateName: cp.State, Resource: f.st.resource, TaskToken: cp.Token, Timeout: cp.Timeout, Heartbeat: cp.Heartbeat,
		RetryCount: cp.RetryCount, ExecutionARN: e.opts.ExecutionARN}
	if e.opts.Checkpoint != nil {
		e.opts.Checkpoint(cp)
		defer e.opts.Checkpoint(nil)
	}
	beat := cp.LastHeartbeat
	if beat.IsZero() {
		beat = time.Now()
	}
	result, fl := r.awaitToken(cb, req, cp.WaitingSince, beat)
	return r.taskOutcome(f, taskEventsOf(f.st.resource), result, fl)
}
