package describe_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sparta-go/sparta/describe"
	"github.com/sparta-go/sparta/step"
)

// TestLayoutHasNoOverlaps lays out machines of every shape and the
// dragons stack: no node covers another, no label covers a node or a
// label, nothing is drawn outside the picture.
func TestLayoutHasNoOverlaps(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("..", "step", "testdata", "golden", "every_state.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := step.FromJSON(golden)
	if err != nil {
		t.Fatal(err)
	}
	machines := []*step.StateMachine{rollDie(t), everyState(t), bigMachine(t, 120), parsed}
	for _, sm := range machines {
		t.Run(sm.Name(), func(t *testing.T) {
			for _, p := range describe.LayoutProblems(sm) {
				t.Error(p)
			}
		})
	}
	t.Run("stack", func(t *testing.T) {
		template, err := os.ReadFile(filepath.Join("testdata", "dragons.template.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range describe.StackLayoutProblems(template) {
			t.Error(p)
		}
	})
}
