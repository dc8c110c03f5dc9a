//go:build !lambdabinary

package sparta_test

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// runWithEnv runs a service's CLI with a controlled AWS environment: no
// profile or credential files, only what env sets.
func runWithEnv(t *testing.T, pkg string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(cliBinary(t, pkg), append(args, "--work-dir", t.TempDir())...)
	base := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			base = append(base, kv)
		}
	}
	cmd.Env = append(base, append([]string{"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true"}, env...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestCLIErrorsSayWhatToDo(t *testing.T) {
	other := map[string]string{"amd64": "arm64", "arm64": "x86_64"}[runtime.GOARCH]
	tests := []struct {
		name string
		pkg  string
		env  []string
		args []string
		want string
	}{
		{"no region", "./examples/rolldie", nil, []string{"status"},
			"no AWS region: set AWS_REGION (or a profile with a region), or run against the local cloud with --local"},
		{"credentials cannot be checked", "./examples/rolldie",
			[]string{"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=y", "AWS_ENDPOINT_URL=http://127.0.0.1:1", "AWS_MAX_ATTEMPTS=1"},
			[]string{"status"}, "checking AWS credentials with STS in us-east-1"},
		{"--arch against the host with --local", "./examples/rolldie", nil, []string{"provision", "--local", "--arch", other},
			"with --local the functions run on this machine"},
		{"a service without a state machine", "./testdata/badresource", nil, []string{"execute", "--offline"},
			`service "BadResource" has no state machine: attach one with WorkflowHooks`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runWithEnv(t, tt.pkg, tt.env, tt.args...)
			if err == nil || !strings.Contains(out, tt.want) {
				t.Errorf("%v = %v, want an error containing %q:\n%s", tt.args, err, tt.want, out)
			}
		})
	}
}
