package integrations

import "testing"

// CreateStateMachine accepts only the optimized integrations AWS lists;
// dynamodb:query exists only as an AWS SDK integration (recorded AWS
// behaviour; https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html).
func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		resource string
		ok       bool
	}{
		{"arn:aws:states:::dynamodb:query", false},
		{"arn:aws:states:::sns:subscribe", false},
		{"arn:aws:states:::dynamodb:getItem", true},
		{"arn:aws:states:::aws-sdk:dynamodb:query", true},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", true},
		{"arn:aws:states:::states:startExecution.sync:2", true},
		{"arn:aws:states:::ecs:runTask.sync", true},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", true},
		{"${MyFunction}", true},
	} {
		if err := Check(tt.resource); (err == nil) != tt.ok {
			t.Errorf("Check(%q) = %v, want ok %v", tt.resource, err, tt.ok)
		}
	}
}
