//go:build !lambdabinary

package sparta_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestInvokeOffline(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr bool
		want    []string
	}{
		{
			name: "result",
			args: []string{"invoke", "addDragon", "--offline", "--event", `{"dragonName":"Smok","reportedBy":"Krak"}`},
			want: []string{"Status:    succeeded", `"dragonId": "smok"`, `"confirmed": true`, "REPORT RequestId: "},
		},
		{
			name:    "error type",
			args:    []string{"invoke", "validateName", "--offline", "--event", `{"dragonName":" "}`},
			wantErr: true,
			want:    []string{"Status:    failed", "Error:     DragonValidationFailed", "Message:   the report names no dragon"},
		},
		{
			name: "event template",
			args: []string{"invoke", "addDragon", "--offline", "--event-template", "sqs"},
			want: []string{"Status:    succeeded", `"dragonId": ""`},
		},
		{
			name:    "unknown function",
			args:    []string{"invoke", "Nope", "--offline"},
			wantErr: true,
			want:    []string{`function "Nope": service`, "it has validateName, validateLocation, addDragon"},
		},
		{
			name:    "bad event",
			args:    []string{"invoke", "addDragon", "--offline", "--event", `{"dragonName":`},
			wantErr: true,
			want:    []string{"--event is not valid JSON"},
		},
		{
			name:    "two events",
			args:    []string{"invoke", "addDragon", "--offline", "--event", `{}`, "--event-template", "s3"},
			wantErr: true,
			want:    []string{"use only one"},
		},
		{
			name:    "offline and local",
			args:    []string{"invoke", "addDragon", "--offline", "--local"},
			wantErr: true,
			want:    []string{"--offline and --local: choose one"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, "./examples/dragons", tt.args...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("%v: err = %v, want error %v\n%s", tt.args, err, tt.wantErr, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
				}
			}
		})
	}
}

func TestInvokeHelpHasExamples(t *testing.T) {
	out, err := runCLI(t, "./examples/rolldie", "invoke", "--help")
	if err != nil || !strings.Contains(out, "Examples:") || !strings.Contains(out, "--event-template") {
		t.Fatalf("invoke --help = %v:\n%s", err, out)
	}
}

// invoke --local runs the deployed function on the local cloud and prints
// the log tail Lambda returns with LogType Tail; logs shows and follows it.
func TestInvokeAndLogsOnTheLocalCloud(t *testing.T) {
	work := t.TempDir()
	if out, err := localCLI(t, "./examples/rolldie", work, "invoke", "rollDie"); err == nil || !strings.Contains(out, "has the service been provisioned there") {
		t.Errorf("invoke before provision = %v, want a hint to provision:\n%s", err, out)
	}
	if out, err := localCLI(t, "./examples/rolldie", work, "provision"); err != nil {
		t.Fatalf("provision: %v\n%s", err, out)
	}
	out, err := localCLI(t, "./examples/rolldie", work, "invoke", "rollDie", "--event", "{}")
	if err != nil {
		t.Fatalf("invoke: %v\n%s", err, out)
	}
	for _, want := range []string{"Function:  rollDie (the local cloud", "Status:    succeeded", `"roll": `, "Log tail:", "REPORT RequestId: "} {
		if !strings.Contains(out, want) {
			t.Errorf("invoke --local output lacks %q:\n%s", want, out)
		}
	}
	requests(t, work)

	// logs reads what the invocation wrote, for people and as JSON lines.
	out, err = localCLI(t, "./examples/rolldie", work, "logs", "rollDie")
	if err != nil || !strings.Contains(out, "rollDie START RequestId: ") {
		t.Errorf("logs rollDie = %v:\n%s", err, out)
	}
	out, err = localCLI(t, "./examples/rolldie", work, "logs", "--format", "json", "--filter", "REPORT")
	if err != nil {
		t.Fatalf("logs --format json: %v\n%s", err, out)
	}
	reports := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var l struct{ Source, Message string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("logs --format json printed a line that is not JSON (%v): %q", err, line)
		}
		if l.Source != "rollDie" || !strings.HasPrefix(l.Message, "REPORT ") {
			t.Errorf("logs --filter REPORT printed %+v", l)
		}
		reports++
	}
	if reports != 1 {
		t.Errorf("logs --filter REPORT printed %d lines, want the one invocation's REPORT", reports)
	}

	// logs -f holds the local cloud; an execute started meanwhile uses it,
	// and the follower prints the execution and the function's lines.
	follower := exec.Command(cliBinary(t, "./examples/rolldie"), "logs", "-f", "--local", "--work-dir", work, "--since", "0s")
	var followed syncBuffer
	follower.Stdout, follower.Stderr = &followed, &followed
	if err := follower.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = follower.Process.Kill(); _ = follower.Wait() }()
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(followed.String(), "Following"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("logs -f did not start:\n%s", followed.String())
		}
	}
	if out, err := exec.Command(cliBinary(t, "./examples/rolldie"), "execute", "--local", "--work-dir", work).CombinedOutput(); err != nil {
		t.Fatalf("execute while logs -f runs: %v\n%s", err, out)
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(followed.String(), "SUCCEEDED after"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("logs -f did not report the execution's end:\n%s", followed.String())
		}
	}
	_ = follower.Process.Signal(os.Interrupt)
	if err := follower.Wait(); err != nil {
		t.Errorf("logs -f after Ctrl-C = %v, want a clean exit:\n%s", err, followed.String())
	}
	for _, want := range []string{"RollDie execution ", " started", "rollDie START RequestId: "} {
		if !strings.Contains(followed.String(), want) {
			t.Errorf("logs -f output lacks %q:\n%s", want, followed.String())
		}
	}
}

// syncBuffer is a bytes.Buffer a child process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
