package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Predefined error names of the Amazon States Language. The engine raises
// each of them where AWS Step Functions does.
//
// See https://states-language.net/spec.html#appendix-a and
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
const (
	ErrAll                             = "States.ALL"
	ErrHeartbeatTimeout                = "States.HeartbeatTimeout"
	ErrTimeout                         = "States.Timeout"
	ErrTaskFailed                      = "States.TaskFailed"
	ErrPermissions                     = "States.Permissions"
	ErrResultPathMatchFailure          = "States.ResultPathMatchFailure"
	ErrParameterPathFailure            = "States.ParameterPathFailure"
	ErrBranchFailed                    = "States.BranchFailed"
	ErrNoChoiceMatched                 = "States.NoChoiceMatched"
	ErrIntrinsicFailure                = "States.IntrinsicFailure"
	ErrExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
	ErrItemReaderFailed                = "States.ItemReaderFailed"
	ErrResultWriterFailed              = "States.ResultWriterFailed"
	ErrRuntime                         = "States.Runtime"
	ErrQueryEvaluationError            = "States.QueryEvaluationError"
	ErrDataLimitExceeded               = "States.DataLimitExceeded"
)

// TaskError is a task failure with an ASL error name, which Retry and Catch
// match through ErrorEquals. Invoke returns it (or any error with an
// ErrorName method) to fail a Task state with a chosen name.
type TaskError struct {
	Name  string // the ASL error name, e.g. "OrderNotFound"
	Cause string // human-readable detail, surfaced as the error output's Cause
}

// Error implements error.
func (e *TaskError) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// ErrorName returns the ASL error name, which Retry and Catch match.
func (e *TaskError) ErrorName() string { return e.Name }

// ErrorCause returns the cause recorded in the error output.
func (e *TaskError) ErrorCause() string { return e.Cause }

// failure is an ASL error travelling through the interpreter: the pair that
// becomes the {"Error","Cause"} error output.
type failure struct {
	name  string
	cause string
	// fatal failures (States.Runtime, limits, aborts) bypass Retry and Catch,
	// as AWS documents for States.Runtime: "A retry or catch on States.ALL
	// won't catch States.Runtime errors."
	fatal bool
	// inState marks a runtime or evaluation failure of the state being run:
	// its cause is the detail, which frame.locate prefixes once with the
	// state's name and entered event id, as AWS writes it.
	inState  bool
	located  bool   // the prefix is in the cause
	location string // the field that failed to evaluate (JSONata), for EvaluationFailed
}

func (f *failure) Error() string { return f.name + ": " + f.cause }

// fail returns a failure named name. A States.QueryEvaluationError is a
// failure of the state being run, whose cause gets AWS's prefix.
func fail(name, format string, args ...any) *failure {
	return &failure{name: name, cause: fmt.Sprintf(format, args...), inState: name == ErrQueryEvaluationError}
}

// runtimeFailure is a States.Runtime failure of the state being run; the
// cause is the detail only (frame.locate adds AWS's prefix).
func runtimeFailure(format string, args ...any) *failure {
	return &failure{name: ErrRuntime, cause: fmt.Sprintf(format, args...), fatal: true, inState: true}
}

// executionFailure is a States.Runtime failure of the execution as a whole
// (a limit, an engine fault), which no state's prefix precedes.
func executionFailure(format string, args ...any) *failure {
	return &failure{name: ErrRuntime, cause: fmt.Sprintf(format, args...), fatal: true}
}

// errorOutput is the {"Error","Cause"} object a Catcher passes on.
func (f *failure) errorOutput() any {
	return map[string]any{"Error": f.name, "Cause": f.cause}
}

// classify turns an error returned by Invoke into an ASL failure: the name
// comes from an ErrorName method anywhere in the chain (so wrapping does not
// change matching), the cause from an ErrorCause method or the message.
func classify(err error) *failure {
	var f *failure
	if errors.As(err, &f) {
		return f
	}
	var named interface{ ErrorName() string }
	name := ErrTaskFailed
	if errors.As(err, &named) && named.ErrorName() != "" {
		name = named.ErrorName()
	} else if errors.Is(err, context.DeadlineExceeded) {
		name = ErrTimeout
	}
	var caused interface{ ErrorCause() string }
	cause := err.Error()
	if name == ErrTimeout && !errors.As(err, &named) {
		cause = "" // a task's States.Timeout has no cause on AWS
	}
	if errors.As(err, &caused) {
		cause = caused.ErrorCause()
	}
	// States.Runtime is fatal whoever raises it: an embedder that cannot run
	// a resource fails the execution as AWS does, past any States.ALL.
	return &failure{name: name, cause: cause, fatal: name == ErrRuntime, inState: name == ErrRuntime}
}

// CompileError reports one problem in a definition, naming the state and the
// field at fault. Compile joins all of them with errors.Join.
type CompileError struct {
	State  string // the state's name, or "" for the top level
	Field  string // e.g. "Retry[1].ErrorEquals"
	Reason string
}

func (e *CompileError) Error() string {
	var b strings.Builder
	if e.State != "" {
		fmt.Fprintf(&b, "state %q: ", e.State)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// ErrTaskDoesNotExist is returned by SendTaskSuccess, SendTaskFailure and
// SendTaskHeartbeat for a token that no running task is waiting on, as the
// TaskDoesNotExist error of the Step Functions API.
var ErrTaskDoesNotExist = errors.New("task does not exist: the token is unknown or its task has already completed")
