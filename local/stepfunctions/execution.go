package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/store"
	"github.com/sparta-go/sparta/step/engine"
)

// Execution is a stored execution, as DescribeExecution reports it.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
type Execution struct {
	ARN             string
	StateMachineARN string
	Name            string
	Type            string // STANDARD or EXPRESS
	Status          string // RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED
	StartDate       time.Time
	StopDate        time.Time `json:",omitzero"`
	Input           string
	Output          string `json:",omitempty"` // when SUCCEEDED
	Error           string `json:",omitempty"`
	Cause           string `json:",omitempty"`
	RoleARN         string
	TraceHeader     string `json:",omitempty"`
	// MapRunARN is the Map Run of a Distributed Map's child execution.
	MapRunARN string `json:",omitempty"`
}

// StartExecutionInput starts an execution with [Service.StartExecution].
type StartExecutionInput struct {
	StateMachineARN string `json:"stateMachineArn"`
	// Name defaults to a UUID.
	Name string `json:"name,omitempty"`
	// Input defaults to {}.
	Input       *string `json:"input,omitempty"`
	TraceHeader string  `json:"traceHeader,omitempty"`
}

// maxPayload is Step Functions' limit on execution input and task output.
const maxPayload = 256 * 1024

// run is an execution in flight.
type run struct {
	s       *Service
	ref     executionRef
	exec    *engine.Execution
	session string // the role session name tasks run under
	role    string // the machine's role when the execution started
	input   string

	// cloudStopped is set by Close before it stops the execution, so that
	// its end is recorded as the cloud stopping rather than an abort.
	cloudStopped atomic.Bool

	mu      sync.Mutex
	rec     Execution
	pending []HistoryEvent // events not yet appended to the store
	kick    chan struct{}  // a pending event is waiting
	// ready is closed once exec is set: tasks may run (and hand out
	// tokens) before Start returns.
	ready chan struct{}
	// finished is closed once the end is stored.
	finished chan struct{}
	// waiting is the checkpoint of the top-level callback task the
	// execution waits in, if any (under mu): kept in its running marker,
	// it lets the execution survive a restart (see resume.go).
	waiting *engine.Checkpoint
	// flushMu orders history appends: the checkpoint flushes too.
	flushMu sync.Mutex
	// markerMu orders the writes of the running marker's checkpoint
	// (a heartbeat's against the task's end).
	markerMu sync.Mutex
	// before is the history a resumed execution had when it resumed.
	before []HistoryEvent
}

// runningMarker is the document kept under Store/running while an
// execution is in flight, holding its RUNNING record: on restart, each
// marker left is an execution a kill interrupted. Finished executions are
// stored under executions/<machine>/<key> only when they end, so that a
// start costs one write.
type runningMarker struct {
	Machine, Key string
	Execution    Execution
	// Waiting is set while a top-level callback task waits for its token:
	// on restart the execution resumes there instead of failing.
	Waiting *engine.Checkpoint `json:",omitempty"`
}

// historyFlushDelay batches the history appends of a running execution:
// a kill loses at most this much of its history, and short executions
// append theirs once, at the end.
const historyFlushDelay = 50 * time.Millisecond

// StartExecution starts an execution and returns it RUNNING. A standard
// machine's execution names are unique: starting one again with the same
// input while it runs returns it (AWS's idempotency), anything else is
// ExecutionAlreadyExists.
func (s *Service) StartExecution(in StartExecutionInput) (Execution, error) {
	r, err := s.start(in, false)
	if err != nil {
		return Execution{}, err
	}
	return r.snapshot(), nil
}

// StartSyncExecution runs an execution of an EXPRESS machine to its end and
// returns it, output included. ctx bounds the wait, not the execution.
func (s *Service) StartSyncExecution(ctx context.Context, in StartExecutionInput) (Execution, error) {
	r, err := s.start(in, true)
	if err != nil {
		return Execution{}, err
	}
	select {
	case <-r.finished:
		return r.snapshot(), nil
	case <-ctx.Done():
		return Execution{}, fmt.Errorf("waiting for execution %s: %w", r.rec.ARN, ctx.Err())
	}
}

func (s *Service) start(in StartExecutionInput, syncCall bool) (*run, error) {
	m, err := s.machine(in.StateMachineARN)
	if err != nil {
		return nil, err
	}
	if m.prog == nil {
		return nil, apiError("InvalidDefinition", "the stored definition of %s does not compile with this version of the local cloud; update the state machine", m.ARN)
	}
	if syncCall && m.Type != TypeExpress {
		return nil, apiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
	}
	if in.Name == "" {
		in.Name = core.NewRequestID()
	}
	if !validName(in.Name) {
		return nil, apiError("InvalidName", "Invalid Name: '%s'", in.Name)
	}
	input := "{}"
	if in.Input != nil {
		input = *in.Input
	}
	if len(input) > maxPayload {
		return nil, apiError("InvalidExecutionInput", "Invalid State Machine Execution Input: 'the input is larger than %d bytes'", maxPayload)
	}
	if !json.Valid([]byte(input)) {
		return nil, apiError("InvalidExecutionInput", "Invalid State Machine Execution Input: 'the input is not valid JSON'")
	}

	ref := executionRef{machine: m.Name, key: in.Name, name: in.Name}
	arn := s.arn("execution", m.Name, in.Name)
	if m.Type == TypeExpress {
		id := core.NewRequestID()
		ref = executionRef{machine: m.Name, key: in.Name + ":" + id, name: in.Name, express: true}
		arn = s.arn("express", m.Name, in.Name, id)
	}
	r := &run{
		s: s, ref: ref, session: iam.SessionName(), role: m.RoleARN, input: input,
		kick: make(chan struct{}, 1), ready: make(chan struct{}), finished: make(chan struct{}),
		rec: Execution{
			ARN: arn, StateMachineARN: m.ARN, Name: in.Name, Type: m.Type, Status: engine.StatusRunning,
			Input: input, RoleARN: m.RoleARN, TraceHeader: in.TraceHeader,
		},
	}

	// Reserve the name under the lock so two concurrent starts of one name
	// cannot both run.
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil, &core.Error{Code: "ServiceUnavailable", Status: http.StatusServiceUnavailable, Receiver: true, Message: "the local cloud is stopping"}
	}
	if old, ok := s.running[arn]; ok {
		s.mu.Unlock()
		if old.input == input && !syncCall {
			return old, nil
		}
		return nil, apiError("ExecutionAlreadyExists", "Execution Already Exists: '%s'", arn)
	}
	if !ref.express {
		var prev Execution
		if err := s.executionsOf(m.Name).Get(ref.key, &prev); err == nil {
			s.mu.Unlock()
			return nil, apiError("ExecutionAlreadyExists", "Execution Already Exists: '%s'", arn)
		}
	}
	s.running[arn] = r
	s.wg.Add(1)
	s.mu.Unlock()

	r.rec.StartDate = s.cfg.Clock.Now().UTC()
	if err := s.persistStart(r); err != nil {
		close(r.ready)
		s.forget(r)
		close(r.finished)
		s.wg.Done()
		return nil, err
	}
	exec, err := m.prog.Start(s.ctx, json.RawMessage(input), s.engineOptions(r, m))
	if err != nil {
		// Checked above; the engine's own check is the last word.
		close(r.ready)
		s.abandon(r)
		return nil, apiError("InvalidExecutionInput", "Invalid State Machine Execution Input: '%v'", err)
	}
	r.mu.Lock()
	r.exec = exec
	r.mu.Unlock()
	close(r.ready)
	s.log.WithField("execution", arn).Debug("execution started")
	go r.wait()
	return r, nil
}

// engineOptions are the engine's options for the run r of machine m.
func (s *Service) engineOptions(r *run, m *machine) engine.Options {
	opts := engine.Options{
		Invoke:           s.invoker(r),
		Clock:            s.cfg.Clock,
		ExecutionName:    r.rec.Name,
		ExecutionARN:     r.rec.ARN,
		StateMachineName: m.Name,
		StateMachineARN:  m.ARN,
		RoleARN:          m.RoleARN,
		Observer:         r.observe,
		OnMapRun:         s.registerMapRun,
	}
	if !r.ref.express {
		// Express executions are not durable on AWS either.
		opts.Checkpoint = r.checkpoint
	}
	return opts
}

// persistStart writes the running marker with the RUNNING record.
func (s *Service) persistStart(r *run) error {
	return s.runningC.Put(r.rec.ARN, runningMarker{Machine: r.ref.machine, Key: r.ref.key, Execution: r.snapshot()})
}

// abandon undoes a start that failed after it was persisted.
func (s *Service) abandon(r *run) {
	_ = s.runningC.Delete(r.rec.ARN)
	s.forget(r)
	close(r.finished)
	s.wg.Done()
}

func (s *Service) forget(r *run) {
	s.mu.Lock()
	delete(s.running, r.rec.ARN)
	s.mu.Unlock()
}

// engine returns the engine's execution once Start has returned, or nil
// when the start failed.
func (r *run) engine() *engine.Execution {
	<-r.ready
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.exec
}

// snapshot returns the execution's record.
func (r *run) snapshot() Execution {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rec
}

// observe receives the engine's events, in order, under the engine's
// history lock: it only queues them for wait to append.
func (r *run) observe(ev engine.Event) {
	he := r.s.historyEvent(ev, r.role)
	if he.Type == "ExecutionAborted" && r.cloudStopped.Load() {
		he.Type = "ExecutionFailed"
		he.Details = &EventDetails{Error: errCloudStopped, Cause: causeCloudStopped}
	}
	r.mu.Lock()
	r.pending = append(r.pending, he)
	r.mu.Unlock()
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// wait appends history as it is recorded and stores the execution's end.
func (r *run) wait() {
	s := r.s
	defer s.wg.Done()
	hist := s.historiesOf(r.ref.machine)
	var tick <-chan time.Time
	for {
		select {
		case <-r.kick:
			if tick == nil {
				tick = time.After(historyFlushDelay)
			}
			continue
		case <-tick:
			tick = nil
			r.flush(hist)
			continue
		case <-r.exec.Done():
		}
		break
	}
	res := r.exec.Wait()
	if r.keepWaiting() {
		return
	}
	r.flush(hist)

	r.mu.Lock()
	r.rec.Status, r.rec.StopDate = res.Status, res.StopDate.UTC()
	r.rec.Error, r.rec.Cause = res.Error, res.Cause
	if res.Status == engine.StatusSucceeded {
		r.rec.Output = string(res.Output)
	}
	if res.Status == engine.StatusAborted && r.cloudStopped.Load() {
		r.rec.Status, r.rec.Error, r.rec.Cause = engine.StatusFailed, errCloudStopped, causeCloudStopped
	}
	rec := r.rec
	r.mu.Unlock()

	if err := s.executionsOf(r.ref.machine).Put(r.ref.key, rec); err != nil {
		s.log.WithField("execution", rec.ARN).Errorf("storing the end of the execution: %v", err)
	}
	if err := s.runningC.Delete(rec.ARN); err != nil {
		s.log.WithField("execution", rec.ARN).Errorf("clearing the running marker: %v", err)
	}
	s.mu.Lock()
	delete(s.running, rec.ARN)
	for _, t := range s.tokens {
		if t.run == r {
			t.run = nil
		}
	}
	s.mu.Unlock()
	close(r.finished)
	s.log.WithField("execution", rec.ARN).Debugf("execution %s", rec.Status)
}

// flush appends the queued events to the execution's history log.
func (r *run) flush(hist *store.Collection) {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	r.mu.Lock()
	batch := r.pending
	r.pending = nil
	r.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	vals := make([]any, len(batch))
	for i := range batch {
		vals[i] = batch[i]
	}
	if err := hist.Append(r.ref.key, vals...); err != nil {
		r.s.log.WithField("execution", r.rec.ARN).Errorf("appending history: %v", err)
	}
}

// recoverInterrupted marks FAILED the executions a kill left RUNNING, with
// an ExecutionFailed event closing their history.
func (s *Service) recoverInterrupted() error {
	var markers []runningMarker
	var arns []string
	err := store.ScanAs(s.runningC, "stepfunctions: running marker", func(arn string, m runningMarker) error {
		markers, arns = append(markers, m), append(arns, arn)
		return nil
	})
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for i, m := range markers {
		if m.Waiting != nil && s.resume(m) {
			continue
		}
		execs := s.executionsOf(m.Machine)
		var done Execution
		if err := execs.Get(m.Key, &done); err != nil {
			// Not ended (a kill between storing the end and clearing the
			// marker leaves both): close the history and the record.
			var last int64
			hist := s.historiesOf(m.Machine)
			_ = hist.ReadLog(m.Key, func(json.RawMessage) error { last++; return nil })
			ev := HistoryEvent{ID: last + 1, PreviousEventID: last, Timestamp: now, Type: "ExecutionFailed",
				Details: &EventDetails{Error: errCloudStopped, Cause: causeCloudStopped}}
			if last == 0 {
				// The kill came before any history was written.
				ev.ID, ev.PreviousEventID = 2, 1
				start := HistoryEvent{ID: 1, Timestamp: m.Execution.StartDate, Type: "ExecutionStarted", Details: &EventDetails{
					Input: &m.Execution.Input, InputDetails: &DataDetails{}, RoleARN: m.Execution.RoleARN}}
				if err := hist.Append(m.Key, start); err != nil {
					return err
				}
			}
			if err := hist.Append(m.Key, ev); err != nil {
				return err
			}
			rec := m.Execution
			rec.Status, rec.StopDate, rec.Error, rec.Cause = engine.StatusFailed, now, errCloudStopped, causeCloudStopped
			if err := execs.Put(m.Key, rec); err != nil {
				return err
			}
			s.log.WithField("execution", rec.ARN).Info("marked failed: the local cloud stopped while it was running")
		}
		if err := s.runningC.Delete(arns[i]); err != nil {
			return err
		}
	}
	return nil
}

// DescribeExecution returns an execution.
func (s *Service) DescribeExecution(arn string) (Execution, error) {
	if child := s.mapRunChild(arn); child != nil {
		return childRecord(child.exec, child.run), nil
	}
	ref, ok := s.parseExecutionARN(arn)
	if !ok {
		return Execution{}, apiError("InvalidArn", "Invalid Arn: '%s'", arn)
	}
	s.mu.Lock()
	r := s.running[arn]
	s.mu.Unlock()
	if r != nil {
		return r.snapshot(), nil
	}
	var rec Execution
	if err := s.executionsOf(ref.machine).Get(ref.key, &rec); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Execution{}, executionDoesNotExist(arn)
		}
		return Execution{}, err
	}
	return rec, nil
}

// StopExecution stops a running execution (it ends ABORTED with the given
// error and cause) and returns it once its end is stored. Stopping an
// execution that already ended changes nothing.
func (s *Service) StopExecution(arn, errName, cause string) (Execution, error) {
	if _, ok := s.parseExecutionARN(arn); !ok {
		return Execution{}, apiError("InvalidArn", "Invalid Arn: '%s'", arn)
	}
	s.mu.Lock()
	r := s.running[arn]
	s.mu.Unlock()
	if r == nil {
		return s.DescribeExecution(arn)
	}
	if e := r.engine(); e != nil {
		e.Stop(errName, cause)
	}
	<-r.finished
	return r.snapshot(), nil
}

// ListExecutions returns a machine's executions, newest first, those with
// status statusFilter only when it is set.
func (s *Service) ListExecutions(machineARN, statusFilter string) ([]Execution, error) {
	m, err := s.machine(machineARN)
	if err != nil {
		return nil, err
	}
	var out []Execution
	err = s.executionsOf(m.Name).Scan(func(_ string, raw json.RawMessage) error {
		var rec Execution
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		if statusFilter == "" || rec.Status == statusFilter {
			out = append(out, rec)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Executions in flight are stored when they end; an execution that
	// ended during the scan may appear twice, once from each side.
	seen := make(map[string]bool, len(out))
	for _, e := range out {
		seen[e.ARN] = true
	}
	s.mu.Lock()
	runs := make([]*run, 0, len(s.running))
	for _, r := range s.running {
		if r.ref.machine == m.Name {
			runs = append(runs, r)
		}
	}
	s.mu.Unlock()
	for _, r := range runs {
		if rec := r.snapshot(); !seen[rec.ARN] && (statusFilter == "" || rec.Status == statusFilter) {
			out = append(out, rec)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartDate.Equal(out[j].StartDate) {
			return out[i].StartDate.After(out[j].StartDate)
		}
		return out[i].ARN < out[j].ARN
	})
	return out, nil
}

// Running returns the number of executions in flight.
func (s *Service) Running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.running)
}

// WaitExecution blocks until the execution ends (or ctx does) and returns
// it: the Go API's counterpart of polling DescribeExecution.
func (s *Service) WaitExecution(ctx context.Context, arn string) (Execution, error) {
	s.mu.Lock()
	r := s.running[arn]
	s.mu.Unlock()
	if r != nil {
		select {
		case <-r.finished:
		case <-ctx.Done():
			return Execution{}, ctx.Err()
		}
	}
	return s.DescribeExecution(arn)
}
