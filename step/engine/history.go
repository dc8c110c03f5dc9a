package engine

import (
	"encoding/json"
	"time"
)

// Event is one entry of an execution's history, named and linked as
// GetExecutionHistory reports it.
//
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html.
type Event struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	// Type is an AWS HistoryEventType: ExecutionStarted, TaskStateEntered,
	// TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, TaskFailed,
	// TaskTimedOut, ChoiceStateEntered, WaitStateExited,
	// ParallelStateStarted, MapStateStarted, MapIterationStarted,
	// ExecutionSucceeded, ExecutionFailed ...
	Type      string
	StateName string          // for state and task events
	Input     json.RawMessage // state input, task parameters, execution input
	Output    json.RawMessage // state output, task result, execution output
	Error     string
	Cause     string
	Resource  string // task resource, or the state machine ARN on ExecutionStarted
	// Index is the iteration of MapIteration* events, and the number of
	// iterations of MapStateStarted; 0 otherwise.
	Index int
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
	errName   string
	cause     string
	resource  string
	index     int
}

// emit records an event on this runner's thread of events.
func (r *runner) emit(ev event) int64 {
	id := r.exec.record(ev, r.last)
	r.last = id
	return id
}

// record appends an event and returns its ID. Top-level state entries are
// also appended to the execution's path under the same lock.
func (e *Execution) record(ev event, prev int64) int64 {
	ev.ts = e.clock.Now()
	ev.prev = prev
	e.hmu.Lock()
	ev.id = int64(len(e.events) + 1)
	e.events = append(e.events, ev)
	if e.opts.Observer != nil {
		e.opts.Observer(ev.public())
	}
	e.hmu.Unlock()
	return ev.id
}

func (r *runner) emitEntered(s *state, input any) {
	e := r.exec
	ev := event{typ: enteredEvents[s.kind], state: s.name, input: input, hasInput: true, ts: e.clock.Now(), prev: r.last}
	e.hmu.Lock()
	ev.id = int64(len(e.events) + 1)
	e.events = append(e.events, ev)
	if r.top {
		e.path = append(e.path, s.name)
	}
	if e.opts.Observer != nil {
		e.opts.Observer(ev.public())
	}
	e.hmu.Unlock()
	r.last = ev.id
}

func (ev *event) public() Event {
	out := Event{
		ID: ev.id, PreviousEventID: ev.prev, Timestamp: ev.ts, Type: ev.typ,
		StateName: ev.state, Error: ev.errName, Cause: ev.cause,
		Resource: ev.resource, Index: ev.index,
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
