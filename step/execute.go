//go:build !lambdabinary

package step

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
	// History is the execution's event history, close to what
	// GetExecutionHistory returns.
	History []HistoryEvent
	// Transitions counts state transitions, nested ones included.
	Transitions int64
	// StartDate and StopDate bound the execution (on the virtual clock
	// when WithVirtualClock was given).
	StartDate, StopDate time.Time
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
	maxTransitions int
	name           string
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

// WithMaxTransitions bounds the number of state transitions (default
// 25,000, the AWS history limit); past it the execution fails.
func WithMaxTransitions(n int) ExecuteOption { return func(c *executeConfig) { c.maxTransitions = n } }

// WithExecutionName sets $$.Execution.Name (default: a generated name).
func WithExecutionName(name string) ExecuteOption { return func(c *executeConfig) { c.name = name } }

// compiledProgram is the engine program of a machine and the definition it
// was compiled from: compiling is the expensive part of a short run and the
// definition rarely changes between runs, but a machine changed after a
// first run must be compiled again.
type compiledProgram struct {
	definition string
	program    *engine.Program
}

// Execute runs the machine in-process, faithful to AWS Step Functions: Lambda
// tasks call their Go handlers with JSON marshaling both ways, exactly as
// Lambda would; other resources go to the WithTaskHandler handlers. input is
// any JSON-marshalable value, or json.RawMessage.
//
// Execute returns an error only when the execution cannot start (an invalid
// machine, input that is not JSON) or ctx ends; a failed execution is
// Status == "FAILED" with a nil error.
func (sm *StateMachine) Execute(ctx context.Context, input any, opts ...ExecuteOption) (*Execution, error) {
	var cfg executeConfig
	for _, o := range opts {
		o(&cfg)
	}
	program, err := sm.program()
	if err != nil {
		return nil, err
	}
	raw, err := inputJSON(input)
	if err != nil {
		return nil, fmt.Errorf("state machine %q: input: %w", sm.name, err)
	}
	eo := engine.Options{
		Invoke:           newInvoker(sm, cfg.handlers),
		MaxTransitions:   cfg.maxTransitions,
		ExecutionName:    cfg.name,
		StateMachineName: sm.name,
	}
	if cfg.virtualClock {
		eo.Clock = engine.NewVirtualClock(time.Now().UTC())
	}
	run, err := program.Start(ctx, raw, eo)
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
		History:     res.History(),
		Transitions: res.Transitions,
		StartDate:   res.StartDate,
		StopDate:    res.StopDate,
	}, nil
}

// program validates and compiles the machine, reusing the last compilation
// while the definition is unchanged.
func (sm *StateMachine) program() (*engine.Program, error) {
	definition, err := sm.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("state machine %q: %w", sm.name, err)
	}
	if c, ok := sm.compiled.Load().(compiledProgram); ok && c.definition == string(definition) {
		return c.program, nil
	}
	if err := sm.Validate(); err != nil {
		return nil, err
	}
	p, err := engine.Compile(definition)
	if err != nil {
		return nil, fmt.Errorf("state machine %q: %w", sm.name, err)
	}
	sm.compiled.Store(compiledProgram{definition: string(definition), program: p})
	return p, nil
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
