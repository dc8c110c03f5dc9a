//go:build !lambdabinary

package sparta_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

// serveWith runs `local serve` with extra flags and environment and
// returns its endpoint; the process is killed when the test ends.
func serveWith(t *testing.T, bin string, env []string, flags ...string) string {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(bin, append([]string{"local", "serve", "--port", fmt.Sprint(port), "--state-dir", t.TempDir(), "--level", "warn"}, flags...)...)
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	})
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(endpoint); err == nil {
			resp.Body.Close()
			return endpoint
		}
	}
	t.Fatal("local serve did not come up")
	return ""
}

// cliAgainst runs the AWS CLI against endpoint with the default
// credentials and extra environment.
func cliAgainst(t *testing.T, endpoint string, env []string, args ...string) string {
	t.Helper()
	cli := localtest.CLIBinary()
	if _, err := os.Stat(cli); err != nil {
		t.Skipf("the AWS CLI is not installed at %s (apt-get install -y awscli, or set SPARTA_AWS_CLI): %v", cli, err)
	}
	home := t.TempDir()
	cmd := exec.Command(cli, append([]string{"--endpoint-url", endpoint, "--region", local.DefaultRegion, "--output", "json"}, args...)...)
	cmd.Env = append([]string{"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"AWS_CONFIG_FILE=" + home + "/config", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials", "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true"}, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// journalOps reads a request log and returns "service Operation status"
// for each line.
func journalOps(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the request log: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e local.JournalEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("request log line %q: %v", sc.Text(), err)
		}
		out = append(out, fmt.Sprintf("%s %s %d", e.Service, e.Operation, e.Status))
	}
	return out
}

// TestAWSCLIStartSyncExecutionOnLocalServe is issue 16's wire case against
// `local serve` as a user runs it: `aws stepfunctions
// start-sync-execution` (which calls sync-HOST) succeeds with HTTP_PROXY
// set to the server, as the server's banner says, and the request log
// named by --request-log, or by SPARTA_LOCAL_REQUEST_LOG when the flag is
// absent, records it.
func TestAWSCLIStartSyncExecutionOnLocalServe(t *testing.T) {
	bin := cliBinary(t, "./examples/rolldie")
	for _, tc := range []struct {
		name  string
		env   func(log string) []string
		flags func(log string) []string
	}{
		{"--request-log", func(string) []string { return nil }, func(log string) []string { return []string{"--request-log", log} }},
		{"SPARTA_LOCAL_REQUEST_LOG", func(log string) []string { return []string{"SPARTA_LOCAL_REQUEST_LOG=" + log} }, func(string) []string { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "requests.jsonl")
			endpoint := serveWith(t, bin, tc.env(log), tc.flags(log)...)
			var role struct{ Role struct{ Arn string } }
			trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
			if err := json.Unmarshal([]byte(cliAgainst(t, endpoint, nil, "iam", "create-role", "--role-name", "express", "--assume-role-policy-document", trust)), &role); err != nil {
				t.Fatal(err)
			}
			var m struct{ StateMachineArn string }
			def := `{"StartAt":"Echo","States":{"Echo":{"Type":"Pass","End":true}}}`
			if err := json.Unmarshal([]byte(cliAgainst(t, endpoint, nil, "stepfunctions", "create-state-machine", "--name", "echo",
				"--type", "EXPRESS", "--definition", def, "--role-arn", role.Role.Arn)), &m); err != nil {
				t.Fatal(err)
			}
			out := cliAgainst(t, endpoint, []string{"HTTP_PROXY=" + endpoint}, "stepfunctions", "start-sync-execution",
				"--state-machine-arn", m.StateMachineArn, "--input", `{"n":1}`)
			if !strings.Contains(out, `"status": "SUCCEEDED"`) || !strings.Contains(out, `"output": "{\"n\":1}"`) {
				t.Errorf("start-sync-execution = %s, want SUCCEEDED echoing the input", out)
			}
			ops := journalOps(t, log)
			if !strings.Contains(strings.Join(ops, "\n"), "states StartSyncExecution 200") {
				t.Errorf("request log = %q, want StartSyncExecution recorded", ops)
			}
		})
	}
}
