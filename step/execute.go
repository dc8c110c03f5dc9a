//go:build !lambdabinary

package step

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step/engine"
)

// Execution statuses, as DescribeExecution reports them.
const (
	StatusSucceeded = engine.StatusSucceeded
	StatusFailed    = engine.StatusFailed
	StatusTimedOut  = engine.StatusTimedOut
	StatusAborted   = engine.StatusAborted
)

// Execution is the outcome of running a machine in-process with Execute.
type Execution struct {
	// Status is SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
	Status string
	// Output is the machine's output when it SUCCEEDED.
	Output json.RawMessage
	// Error and Cause say why it FAILED (or was ABORTED or TIMED_OUT).
	Error, Cause string
	// Path lists the top-level states entered, in order.
	Path []string
	// Transitions counts state transitions, nested ones included.
	Transitions int64
	// StartDate and StopDate bound the execution (on the virtual clock
	// when WithVirtualClock was given).
	StartDate, StopDate time.Time

	result      *engine.Result
	historyOnce sync.Once
	history     []HistoryEvent
}

// History returns the execution's event history, as GetExecutionHistory
// returns it. The engine records events as references to the values the
// states passed on and marshals their payloads only here, on the first
// call, so a run whose history nobody reads does not pay for it.
func (e *Execution) History() []HistoryEvent {
	e.historyOnce.Do(func() {
		if e.result != nil {
			e.history = e.result.History()
		}
	})
	return e.history
}

// HistoryEvent is one event of an execution's history. Type uses AWS's
// HistoryEventType names (TaskStateEntered, TaskSucceeded, ...).
type HistoryEvent = engine.Event

// TaskHandler serves a Task state's resource in-process: it receives the
// task's effective input (after InputPath and Parameters) and returns its
// result. Return NewTaskError to fail the task with a given error name.
type TaskHandler func(ctx context.Context, input json.RawMessage) (json.RawMessage, error)

// ExecuteOption configures Execute.
type ExecuteOption func(*executeConfig)

type executeConfig struct {
	handlers       map[string]TaskHandler
	virtualClock   bool
	clockStart     time.Time
	maxTransitions int
	name           string
	data           *OfflineData
	callbacks      func(*CallbackTask)
}

// WithTaskHandler serves the tasks whose Resource is resource (an SNS
// publish, an ECS task, a plain ARN...) with h. Lambda tasks built with
// NewLambdaTaskState need no handler: they call their Go function.
func WithTaskHandler(resource string, h TaskHandler) ExecuteOption {
	return func(c *executeConfig) {
		if c.handlers == nil {
			c.handlers = map[string]TaskHandler{}
		}
		c.handlers[resource] = h
	}
}

// WithVirtualClock makes Wait states and Retry intervals advance a virtual
// clock instead of sleeping, so a machine that waits for hours runs at once.
func WithVirtualClock() ExecuteOption { return func(c *executeConfig) { c.virtualClock = true } }

// WithVirtualClockAt is WithVirtualClock starting at start instead of now,
// so that $$.Execution.StartTime, Wait timestamps and the history's dates
// are the same on every run.
func WithVirtualClockAt(start time.Time) ExecuteOption {
	return func(c *executeConfig) { c.virtualClock, c.clockStart = true, start }
}

// WithMaxTransitions bounds the number of state transitions (default
// 25,000, the AWS history limit); past it the execution fails.
func WithMaxTransitions(n int) ExecuteOption { return func(c *executeConfig) { c.maxTransitions = n } }

// WithExecutionName sets $$.Execution.Name (default: a generated name).
func WithExecutionName(name string) ExecuteOption { return func(c *executeConfig) { c.name = name } }

// compiledProgram is the engine program of a machine, the revision of the
// machine it was compiled at and the Lambda functions its tasks call:
// compiling is the expensive part of a short run and a machine rarely
// changes between runs, but one changed after a first run must be compiled
// again.
type compiledProgram struct {
	program *engine.Program
	lambdas map[string]*service.LambdaAWSInfo
	// refs maps "${placeholder}" to the logical ID of the template
	// resource it stands for (see invoker.resolve).
	refs map[string]string
	// rev is the machine's latestRevision when it was compiled; seen is the
	// global revision counter when that was last checked, so that runs of
	// an unchanged program do not even walk the machine.
	rev, seen uint64
}

// Execute runs the machine in-process, faithful to AWS Step Functions: Lambda
// tasks call their Go handlers with JSON marshaling both ways, exactly as
// Lambda would; other resources go to the WithTaskHandler handlers. input is
// any JSON-marshalable value, or json.RawMessage.
//
// Execute compiles the machine on its first run and again only after a
// builder method changed it (see Compile).
//
// Execute returns an error only when the execution cannot start (an invalid
// machine, input that is not JSON) or ctx ends; a failed execution is
// Status == "FAILED" with a nil error.
func (sm *StateMachine) Execute(ctx context.Context, input any, opts ...ExecuteOption) (*Execution, error) {
	var cfg executeConfig
	for _, o := range opts {
		o(&cfg)
	}
	c, err := sm.program()
	if err != nil {
		return nil, err
	}
	raw, err := inputJSON(input)
	if err != nil {
		return nil, fmt.Errorf("state machine %q: input: %w", sm.name, err)
	}
	if len(raw) > engine.MaxPayloadBytes {
		// StartExecution refuses such an input (InvalidExecutionInput).
		return nil, fmt.Errorf("state machine %q: input: %d bytes, more than the %d bytes Step Functions accepts", sm.name, len(raw), engine.MaxPayloadBytes)
	}
	inv := &invoker{machine: sm.name, lambdas: c.lambdas, handlers: cfg.handlers, refs: c.refs,
		data: cfg.data, callbacks: cfg.callbacks, ready: make(chan struct{})}
	eo := engine.Options{
		Invoke:           inv.invoke,
		MaxTransitions:   cfg.maxTransitions,
		ExecutionName:    cfg.name,
		StateMachineName: sm.name,
	}
	if cfg.virtualClock {
		start := cfg.clockStart
		if start.IsZero() {
			start = time.Now().UTC()
		}
		inv.clock = engine.NewVirtualClock(start)
		eo.Clock = inv.clock
	}
	run, err := c.program.Start(ctx, raw, eo)
	inv.exec = run
	close(inv.ready)
	if err != nil {
		return nil, fmt.Errorf("state machine %q: %w", sm.name, err)
	}
	res := run.Wait()
	if ctxErr := ctx.Err(); ctxErr != nil && res.Status == StatusAborted {
		return nil, fmt.Errorf("state machine %q: execution stopped: %w", sm.name, ctxErr)
	}
	return &Execution{
		Status:      res.Status,
		Output:      res.Output,
		Error:       res.Error,
		Cause:       res.Cause,
		Path:        res.Path,
		result:      res,
		Transitions: res.Transitions,
		StartDate:   res.StartDate,
		StopDate:    res.StopDate,
	}, nil
}

// Compile validates the machine and compiles it for Execute now, rather
// than at the first Execute. Execute compiles a machine once and compiles
// it again only when a builder method (on the machine, one of its states,
// branches or Choice rules) has changed it since; call Compile after
// changing in place a value the machine holds (a map given to
// WithParameters, the fields of a Comparison or ChoiceRule), which no
// builder method sees.
//
// A machine read by FromJSON and not changed since runs its definition as
// written: the engine compiles the JSON FromJSON read, not what the typed
// model marshals back, so it runs as on the local cloud and on AWS.
func (sm *StateMachine) Compile() error {
	_, err := sm.compile(revisions.Load())
	return err
}

// program returns the compiled machine, compiling it when it is new or has
// changed since its last compilation.
func (sm *StateMachine) program() (*compiledProgram, error) {
	seen := revisions.Load()
	c, _ := sm.compiled.Load().(*compiledProgram)
	if c != nil && c.seen == seen {
		return c, nil
	}
	if c != nil && sm.latestRevision() <= c.rev {
		next := *c
		next.seen = seen
		sm.compiled.Store(&next)
		return &next, nil
	}
	return sm.compile(seen)
}

func (sm *StateMachine) compile(seen uint64) (*compiledProgram, error) {
	if sm.source != "" && seen == sm.sourceRev {
		// Read by FromJSON and nothing changed anywhere since: the
		// definition as written, whose tasks name no Go functions. It was
		// decoded once, by FromJSON.
		p, err := engine.CompileValue(sm.sourceValue)
		if err != nil {
			return nil, fmt.Errorf("state machine %q: %w", sm.name, err)
		}
		c := &compiledProgram{program: p, rev: seen, seen: seen}
		sm.compiled.Store(c)
		return c, nil
	}
	rev := sm.latestRevision()
	var p *engine.Program
	var err error
	if sm.source == "" || rev > sm.sourceRev {
		if err := sm.Validate(); err != nil {
			return nil, err
		}
		definition, merr := sm.MarshalJSON()
		if merr != nil {
			return nil, fmt.Errorf("state machine %q: %w", sm.name, merr)
		}
		p, err = engine.Compile(definition)
	} else {
		p, err = engine.CompileValue(sm.sourceValue)
	}
	if err != nil {
		return nil, fmt.Errorf("state machine %q: %w", sm.name, err)
	}
	c := &compiledProgram{program: p, lambdas: sm.LambdaFunctions(), refs: sm.referencedResources(), rev: rev, seen: seen}
	sm.compiled.Store(c)
	return c, nil
}

func inputJSON(input any) (json.RawMessage, error) {
	switch v := input.(type) {
	case nil:
		return json.RawMessage(`{}`), nil
	case json.RawMessage:
		if !json.Valid(v) {
			return nil, errors.New("not valid JSON")
		}
		return v, nil
	case []byte:
		if !json.Valid(v) {
			return nil, errors.New("not valid JSON")
		}
		return v, nil
	default:
		return json.Marshal(v)
	}
}

// referencedResources maps the placeholder of each template reference the
// machine's tasks make ("${DynamoDBTable1a2b3c4d}") to the logical ID it
// refers to (cfn.Ref or cfn.GetAtt of it).
func (sm *StateMachine) referencedResources() map[string]string {
	out := map[string]string{}
	sm.Walk(func(s, _ State) bool {
		if t, ok := s.(*TaskState); ok {
			for key, value := range t.refs {
				if id, ok := refTarget(value); ok {
					out["${"+key+"}"] = id
				} else if id, ok := getAttTarget(value); ok {
					out["${"+key+"}"] = id
				}
			}
		}
		return true
	})
	return out
}
