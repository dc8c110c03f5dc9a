package step_test

import (
	"testing"

	"github.com/sparta-go/sparta/step"
)

// TestFunctionPlaceholderStable pins the placeholder of a function name.
// It runs in both builds (go test and go test -tags lambdabinary), where
// the placeholder is computed by cfn and by the Lambda-side copy of
// cfn.LogicalID respectively: both must give the same value.
func TestFunctionPlaceholderStable(t *testing.T) {
	tests := []struct{ name, want string }{
		{"StepRollDie", "${StepRollDieLambdada7c33d3Arn}"},
		{"roll-die_2", "${RollDie2Lambda"},
	}
	for _, tt := range tests {
		got := step.FunctionPlaceholder(tt.name)
		if len(got) < len(tt.want) || got[:len(tt.want)] != tt.want {
			t.Errorf("FunctionPlaceholder(%q) = %q, want %q...", tt.name, got, tt.want)
		}
	}
}
