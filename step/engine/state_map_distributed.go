package engine

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Distributed Map: a Map state whose ItemProcessor has ProcessorConfig.Mode
// DISTRIBUTED starts a Map Run, and every item runs as a child execution
// with its own history. The parent's history records MapRunStarted and
// MapRunSucceeded or MapRunFailed instead of the iterations; a child that
// fails counts against ToleratedFailureCount/Percentage, and past them the
// Map Run fails with States.ExceedToleratedFailureThreshold.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html,
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html
// and https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html.

// MapRun is one run of a Distributed Map state and its child executions.
type MapRun struct {
	// ARN is arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<id>,
	// where label is the Map's Label, else its name.
	ARN string
	// StateMachineARN is the child executions' state machine:
	// arn:...:stateMachine:<machine>/<label>.
	StateMachineARN string
	// ExecutionARN is the parent execution's.
	ExecutionARN               string
	StateName                  string
	MaxConcurrency             int64
	ToleratedFailureCount      int64
	ToleratedFailurePercentage float64
	StartDate                  time.Time
	// Items is the number of items, one child execution each.
	Items int

	mu       sync.Mutex
	children []*Execution
	stop     time.Time
	status   string
}

// Status returns RUNNING, SUCCEEDED, FAILED or ABORTED.
func (m *MapRun) Status() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.status
}

// StopDate returns when the Map Run ended; zero while it runs.
func (m *MapRun) StopDate() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stop
}

// Executions returns the child executions started so far, in item order
// of their start.
func (m *MapRun) Executions() []*Execution {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*Execution(nil), m.children...)
}

// MapRuns returns the Map Runs the execution started, in order.
func (e *Execution) MapRuns() []*MapRun {
	e.hmu.Lock()
	defer e.hmu.Unlock()
	return append([]*MapRun(nil), e.mapRuns...)
}

// MapRuns returns the Map Runs of a finished execution.
func (r *Result) MapRuns() []*MapRun { return r.exec.MapRuns() }

type mapRunSpec struct {
	items    []any
	eff      any
	maxConc  int64
	tolCount int64
	tolPct   float64
	started  int64 // MapStateStarted
}

// mapRun runs the items of a Distributed Map as child executions.
func (r *runner) mapRun(f *frame, sp mapRunSpec) (any, *failure) {
	st := f.st
	ms := st.mapSpec
	e := r.exec
	label := ms.label
	if label == "" {
		label = st.name
	}
	id := e.uuid()
	arnPrefix := "arn:aws:states:" + e.region() + ":" + e.account() + ":"
	run := &MapRun{
		ARN:             arnPrefix + "mapRun:" + e.opts.StateMachineName + "/" + label + ":" + id,
		StateMachineARN: arnPrefix + "stateMachine:" + e.opts.StateMachineName + "/" + label,
		ExecutionARN:    e.opts.ExecutionARN, StateName: st.name,
		MaxConcurrency: sp.maxConc, ToleratedFailureCount: sp.tolCount, ToleratedFailurePercentage: sp.tolPct,
		StartDate: e.clock.Now(), Items: len(sp.items), status: StatusRunning,
	}
	e.hmu.Lock()
	e.mapRuns = append(e.mapRuns, run)
	e.hmu.Unlock()
	if e.opts.OnMapRun != nil {
		e.opts.OnMapRun(run)
	}
	r.last = e.record(event{typ: "MapRunStarted", state: st.name, resource: run.ARN}, sp.started)
	child := &Program{root: ms.processor}
	n := len(sp.items)
	results := make([]any, n)
	var (
		mu     sync.Mutex
		failed int64
	)
	workers := int(sp.maxConc)
	if workers == 0 || workers > maxWorkers {
		workers = maxWorkers
	}
	first := r.fanOut(n, workers, func(ctx context.Context, i int) *failure {
		input := sp.items[i]
		if ms.itemSelector != nil {
			fi := &frame{r: r, st: st, input: f.input, entered: f.entered, retry: f.retry, item: &mapItem{index: i, value: sp.items[i]}, jsIn: f.jsIn}
			var fl *failure
			if input, fl = ms.itemSelector.eval(&env{f: fi, doc: sp.eff}); fl != nil {
				return fl
			}
		}
		name := e.uuid()
		opts := Options{
			Invoke: e.opts.Invoke, Clock: e.clock, Rand: e.opts.Rand, UUID: e.opts.UUID,
			MaxTransitions: e.opts.MaxTransitions, MaxHistoryEvents: e.opts.MaxHistoryEvents,
			ExecutionName: name, ExecutionARN: arnPrefix + "execution:" + e.opts.StateMachineName + "/" + label + ":" + name,
			StateMachineName: e.opts.StateMachineName + "/" + label, StateMachineARN: run.StateMachineARN,
			RoleARN: e.opts.RoleARN, OnMapRun: e.opts.OnMapRun,
		}
		cx, err := child.Start(ctx, marshalValue(input), opts)
		if err != nil {
			return executionFailure("starting a child execution of the Map Run: %v", err)
		}
		run.mu.Lock()
		run.children = append(run.children, cx)
		run.mu.Unlock()
		res := cx.Wait()
		switch res.Status {
		case StatusSucceeded:
			v, err := decodeJSON(res.Output)
			if err != nil {
				return executionFailure("the output of child execution %s is not JSON: %v", res.exec.ARN(), err)
			}
			results[i] = v
			return nil
		case StatusAborted:
			return r.ctxFailure()
		}
		results[i] = (&failure{name: res.Error, cause: res.Cause}).errorOutput()
		mu.Lock()
		failed++
		k := failed
		mu.Unlock()
		if (ms.tolCount.set && k > sp.tolCount) || (ms.tolPct.set && float64(k)*100 > sp.tolPct*float64(n)) ||
			(!ms.tolCount.set && !ms.tolPct.set) {
			return fail(ErrExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded")
		}
		return nil
	})
	run.mu.Lock()
	run.stop = e.clock.Now()
	switch {
	case first == nil:
		run.status = StatusSucceeded
	case first.fatal && first.name == "":
		run.status = StatusAborted
	default:
		run.status = StatusFailed
	}
	run.mu.Unlock()
	if first != nil {
		if !first.fatal {
			r.emit(event{typ: "MapRunFailed", state: st.name, more: &eventMore{errName: first.name, cause: first.cause}})
		}
		return nil, first
	}
	r.emit(event{typ: "MapRunSucceeded", state: st.name})
	r.exec.record(event{typ: "MapStateSucceeded", state: st.name}, r.last)
	return f.finish(results, true)
}

// region and account are the parts of the execution's ARN, for the Map Run's.
func (e *Execution) region() string  { return arnPart(e.opts.ExecutionARN, 3, defaultRegion) }
func (e *Execution) account() string { return arnPart(e.opts.ExecutionARN, 4, defaultAccount) }

func arnPart(arn string, i int, def string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) > i && parts[i] != "" {
		return parts[i]
	}
	return def
}
