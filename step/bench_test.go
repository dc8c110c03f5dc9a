package step_test

import (
	"fmt"
	"testing"

	"github.com/sparta-go/sparta/step"
)

// chainMachine builds n states, ending in a Succeed state: a chain of Pass
// states with paths, every tenth a Choice with two rules, every hundredth a
// Task with a payload template and a retrier. 10,000 such states stay under
// the 1 MB definition limit.
func chainMachine(tb testing.TB, n int) *step.StateMachine {
	end := step.NewSuccessState("End")
	var next step.State = end
	for i := n - 1; i > 0; i-- {
		name := fmt.Sprintf("S%05d", i)
		switch {
		case i%100 == 0:
			next = step.NewResourceTaskState(name, "arn:aws:states:us-east-1:123456789012:activity:w", map[string]any{"item.$": "$.items[0]"}).
				WithResultPath("$.r").
				WithRetriers(step.Retrier{ErrorEquals: []string{step.ErrorTimeout}, MaxAttempts: 2}).
				Next(next)
		case i%10 == 0:
			next = step.NewChoiceState(name,
				step.When(&step.NumericGreaterThan{Variable: "$.n", Value: float64(i)}, next),
				step.When(&step.StringEquals{Variable: "$.m", Value: "x"}, end),
			).WithDefault(next)
		default:
			next = step.NewPassState(name).WithResultPath("$.r").Next(next)
		}
	}
	return step.NewStateMachine("Chain", next)
}

// BenchmarkValidateMarshal validates and marshals machines of 10, 1,000
// and 10,000 states (goal: 10,000 states in under 100 ms).
func BenchmarkValidateMarshal(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		sm := chainMachine(b, n)
		if got := len(sm.States()); got != n {
			b.Fatalf("machine has %d states, want %d", got, n)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := sm.Validate(); err != nil {
					b.Fatal(err)
				}
				if _, err := sm.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestLargeMachineWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-state machine")
	}
	sm := chainMachine(t, 10000)
	if err := sm.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
}
