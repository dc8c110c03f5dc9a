//go:build !lambdabinary

package sparta_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// In a terminal, provision shows the compact view: a line per phase, the
// summary and the next command, none of the local cloud's own lines, no
// colours under NO_COLOR. Run under tmux and read back with capture-pane.
func TestProvisionInATerminal(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install tmux): it runs the CLI in a real terminal")
	}
	bin := cliBinary(t, "./examples/rolldie")
	work := t.TempDir()
	session := fmt.Sprintf("sparta-test-%d", os.Getpid())
	script := fmt.Sprintf("NO_COLOR=1 %s provision --local --work-dir %s; echo EXIT=$?; sleep 600", bin, work)
	start := exec.Command(tmux, "new-session", "-d", "-s", session, "-x", "200", "-y", "50", script)
	start.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := start.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	defer exec.Command(tmux, "kill-session", "-t", session).Run()
	var pane string
	for deadline := time.Now().Add(3 * time.Minute); !strings.Contains(pane, "EXIT="); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("provision did not finish in the terminal:\n%s", pane)
		}
		out, err := exec.Command(tmux, "capture-pane", "-p", "-t", session).Output()
		if err != nil {
			t.Fatalf("tmux capture-pane: %v", err)
		}
		pane = string(out)
	}
	t.Logf("the terminal showed:\n%s", strings.TrimRight(pane, "\n"))
	for _, want := range []string{"Sparta provision · RollDie-", "✓ build", "✓ deploy", "✓ stack RollDie-", "CREATE_COMPLETE: 5 resources changed", "Provision complete in ", "→ Next: ", "EXIT=0"} {
		if !strings.Contains(pane, want) {
			t.Errorf("the terminal lacks %q", want)
		}
	}
	for _, unwanted := range []string{"level=", "component=local", "\x1b["} {
		if strings.Contains(pane, unwanted) {
			t.Errorf("the terminal shows %q", unwanted)
		}
	}
	if !strings.Contains(pane[strings.Index(pane, "Provision complete"):], "→ Next: ") {
		t.Error("the view does not end with the next command")
	}
	if log, err := os.ReadFile(work + "/local/cloud.log"); err != nil || len(log) == 0 {
		t.Errorf("the local cloud's log file = %v, %d bytes; want its lines there", err, len(log))
	}
}

// Outside a terminal, --format json prints one JSON object per line.
func TestProvisionJSONLines(t *testing.T) {
	cmd := exec.Command(cliBinary(t, "./examples/rolldie"), "provision", "--noop", "--format", "json", "--work-dir", t.TempDir(), "--s3Bucket", "artifacts")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("provision --noop --format json: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, line := range lines {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil || entry["msg"] == nil || entry["level"] == nil {
			t.Errorf("not a JSON log line (%v): %q", err, line)
		}
	}
	if len(lines) < 5 {
		t.Errorf("provision --noop --format json printed %d lines:\n%s", len(lines), out)
	}
}
