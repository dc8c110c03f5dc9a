//go:build !lambdabinary

package steptest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step"
	"github.com/sparta-go/sparta/step/steptest"
)

// recorder captures what Run reports, to test the helper itself.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func machine() *step.StateMachine {
	done := step.NewSuccessState("done")
	add := step.NewPassState("add").WithResult(map[string]any{"sum": 3}).WithResultPath("$.result").Next(done)
	return step.NewStateMachine("adder", add)
}

func TestRunPasses(t *testing.T) {
	steptest.Run(t, machine(), steptest.Case{
		Input:  `{"a": 1}`,
		Path:   []string{"add", "done"},
		Output: `{"a": 1, "result": {"sum": 3}}`,
	})
}

func TestRunReportsEveryMismatch(t *testing.T) {
	r := &recorder{TB: t}
	steptest.Run(r, machine(), steptest.Case{
		Input:  `{"a": 1}`,
		Status: step.StatusFailed,
		Path:   []string{"add"},
		Output: `{"a": 2}`,
	})
	joined := strings.Join(r.errors, "\n")
	for _, want := range []string{"Status = SUCCEEDED", "Path (-want +got)", "Output (-want +got)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Run reported %q, want a mismatch containing %q", joined, want)
		}
	}
	if len(r.errors) != 3 {
		t.Errorf("Run reported %d mismatches, want 3", len(r.errors))
	}
}
