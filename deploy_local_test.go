//go:build !lambdabinary

package sparta_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local"
)

// localCLI runs a service's CLI against the local cloud in work, with the
// cloud's request log appended to work/requests.jsonl.
func localCLI(t *testing.T, pkg, work string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(cliBinary(t, pkg), append(args, "--local", "--work-dir", work)...)
	cmd.Env = append(os.Environ(), "SPARTA_LOCAL_REQUEST_LOG="+filepath.Join(work, "requests.jsonl"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// requests reads the request log and empties it.
func requests(t *testing.T, work string) []local.JournalEntry {
	t.Helper()
	path := filepath.Join(work, "requests.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	defer f.Close()
	var out []local.JournalEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e local.JournalEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func called(entries []local.JournalEntry, operation string) int {
	n := 0
	for _, e := range entries {
		if e.Operation == operation {
			n++
		}
	}
	return n
}

func TestRolldieLifecycleOnTheLocalCloud(t *testing.T) {
	work := t.TempDir()
	mustRun := func(what string, args ...string) string {
		t.Helper()
		out, err := localCLI(t, "./examples/rolldie", work, args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, out)
		}
		return out
	}

	out := mustRun("first provision", "provision")
	for _, want := range []string{"Created the artifacts bucket", "Uploaded code", "Stack deployed", "CREATE_COMPLETE"} {
		if !strings.Contains(out, want) {
			t.Errorf("first provision output lacks %q:\n%s", want, out)
		}
	}
	first := requests(t, work)
	if called(first, "PutObject")+called(first, "CreateMultipartUpload") == 0 || called(first, "ExecuteChangeSet") != 1 {
		t.Errorf("first provision: %d uploads, %d change sets executed; want the zip uploaded and one change set", called(first, "PutObject"), called(first, "ExecuteChangeSet"))
	}

	out = mustRun("execute", "execute", "--input", "{}")
	if !strings.Contains(out, "Status:        SUCCEEDED") || !strings.Contains(out, "Path:          lambdaRollDie -> checkRoll") {
		t.Errorf("execute output:\n%s", out)
	}
	requests(t, work)

	// describe --local shows what is deployed and the path just taken.
	report := filepath.Join(work, "report.html")
	mustRun("describe", "describe", "--out", report)
	html, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CREATE_COMPLETE", "SUCCEEDED", `class="dg has-path"`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("describe --local report lacks %q", want)
		}
	}
	requests(t, work)

	out = mustRun("unchanged provision", "provision")
	if !strings.Contains(out, "up to date") || !strings.Contains(out, "Code unchanged") {
		t.Errorf("an unchanged provision did not say it was up to date:\n%s", out)
	}
	again := requests(t, work)
	if n := called(again, "PutObject") + called(again, "CreateMultipartUpload"); n != 0 {
		t.Errorf("an unchanged provision uploaded %d objects, want none", n)
	}
	if n := called(again, "ExecuteChangeSet"); n != 0 {
		t.Errorf("an unchanged provision executed %d change sets, want none", n)
	}

	// A changed stack tag is a real update of the same code.
	out = mustRun("update", "provision", "--tags", "team=dice")
	if !strings.Contains(out, "Stack deployed") || !strings.Contains(out, "UPDATE") {
		t.Errorf("update output:\n%s", out)
	}
	out = mustRun("execute after update", "execute", "--input", "{}")
	if !strings.Contains(out, "SUCCEEDED") {
		t.Errorf("execute after update:\n%s", out)
	}

	out = mustRun("status", "status", "--json")
	var st struct {
		Exists bool   `json:"exists"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &st); err != nil || !st.Exists || !strings.HasSuffix(st.Status, "_COMPLETE") {
		t.Errorf("status --json = %+v (%v):\n%s", st, err, out)
	}

	out = mustRun("delete", "delete", "--purge-artifacts")
	if !strings.Contains(out, "Stack deleted") || !strings.Contains(out, "Purged") {
		t.Errorf("delete output:\n%s", out)
	}
	out = mustRun("second delete", "delete")
	if !strings.Contains(out, "does not exist") {
		t.Errorf("deleting a deleted stack did not say so:\n%s", out)
	}
}
