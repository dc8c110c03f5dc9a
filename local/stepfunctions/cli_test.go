package stepfunctions_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

const statesTrustCLI = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// createMachineCLI makes a role and a one-Pass-state machine of typ with
// the AWS CLI and returns the machine's ARN.
func createMachineCLI(t *testing.T, c *local.Cloud, name, typ string) string {
	t.Helper()
	var role struct{ Role struct{ Arn string } }
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "iam", "create-role", "--role-name", name+"-role", "--assume-role-policy-document", statesTrustCLI)), &role); err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $.who)"},"End":true}}}`
	var m struct{ StateMachineArn string }
	out := localtest.CLI(t, c, "stepfunctions", "create-state-machine", "--name", name, "--type", typ, "--definition", def, "--role-arn", role.Role.Arn)
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	return m.StateMachineArn
}

type syncResult struct {
	ExecutionArn, Status, Output string
	InputDetails, OutputDetails  map[string]any
}

// TestStartSyncExecutionWithTheCLI runs `aws stepfunctions
// start-sync-execution`, which sends the request to sync-HOST (the
// operation's host prefix) even with --endpoint-url. sync-127.0.0.1 does
// not resolve, so the CLI reaches the cloud either with HTTP_PROXY set to
// the cloud (any CLI version: the cloud answers for its own prefixed names
// and forwards nothing) or with AWS_DISABLE_HOST_PREFIX_INJECTION (CLIs
// since March 2025). The result carries inputDetails and outputDetails
// {"included": true}, and DescribeExecution refuses the Express execution,
// as on AWS.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html
func TestStartSyncExecutionWithTheCLI(t *testing.T) {
	c := localtest.Start(t)
	arn := createMachineCLI(t, c, "greeter", "EXPRESS")
	args := []string{"stepfunctions", "start-sync-execution", "--state-machine-arn", arn, "--input", `{"who":"cli"}`}

	out, err := localtest.RunCLIEnv(t, c, []string{"HTTP_PROXY=" + c.Endpoint()}, args...)
	if err != nil {
		t.Fatalf("start-sync-execution through HTTP_PROXY: %v\n%s", err, out)
	}
	var res syncResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "SUCCEEDED" || res.Output != `{"greeting":"hello cli"}` ||
		res.InputDetails["included"] != true || res.OutputDetails["included"] != true {
		t.Errorf("start-sync-execution = %s\nwant SUCCEEDED, the greeting, inputDetails and outputDetails {\"included\": true}", out)
	}
	if !strings.Contains(res.ExecutionArn, ":express:greeter:") {
		t.Errorf("executionArn = %q, want an express execution ARN", res.ExecutionArn)
	}

	t.Run("AWS_DISABLE_HOST_PREFIX_INJECTION", func(t *testing.T) {
		out, err := localtest.RunCLIEnv(t, c, []string{"AWS_DISABLE_HOST_PREFIX_INJECTION=true"}, args...)
		if err != nil && strings.Contains(out, "sync-127.0.0.1") {
			t.Skipf("this AWS CLI predates disable_host_prefix_injection (botocore 1.37, March 2025):\n%s", out)
		}
		if err != nil || !strings.Contains(out, `"status": "SUCCEEDED"`) {
			t.Errorf("start-sync-execution = %v\n%s", err, out)
		}
	})

	out, err = localtest.RunCLI(t, c, "stepfunctions", "describe-execution", "--execution-arn", res.ExecutionArn)
	if err == nil || !strings.Contains(out, "(InvalidArn)") || !strings.Contains(out, "Invalid Arn: 'Resource type not valid in this context: express'") {
		t.Errorf("describe-execution of an Express execution = %v %s, want InvalidArn", err, out)
	}

	out, err = localtest.RunCLI(t, c, "stepfunctions", "get-execution-history", "--execution-arn", res.ExecutionArn)
	if err == nil || !strings.Contains(out, "(InvalidArn)") {
		t.Errorf("get-execution-history of an Express execution = %v %s, want InvalidArn", err, out)
	}

	// A Standard machine's execution describes with the same details.
	std := createMachineCLI(t, c, "standard", "STANDARD")
	var started struct{ ExecutionArn string }
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "stepfunctions", "start-execution", "--state-machine-arn", std, "--input", `{"who":"std"}`)), &started); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		out = localtest.CLI(t, c, "stepfunctions", "describe-execution", "--execution-arn", started.ExecutionArn)
		if !strings.Contains(out, `"RUNNING"`) {
			break
		}
	}
	var desc syncResult
	if err := json.Unmarshal([]byte(out), &desc); err != nil {
		t.Fatal(err)
	}
	if desc.Status != "SUCCEEDED" || desc.InputDetails["included"] != true || desc.OutputDetails["included"] != true {
		t.Errorf("describe-execution = %s\nwant SUCCEEDED with inputDetails and outputDetails {\"included\": true}", out)
	}
}
