package engine

import (
	"encoding/json"
	"time"
)

// Event is one entry of an execution's history, named and linked as
// GetExecutionHistory reports it.
//
// The links follow what AWS records (see the package documentation,
// "History"): the first state's entered event links to 0, not to
// ExecutionStarted; a Map's MapIterationStarted links to the last event of
// the iteration that finished before it; a Map's or Parallel's
// *StateSucceeded and *StateExited link to the last event of its last
// iteration or branch.
//
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html.
type Event struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	// Type is an AWS HistoryEventType: ExecutionStarted, TaskStateEntered,
	// TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, TaskFailed,
	// TaskTimedOut, TaskStateAborted, ChoiceStateEntered, WaitStateExited,
	// ParallelStateStarted, MapStateStarted, MapIterationStarted,
	// EvaluationFailed, ExecutionSucceeded, ExecutionFailed ...
	Type      string
	StateName string          // for state, task, Map iteration and EvaluationFailed events
	Input     json.RawMessage // state input, task parameters, execution input
	Output    json.RawMessage // state output, task result, execution output
	Error     string
	Cause     string
	// Resource is the task resource, the state machine ARN on
	// ExecutionStarted, or the Map Run ARN on MapRunStarted.
	Resource string
	// Index is the iteration of MapIteration* events, and the number of
	// iterations of MapStateStarted; 0 otherwise.
	Index int
	// AssignedVariables are the variables a state assigned (Assign), as
	// JSON, on its *StateExited event; nil when it assigned none.
	AssignedVariables map[string]json.RawMessage
	// Location is the field whose evaluation failed, on EvaluationFailed
	// (e.g. "Output/error").
	Location string
	// TimeoutSeconds and HeartbeatSeconds are the task's bounds on
	// TaskScheduled, 0 when unbounded.
	TimeoutSeconds, HeartbeatSeconds int64
}

// event is the recorded form: payloads stay as model values (immutable, so
// a reference is enough) and are marshaled only when History is read.
type event struct {
	typ       string
	id, prev  int64
	ts        time.Time
	state     string
	input     any
	output    any
	hasInput  bool
	hasOutput bool
	resource  string
	index     int
	// more holds the details few events have, so that the common event
	// stays small: the history of a 100-state chain is 200 of them.
	more *eventMore
}

// eventMore holds the rarer details of an event: failures' error and cause
// among them, so that the events of a run that fails nowhere stay small.
type eventMore struct {
	errName   string
	cause     string
	vars      *assigned // Assign of a *StateExited
	location  string    // EvaluationFailed
	timeout   int64     // TaskScheduled
	heartbeat int64
}

// assigned is what a state's Assign set, kept as model values until read.
type assigned struct {
	names []string
	vals  []any
}

// DefaultMaxHistoryEvents is the hard quota of events in a Standard
// workflow's history: "When an execution reaches 24,999 events, it waits for
// the next event to happen. If the event number 25,000 is ExecutionSucceeded,
// the execution finishes successfully", otherwise it fails.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html.
const DefaultMaxHistoryEvents = 25000

// emit records an event on this runner's thread of events.
func (r *runner) emit(ev event) int64 {
	id := r.exec.record(ev, r.last)
	r.last = id
	return id
}

// record appends an event linked to prev and returns its ID.
func (e *Execution) record(ev event, prev int64) int64 {
	ev.ts = e.clock.Now()
	ev.prev = prev
	e.hmu.Lock()
	id := e.appendLocked(&ev)
	e.hmu.Unlock()
	return id
}

// appendLocked appends ev under hmu, enforcing the history quota: once the
// history is full, events other than the execution's last are dropped and
// the execution is cancelled, to end as AWS ends it (see finish).
func (e *Execution) appendLocked(ev *event) int64 {
	n := e.idBase + int64(len(e.events))
	if e.historyFull && !isExecutionEnd(ev.typ) {
		return n
	}
	if n >= e.maxEvents-1 && !isExecutionEnd(ev.typ) {
		e.historyFull = true
		e.cancel(errHistoryFull)
		return n
	}
	ev.id = n + 1
	e.events = append(e.events, *ev)
	if e.opts.Observer != nil {
		e.opts.Observer(ev.public())
	}
	return ev.id
}

func isExecutionEnd(typ string) bool {
	switch typ {
	case "ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut":
		return true
	}
	return false
}

// emitEntered records a state's entered event and returns its ID; top-level
// entries are also appended to the execution's path under the same lock.
func (r *runner) emitEntered(s *state, input any) int64 {
	e := r.exec
	ev := event{typ: enteredEvents[s.kind], state: s.name, input: input, hasInput: true, ts: e.clock.Now(), prev: r.last}
	e.hmu.Lock()
	id := e.appendLocked(&ev)
	if r.top {
		e.path = append(e.path, s.name)
	}
	e.hmu.Unlock()
	r.last = id
	return id
}

func (ev *event) public() Event {
	out := Event{
		ID: ev.id, PreviousEventID: ev.prev, Timestamp: ev.ts, Type: ev.typ,
		StateName: ev.state, Resource: ev.resource, Index: ev.index,
	}
	if m := ev.more; m != nil {
		out.Error, out.Cause = m.errName, m.cause
		out.Location, out.TimeoutSeconds, out.HeartbeatSeconds = m.location, m.timeout, m.heartbeat
		if m.vars != nil {
			out.AssignedVariables = make(map[string]json.RawMessage, len(m.vars.names))
			for i, n := range m.vars.names {
				out.AssignedVariables[n] = marshalValue(m.vars.vals[i])
			}
		}
	}
	if ev.hasInput {
		out.Input = marshalValue(ev.input)
	}
	if ev.hasOutput {
		out.Output = marshalValue(ev.output)
	}
	return out
}

// History returns the events recorded so far, with payloads marshaled.
// It may be called while the execution runs.
func (e *Execution) History() []Event {
	e.hmu.Lock()
	events := e.events[:len(e.events):len(e.events)]
	e.hmu.Unlock()
	out := make([]Event, len(events))
	for i := range events {
		out[i] = events[i].public()
	}
	return out
}

// Path returns the top-level states entered so far.
func (e *Execution) Path() []string {
	e.hmu.Lock()
	defer e.hmu.Unlock()
	return append([]string(nil), e.path...)
}
