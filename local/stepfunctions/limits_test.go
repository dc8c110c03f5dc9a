package stepfunctions_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// A state output over 262,144 bytes fails the execution with
// States.DataLimitExceeded on the local cloud as offline, as AWS does
// (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
func TestStateOutputOverTheLimit(t *testing.T) {
	f := newFixture(t)
	f.lambda.add("big", func(_ context.Context, in struct{ N int }) (string, error) {
		return strings.Repeat("x", in.N), nil
	})
	fn := fnARN("big")
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `","End":true}}}`
	arn := f.machine("Big", def, f.role("r", allow("lambda:InvokeFunction", fn)))
	if out := f.run(arn, `{"N":1000}`); out.Status != sfntypes.ExecutionStatusSucceeded {
		t.Fatalf("small output: %s %s %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	out := f.run(arn, `{"N":300000}`)
	if out.Status != sfntypes.ExecutionStatusFailed || aws.ToString(out.Error) != "States.DataLimitExceeded" {
		t.Errorf("big output: %s %q %q, want FAILED States.DataLimitExceeded", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
}

// A JSONata Choice rule whose Condition is a literal boolean is accepted by
// CreateStateMachine, as AWS accepts it (recorded AWS behaviour).
func TestBooleanConditionAccepted(t *testing.T) {
	f := newFixture(t)
	def := `{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":true,"Next":"S"}]},"S":{"Type":"Succeed"}}}`
	out := f.run(f.machine("Bool", def, f.role("r", allow("*", "*"))), `{}`)
	if out.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("execution = %s %s %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
}
