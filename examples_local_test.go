//go:build !lambdabinary

package sparta_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/internal/cfnlint"
)

func TestDragonsOnTheLocalCloud(t *testing.T) {
	work := t.TempDir()
	if out, err := localCLI(t, "./examples/dragons", work, "provision"); err != nil {
		t.Fatalf("provision: %v\n%s", err, out)
	}
	lintTemplates(t, work)
	out, err := localCLI(t, "./examples/dragons", work, "execute", "--state-machine", "DragonSightings", "--input",
		`{"dragonName":"Smok","location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`)
	if err != nil || !strings.Contains(out, "Path:          ValidateReport -> AddDragon -> Confirmed? -> AlertUnconfirmed -> PendingConfirmation") {
		t.Fatalf("execute (unconfirmed): %v\n%s", err, out)
	}
	// A sighting that asks for confirmation waits on the Confirmations
	// queue until confirmSighting, its event source, answers the task
	// token; then it is stored.
	out, err = localCLI(t, "./examples/dragons", work, "execute", "--state-machine", "DragonSightings", "--input",
		`{"dragonName":"Smok","confirmationRequired":true,"location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`)
	if err != nil || !strings.Contains(out, "Path:          ValidateReport -> AddDragon -> Confirmed? -> AwaitConfirmation -> Witnessed? -> StoreSighting -> CountSighting -> DragonAdded") ||
		!strings.Contains(out, `"confirmedBy": "the dragon ranger"`) {
		t.Fatalf("execute (confirmation) = %v:\n%s", err, out)
	}
	// The validation error is caught into an SNS alert, and the machine fails
	// as designed: the Lambda error type crossed a real process boundary.
	out, err = localCLI(t, "./examples/dragons", work, "execute", "--state-machine", "DragonSightings", "--input",
		`{"dragonName":"","location":{"latitude":1,"longitude":1},"sizeFeet":10}`)
	if err == nil || !strings.Contains(out, "Path:          ValidateReport -> AlertInvalidReport -> ReportRejected") || !strings.Contains(out, "Error:         InvalidReport") {
		t.Fatalf("execute (invalid report) = %v:\n%s", err, out)
	}
	// invoke --local reports the function's own error type, as Lambda does.
	out, err = localCLI(t, "./examples/dragons", work, "invoke", "validateName", "--event", `{"dragonName":""}`)
	if err == nil || !strings.Contains(out, "Error:     DragonValidationFailed") || !strings.Contains(out, "Message:   the report names no dragon") {
		t.Fatalf("invoke validateName (failing) = %v:\n%s", err, out)
	}
}

func TestServicefullOnTheLocalCloud(t *testing.T) {
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine reachable (%v): servicefull runs its Fargate task as a container", err)
	}
	t.Cleanup(func() { removeImages(t, "servicefull-reports") })
	work := t.TempDir()
	if out, err := localCLI(t, "./examples/servicefull", work, "provision"); err != nil {
		t.Fatalf("provision: %v\n%s", err, out)
	}
	lintTemplates(t, work)
	out, err := localCLI(t, "./examples/servicefull", work, "execute", "--input", `{"orderId": "test-1"}`)
	if err != nil || !strings.Contains(out, "Status:        SUCCEEDED") || !strings.Contains(out, "Path:          prepare -> produceReport -> notify") {
		t.Fatalf("execute: %v\n%s", err, out)
	}
	if out, err := localCLI(t, "./examples/servicefull", work, "delete"); err != nil {
		t.Fatalf("delete: %v\n%s", err, out)
	}
}

// lintTemplates holds the templates a provision wrote to CloudFormation's
// own rules (cfn-lint with AWS's current schemas).
func lintTemplates(t *testing.T, work string) {
	t.Helper()
	templates, _ := filepath.Glob(filepath.Join(work, "*-cftemplate.json"))
	if len(templates) == 0 {
		t.Fatalf("provision wrote no template to %s", work)
	}
	cfnlint.Check(t, templates...)
}

// removeImages deletes the engine's images of a repository, under any
// registry host, so that the test leaves the engine as it found it.
func removeImages(t *testing.T, repository string) {
	out, err := exec.Command("docker", "images", "--format", "{{.Repository}} {{.ID}}").Output()
	if err != nil {
		t.Logf("listing images: %v", err)
		return
	}
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		repo, id, ok := strings.Cut(line, " ")
		if ok && (repo == repository || strings.HasSuffix(repo, "/"+repository)) {
			ids[id] = true
		}
	}
	for id := range ids {
		if b, err := exec.Command("docker", "rmi", "-f", id).CombinedOutput(); err != nil {
			t.Logf("docker rmi %s: %v %s", id, err, b)
		}
	}
}
