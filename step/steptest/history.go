//go:build !lambdabinary

package steptest

import (
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/step"
)

// Assertions on an execution's history, read as AWS records it (the event
// types and links of GetExecutionHistory; see
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).

// Events renders an execution's history one event a line, as
// "id previousEventId Type [name]", where name is the state (or Map) that
// the event's details name on AWS: the form of Case.History.
func Events(exec *step.Execution) []string {
	out := make([]string, len(exec.History()))
	for i, e := range exec.History() {
		s := fmt.Sprintf("%d %d %s", e.ID, e.PreviousEventID, e.Type)
		if named(e.Type) && e.StateName != "" {
			s += " " + e.StateName
		}
		out[i] = s
	}
	return out
}

func named(typ string) bool {
	return strings.HasSuffix(typ, "StateEntered") || strings.HasSuffix(typ, "StateExited") ||
		strings.HasPrefix(typ, "MapIteration") || typ == "EvaluationFailed"
}

// Retries returns how many times state was retried in exec, summed over
// every time it was entered: a Task's TaskScheduled (or
// LambdaFunctionScheduled) events, one per attempt, a Map's MapStateStarted or a Parallel's ParallelStateStarted,
// less one per entry. A state never entered, or without retries, gives 0.
func Retries(exec *step.Execution, state string) int {
	entered, attempts := 0, 0
	for _, e := range exec.History() {
		if e.StateName != state {
			continue
		}
		switch e.Type {
		case "TaskStateEntered", "MapStateEntered", "ParallelStateEntered":
			entered++
		case "TaskScheduled", "LambdaFunctionScheduled", "MapStateStarted", "ParallelStateStarted":
			attempts++
		}
	}
	if attempts <= entered {
		return 0
	}
	return attempts - entered
}

// Aborted reports whether state was cut short in exec: a Task, Wait, Map
// or Parallel state of a branch or iteration still running when a sibling
// failed ends with TaskStateAborted (WaitStateAborted, MapStateAborted,
// ParallelStateAborted) on AWS.
func Aborted(exec *step.Execution, state string) bool {
	for _, e := range exec.History() {
		if e.StateName == state && strings.HasSuffix(e.Type, "StateAborted") {
			return true
		}
	}
	return false
}

// Entered returns how many times state was entered in exec, at any depth
// (Parallel branches and Map iterations included).
func Entered(exec *step.Execution, state string) int {
	n := 0
	for _, e := range exec.History() {
		if e.StateName == state && strings.HasSuffix(e.Type, "StateEntered") {
			n++
		}
	}
	return n
}
