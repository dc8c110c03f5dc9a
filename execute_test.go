//go:build !lambdabinary

package sparta_test

import (
	"strings"
	"testing"
)

func TestExecuteOfflineRolldie(t *testing.T) {
	out, err := runCLI(t, "./examples/rolldie", "execute", "--offline", "--input", "{}")
	if err != nil {
		t.Fatalf("execute --offline: %v\n%s", err, out)
	}
	for _, want := range []string{"Status:        SUCCEEDED", "Path:          lambdaRollDie -> checkRoll", `"roll":`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestExecuteOfflineFailureExitsNonZero(t *testing.T) {
	out, err := runCLI(t, "./examples/dragons", "execute", "--offline", "--state-machine", "DragonSightings", "--input", `{"dragonName":"","location":{"latitude":1,"longitude":1},"sizeFeet":10}`)
	if err == nil {
		t.Fatalf("a failed execution exited 0:\n%s", out)
	}
	for _, want := range []string{
		"Status:        FAILED",
		"Path:          ValidateReport -> AlertInvalidReport -> ReportRejected",
		"Error:         InvalidReport",
		"SNS publish (offline) to ${", // the alert was printed, not sent
		`"errorType":"DragonValidationFailed"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestExecuteFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"execute", "--offline", "--input", "{x"}, `--input "{x" is not valid JSON`},
		{[]string{"execute", "--offline", "--input", "@/no/such/file.json"}, "--input: open /no/such/file.json"},
		{[]string{"execute", "--offline", "--state-machine", "Nope"}, `--state-machine "Nope": service`},
	}
	for _, tt := range tests {
		out, err := runCLI(t, "./examples/rolldie", tt.args...)
		if err == nil || !strings.Contains(out, tt.want) {
			t.Errorf("%v = %v:\n%s\nwant %q", tt.args, err, out, tt.want)
		}
	}
}

func TestProvisionNoopDragons(t *testing.T) {
	work := t.TempDir()
	out, err := runCLI(t, "./examples/dragons", "provision", "--noop", "--work-dir", work)
	if err != nil {
		t.Fatalf("provision --noop: %v\n%s", err, out)
	}
	if !strings.Contains(out, "1 AWS::SNS::Topic") || !strings.Contains(out, "2 AWS::StepFunctions::StateMachine") || !strings.Contains(out, "5 AWS::Lambda::Function") ||
		!strings.Contains(out, "1 AWS::ApiGateway::RestApi") || !strings.Contains(out, "1 AWS::DynamoDB::Table") || !strings.Contains(out, "1 AWS::SQS::Queue") {
		t.Errorf("summary lacks the topic, machines, functions, API, table or queue:\n%s", out)
	}
}

// Offline, the declared table and queue are in memory: --task-success
// answers the confirmation and the sighting is stored; without it the
// confirmation times out at its HeartbeatSeconds on the virtual clock.
func TestExecuteOfflineTablesAndCallbacks(t *testing.T) {
	input := `{"dragonName":"Smok","confirmationRequired":true,"location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`
	out, err := runCLI(t, "./examples/dragons", "execute", "--offline", "--state-machine", "DragonSightings", "--input", input,
		"--task-success", `{"dragonId":"smok","confirmed":true}`)
	for _, want := range []string{
		"Path:          ValidateReport -> AddDragon -> Confirmed? -> AwaitConfirmation -> Witnessed? -> StoreSighting -> CountSighting -> DragonAdded",
		"DynamoDB (offline) Sightings: 2 items", `"dragonId":{"S":"smok"}`, `"taskToken":"`,
	} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("execute --task-success = %v, output lacks %q:\n%s", err, want, out)
		}
	}
	out, err = runCLI(t, "./examples/dragons", "execute", "--offline", "--state-machine", "DragonSightings", "--input", input)
	for _, want := range []string{
		"Path:          ValidateReport -> AddDragon -> Confirmed? -> AwaitConfirmation -> AlertUnconfirmed -> PendingConfirmation",
		`"Error": "States.HeartbeatTimeout"`, "Duration:      1h0m0s", "DynamoDB (offline) Sightings: 0 items",
	} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("execute without an answer = %v, output lacks %q:\n%s", err, want, out)
		}
	}
	if out, err := runCLI(t, "./examples/dragons", "execute", "--offline", "--state-machine", "DragonSightings", "--task-success", "{x"); err == nil || !strings.Contains(out, `--task-success "{x" is not valid JSON`) {
		t.Errorf("bad --task-success = %v:\n%s", err, out)
	}
}
