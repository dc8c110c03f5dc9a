package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxTransitions bounds the states an execution may enter, like the
// 25,000-event history limit of a Standard workflow.
const DefaultMaxTransitions = 25000

// Options configures one execution. The zero value runs on the wall clock
// with generated names and no task support.
type Options struct {
	// Invoke runs every Task state. The engine treats Resource as opaque: the
	// embedder routes by it. The returned value may be a model value, raw
	// JSON (json.RawMessage or []byte) or any JSON-marshalable Go value. An
	// error is classified by its ErrorName method (see TaskError), else
	// States.TaskFailed. A panic becomes a States.TaskFailed failure.
	Invoke func(ctx context.Context, req *TaskRequest) (any, error)
	// Clock drives Wait states and Retry intervals; nil is the wall clock.
	// Use NewVirtualClock to run waits without real delay.
	Clock Clock
	// MaxTransitions bounds the states entered, branches included;
	// 0 means DefaultMaxTransitions. Exceeding it fails the execution with
	// States.Runtime.
	MaxTransitions int
	// Names and ARNs for the context object $$; generated when empty.
	ExecutionName, ExecutionARN, StateMachineName, StateMachineARN, RoleARN string
	// MaxHistoryEvents bounds the events of the history, as AWS's hard
	// quota of 25,000 does; 0 means DefaultMaxHistoryEvents. An execution
	// whose next event would be the last allowed, and is not its end, fails
	// with States.Runtime.
	MaxHistoryEvents int
	// OnMapRun, when set, is called when a Distributed Map starts a Map
	// Run, before its first child execution starts, so that an embedder
	// can serve DescribeMapRun and the child executions.
	OnMapRun func(*MapRun)
	// Observer, when set, receives every history event as it is recorded,
	// in order, from the goroutine that records it. It must return quickly
	// and must not call back into the Execution.
	Observer func(Event)
	// Rand returns numbers in [0, 1) for JitterStrategy FULL,
	// States.MathRandom and $random; nil uses math/rand/v2.
	Rand func() float64
	// UUID returns version 4 UUIDs for States.UUID, $uuid and task tokens;
	// nil uses crypto/rand.
	UUID func() string
	// Checkpoint, when set, is called with a Checkpoint when a top-level
	// ".waitForTaskToken" task starts waiting for its token, and with nil
	// when it stops waiting (answered, timed out or stopped), from the
	// execution's goroutine: what an embedder stores so that the execution
	// survives a restart of its process (see Resume).
	Checkpoint func(*Checkpoint)
	// Resume, when set, continues an execution from a Checkpoint instead
	// of starting it: Start's input is ignored, no ExecutionStarted event
	// is recorded, and the task waits for its token again.
	Resume *Checkpoint
}

// TaskRequest is what a Task state asks the embedder to run.
type TaskRequest struct {
	StateName string
	Resource  string // as written in the definition, e.g. "arn:aws:states:::lambda:invoke"
	// Input is the effective input: after InputPath and Parameters
	// (JSONPath) or Arguments (JSONata). It is a model value; treat it as
	// read-only.
	Input any
	// TaskToken is set for ".waitForTaskToken" resources: complete the task
	// with Execution.SendTaskSuccess or SendTaskFailure.
	TaskToken string
	Timeout   time.Duration // TimeoutSeconds, 0 when unbounded
	Heartbeat time.Duration // HeartbeatSeconds, 0 when absent
	// Credentials is the state's Credentials field, if any, as a model value.
	Credentials  any
	RetryCount   int    // 0 for the first attempt
	ExecutionARN string // the Execution.Id of the context object
}

// Execution is one running (or finished) execution of a Program.
type Execution struct {
	prog  *Program
	opts  Options
	clock Clock

	ctx    context.Context
	cancel context.CancelCauseFunc
	done   chan struct{}
	result *Result

	input    any
	rawInput json.RawMessage
	start    time.Time
	deadline time.Time // zero when the machine has no TimeoutSeconds
	execObj  map[string]any
	smObj    map[string]any

	transitions atomic.Int64
	max         int64

	hmu    sync.Mutex
	events []event
	// idBase is the number of events recorded before a Resume, which the
	// IDs of this process's events follow.
	idBase      int64
	path        []string
	maxEvents   int64
	historyFull bool      // the history reached maxEvents: see appendLocked
	mapRuns     []*MapRun // Distributed Map runs, under hmu

	tmu    sync.Mutex
	tokens map[string]*callback

	smu      sync.Mutex
	aborted  *failure
	timedOut bool
}

// Result is the outcome of a finished execution.
type Result struct {
	Status      string          // "SUCCEEDED", "FAILED", "TIMED_OUT" or "ABORTED"
	Output      json.RawMessage // when SUCCEEDED
	Error       string          // when not SUCCEEDED
	Cause       string
	Path        []string // the top-level states entered, in order
	StartDate   time.Time
	StopDate    time.Time
	Transitions int64 // states entered, branches and iterations included

	exec *Execution
}

// History returns the execution's events in order. Payloads are marshaled
// on this call, not while the execution runs, which keeps recording cheap.
func (r *Result) History() []Event { return r.exec.History() }

// Execution statuses, as DescribeExecution reports them.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
)

// Start begins an execution and returns at once; Wait returns its result.
// An empty input is {}. Start fails only when the execution cannot start:
// the input is not JSON. ctx bounds the execution: when it ends, the
// execution is ABORTED (pass context.WithoutCancel to outlive a request).
func (p *Program) Start(ctx context.Context, input json.RawMessage, opts Options) (*Execution, error) {
	var in any = map[string]any{}
	if len(input) > 0 {
		v, err := decodeJSON(input)
		if err != nil {
			return nil, fmt.Errorf("execution input is not JSON: %w", err)
		}
		in = v
	} else {
		input = json.RawMessage("{}")
	}
	if opts.Clock == nil {
		opts.Clock = RealClock()
	}
	e := &Execution{
		prog:     p,
		opts:     opts,
		clock:    opts.Clock,
		done:     make(chan struct{}),
		input:    in,
		rawInput: input,
		max:      int64(opts.MaxTransitions),
	}
	if e.max <= 0 {
		e.max = DefaultMaxTransitions
	}
	if e.maxEvents = int64(opts.MaxHistoryEvents); e.maxEvents <= 0 {
		e.maxEvents = DefaultMaxHistoryEvents
	}
	states := int64(len(p.root.states))
	e.events = make([]event, 0, capHint(p.eventsHint.Load(), 2*states+2, e.maxEvents))
	e.path = make([]string, 0, capHint(p.pathHint.Load(), states, e.maxEvents))
	e.start = e.clock.Now()
	if cp := opts.Resume; cp != nil {
		if err := e.resumeFrom(cp); err != nil {
			return nil, err
		}
	}
	e.fillNames()
	e.ctx, e.cancel = context.WithCancelCause(ctx)
	if p.timeout > 0 {
		e.deadline = e.start.Add(time.Duration(p.timeout) * time.Second)
		if _, real := e.clock.(realClock); real {
			var cancel context.CancelFunc
			e.ctx, cancel = context.WithDeadlineCause(e.ctx, e.deadline, errExecutionTimedOut)
			_ = cancel // released when the parent's cancel runs in finish
			e.cancel = chainCancel(e.cancel, cancel)
		}
	}
	if opts.Resume == nil {
		e.record(event{typ: "ExecutionStarted", input: in, hasInput: true, resource: e.smARN()}, 0)
	}
	go e.run()
	return e, nil
}

// capHint bounds a capacity hint from an earlier execution, or before the
// first one finishes from the top-level states (each entered once): at most
// the history quota, and at most 4,096 so that one long run does not make
// every later one allocate much.
func capHint(n, first, maxEvents int64) int {
	if n <= 0 {
		n = first
	}
	return int(max(min(n, maxEvents, 4096), 1))
}

func chainCancel(a context.CancelCauseFunc, b context.CancelFunc) context.CancelCauseFunc {
	return func(err error) { a(err); b() }
}

var (
	errExecutionTimedOut = errors.New("the execution timed out")
	errHistoryFull       = errors.New("the execution reached the maximum number of history events")
)

// run runs the top-level machine. Its first entered event links to 0, as
// AWS records it, not to ExecutionStarted.
func (e *Execution) run() {
	defer close(e.done)
	r := &runner{exec: e, ctx: e.ctx, m: e.prog.root, scope: &scope{}, top: true}
	out, fl := r.runSafe(e.input)
	e.finish(out, fl, r.last)
}

// runSafe runs the machine (or resumes it) and turns an engine panic into
// a failure: a bug must fail one execution, not the process that embeds
// the engine.
func (r *runner) runSafe(input any) (out any, fl *failure) {
	defer func() {
		if p := recover(); p != nil {
			out, fl = nil, executionFailure("internal error in the execution engine: %v\n%s", p, debug.Stack())
		}
	}()
	if cp := r.exec.opts.Resume; cp != nil {
		return r.resume(cp)
	}
	return r.run(input)
}

func (e *Execution) finish(out any, fl *failure, last int64) {
	res := &Result{StartDate: e.start, exec: e, Transitions: e.transitions.Load()}
	e.smu.Lock()
	aborted, timedOut := e.aborted, e.timedOut
	e.smu.Unlock()
	e.hmu.Lock()
	full := e.historyFull
	if full {
		// AWS's last event follows the last one the machine produced.
		last = e.idBase + int64(len(e.events))
	}
	e.hmu.Unlock()
	if full {
		aborted, timedOut = nil, false
		fl = &failure{name: ErrRuntime, cause: fmt.Sprintf("The execution reached the maximum number of history events (%d).", e.maxEvents)}
	} else if aborted == nil && !timedOut && e.ctx.Err() != nil {
		if errors.Is(context.Cause(e.ctx), errExecutionTimedOut) {
			timedOut = true
		} else if fl != nil && fl.fatal && fl.name == "" {
			aborted = &failure{cause: context.Cause(e.ctx).Error()}
		}
	}
	var ev event
	switch {
	case aborted != nil:
		res.Status, res.Error, res.Cause = StatusAborted, aborted.name, aborted.cause
		ev = event{typ: "ExecutionAborted", more: &eventMore{errName: aborted.name, cause: aborted.cause}}
	case timedOut:
		res.Status, res.Error = StatusTimedOut, ErrTimeout
		res.Cause = fmt.Sprintf("The execution ran longer than the state machine's TimeoutSeconds (%d)", e.prog.timeout)
		ev = event{typ: "ExecutionTimedOut", more: &eventMore{errName: res.Error, cause: res.Cause}}
	case fl != nil:
		res.Status, res.Error, res.Cause = StatusFailed, fl.name, fl.cause
		ev = event{typ: "ExecutionFailed", more: &eventMore{errName: fl.name, cause: fl.cause}}
	default:
		res.Status = StatusSucceeded
		res.Output = marshalValue(out)
		ev = event{typ: "ExecutionSucceeded", output: out, hasOutput: true}
	}
	e.record(ev, last)
	e.hmu.Lock()
	if len(e.path) > 0 { // nil when no state was entered, as before
		res.Path = e.path
	}
	res.StopDate = e.events[len(e.events)-1].ts
	e.result = res
	e.prog.eventsHint.Store(int64(len(e.events)))
	e.prog.pathHint.Store(int64(len(e.path)))
	e.hmu.Unlock()
	e.cancel(nil)
}

// Wait blocks until the execution ends and returns its result.
func (e *Execution) Wait() *Result {
	<-e.done
	return e.result
}

// Done is closed when the execution ends.
func (e *Execution) Done() <-chan struct{} { return e.done }

// Status returns RUNNING or the final status.
func (e *Execution) Status() string {
	select {
	case <-e.done:
		return e.result.Status
	default:
		return StatusRunning
	}
}

// Input returns the execution's input as given to Start ({} when empty).
func (e *Execution) Input() json.RawMessage { return e.rawInput }

// StartDate returns when the execution started, on its clock.
func (e *Execution) StartDate() time.Time { return e.start }

// StateMachineARN returns the ARN of the machine the execution runs.
func (e *Execution) StateMachineARN() string { return e.opts.StateMachineARN }

// ARN returns the execution's ARN (the context object's Execution.Id).
func (e *Execution) ARN() string { return e.execObj["Id"].(string) }

// Stop aborts a running execution, as StopExecution does: the execution
// ends ABORTED with errName and cause. Stopping a finished execution does
// nothing.
func (e *Execution) Stop(errName, cause string) {
	e.smu.Lock()
	if e.aborted == nil && !e.timedOut {
		e.aborted = &failure{name: errName, cause: cause}
	}
	e.smu.Unlock()
	e.cancel(errExecutionAborted)
}

var errExecutionAborted = errors.New("the execution was stopped")

// enter accounts for one state transition and checks that the execution may
// go on: not stopped, not past its TimeoutSeconds, within MaxTransitions.
func (r *runner) enter() *failure {
	e := r.exec
	if err := r.ctx.Err(); err != nil {
		return r.ctxFailure()
	}
	if n := e.transitions.Add(1); n > e.max {
		return executionFailure("The execution exceeded the maximum of %d state transitions (MaxTransitions); a state machine that loops forever, or a run that needs more, ends here", e.max)
	}
	if !e.deadline.IsZero() && !e.clock.Now().Before(e.deadline) {
		e.markTimedOut()
		return &failure{name: ErrTimeout, fatal: true}
	}
	return nil
}

func (e *Execution) markTimedOut() {
	e.smu.Lock()
	if e.aborted == nil {
		e.timedOut = true
	}
	e.smu.Unlock()
	e.cancel(errExecutionTimedOut)
}

// ctxFailure is the fatal failure a runner returns when its context ended:
// the execution was stopped or timed out, or a sibling branch failed.
func (r *runner) ctxFailure() *failure {
	return &failure{name: "", cause: "cancelled", fatal: true}
}

// sleepUntil waits on the execution's clock, ending the execution as
// TIMED_OUT when t is past the machine's TimeoutSeconds.
func (r *runner) sleepUntil(t time.Time) *failure {
	e := r.exec
	if !e.deadline.IsZero() && t.After(e.deadline) {
		if err := e.clock.SleepUntil(r.ctx, e.deadline); err != nil {
			return r.ctxFailure()
		}
		e.markTimedOut()
		return &failure{name: ErrTimeout, fatal: true}
	}
	if err := e.clock.SleepUntil(r.ctx, t); err != nil {
		return r.ctxFailure()
	}
	return nil
}

// runner walks one machine (the top level, a branch or an iteration) on one
// goroutine.
type runner struct {
	exec  *Execution
	ctx   context.Context
	m     *machine
	scope *scope
	top   bool
	last  int64 // the previous event of this runner, for PreviousEventID
	// fan is the Parallel or Map run this runner is a branch or iteration
	// of; nil at the top level.
	fan *fan
	// inBound bounds the JSON size of the input of the state run's loop
	// passes to step (the previous state's output); 0 when unknown.
	inBound int
	// spare is a frame to reuse: one of a state that started nothing that
	// could outlive it (see reusesFrame).
	spare *frame
}

func (r *runner) child(ctx context.Context, m *machine, last int64, fn *fan) *runner {
	sc := &scope{parent: r.scope}
	if m.isolated {
		sc.parent = nil
	}
	return &runner{exec: r.exec, ctx: ctx, m: m, scope: sc, last: last, fan: fn}
}

func (r *runner) run(input any) (any, *failure) {
	return r.runFrom(r.m.start, input)
}

// runFrom walks the machine from state s.
func (r *runner) runFrom(s *state, input any) (any, *failure) {
	r.inBound = 0
	for {
		if fl := r.enter(); fl != nil {
			return nil, fl
		}
		out, next, fl := r.step(s, input)
		if fl != nil {
			return nil, fl
		}
		if next == nil {
			return out, nil
		}
		s, input = next, out
	}
}

var enteredEvents = [...]string{
	kindPass: "PassStateEntered", kindTask: "TaskStateEntered", kindChoice: "ChoiceStateEntered",
	kindWait: "WaitStateEntered", kindSucceed: "SucceedStateEntered", kindFail: "FailStateEntered",
	kindParallel: "ParallelStateEntered", kindMap: "MapStateEntered",
}

var exitedEvents = [...]string{
	kindPass: "PassStateExited", kindTask: "TaskStateExited", kindChoice: "ChoiceStateExited",
	kindWait: "WaitStateExited", kindSucceed: "SucceedStateExited",
	kindParallel: "ParallelStateExited", kindMap: "MapStateExited",
}

// step runs one state and returns its output and the next state (nil at
// the end of the machine).
func (r *runner) step(s *state, input any) (any, *state, *failure) {
	f := r.spare
	if f == nil {
		f = &frame{}
	}
	r.spare = nil
	*f = frame{r: r, st: s, input: input, entered: r.exec.clock.Now(), enteredPrev: r.last}
	if reusesFrame[s.kind] {
		// Nothing keeps the frame once step returns: the next state's step
		// can have it.
		defer func() { r.spare = f }()
	}
	f.enteredID = r.emitEntered(s, input)
	var (
		out  any
		next *state
		fl   *failure
	)
	switch s.kind {
	case kindPass:
		out, next, fl = r.runPass(f)
	case kindTask:
		out, next, fl = r.withRetry(f, r.taskAttempt)
	case kindChoice:
		out, next, fl = r.runChoice(f)
	case kindWait:
		out, next, fl = r.runWait(f)
	case kindSucceed:
		out, fl = r.runSucceed(f)
	case kindFail:
		fl = r.runFail(f)
	case kindParallel:
		out, next, fl = r.withRetry(f, r.parallelAttempt)
	case kindMap:
		out, next, fl = r.withRetry(f, r.mapAttempt)
	}
	return r.exit(f, out, next, fl)
}

// exit ends a state: its data limit, its failure or its exited event.
func (r *runner) exit(f *frame, out any, next *state, fl *failure) (any, *state, *failure) {
	s := f.st
	if fl == nil {
		r.inBound, fl = dataLimit(s, r.inBound, out)
	}
	if fl != nil {
		fl = f.locate(fl)
		if fl.fatal && fl.name == "" && r.fan != nil {
			r.emitAborted(s)
		}
		return nil, nil, fl
	}
	ev := event{typ: exitedEvents[s.kind], state: s.name, output: out, hasOutput: true}
	if f.vars != nil {
		ev.more = &eventMore{vars: f.vars}
	}
	r.emit(ev)
	return out, next, nil
}

// reusesFrame marks the kinds whose frame no goroutine, handler or branch
// can still hold when their step returns (a Task's handler may outlive its
// timeout; Parallel and Map hand frames to other runners).
var reusesFrame = [...]bool{kindPass: true, kindChoice: true, kindWait: true, kindSucceed: true, kindFail: true,
	kindTask: false, kindParallel: false, kindMap: false}

// frame is the run-time record of one state being executed.
type frame struct {
	r       *runner
	st      *state
	input   any // the raw state input
	entered time.Time
	retry   int
	// retryCounts counts the attempts each retrier has made (see
	// retryDelay); a checkpoint carries them.
	retryCounts []int
	token       string
	item        *mapItem // set while evaluating a Map's ItemSelector
	// enteredID is the state's entered event, which failure causes name;
	// enteredPrev is the event before it.
	enteredID, enteredPrev int64
	vars                   *assigned // what the state's Assign set, for its exited event
	// failedPrev is the last event of the iteration or branch that failed
	// this attempt of a Map or Parallel (see stateFailed).
	failedPrev int64
	ctxObj     map[string]any
	jsIn       any // $states.input converted for JSONata, cached
	jsCtx      any
}

// scope holds the variables assigned by one machine's states. Inner scopes
// (Parallel branches, Map iterations) read through to their parents.
type scope struct {
	parent *scope
	vars   map[string]any
}

func (s *scope) lookup(name string) (any, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func (s *scope) set(names []string, vals []any) {
	if len(names) == 0 {
		return
	}
	if s.vars == nil {
		s.vars = make(map[string]any, len(names))
	}
	for i, n := range names {
		s.vars[n] = vals[i]
	}
}
