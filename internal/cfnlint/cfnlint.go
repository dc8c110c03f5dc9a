// Package cfnlint runs AWS's CloudFormation linter (cfn-lint, the Python
// tool with AWS's current resource schemas) over templates the framework
// emits, so that tests hold every template to CloudFormation's own rules
// and not only to ours.
package cfnlint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Finding is one rule cfn-lint reports: E* are errors, W* warnings and I*
// informational notes.
type Finding struct {
	Rule     string
	Level    string
	Message  string
	Filename string
	Line     int
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s %s: %s", f.Filename, f.Line, f.Level, f.Rule, f.Message)
}

// ErrNotInstalled is returned by Run when cfn-lint is not on PATH.
var ErrNotInstalled = errors.New("cfn-lint is not installed (pip install cfn-lint)")

// Run lints the template files and returns every error and warning.
// Informational findings are dropped: they are suggestions, not defects.
func Run(paths ...string) ([]Finding, error) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		return nil, ErrNotInstalled
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, append([]string{"--format", "json", "--"}, paths...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// cfn-lint exits non-zero when it finds something (2 errors, 4
	// warnings, 8 informational); only an empty or unparsable report
	// with a failure means the linter itself failed.
	runErr := cmd.Run()
	var raw []struct {
		Rule struct {
			ID string `json:"Id"`
		} `json:"Rule"`
		Level    string `json:"Level"`
		Message  string `json:"Message"`
		Filename string `json:"Filename"`
		Location struct {
			Start struct {
				LineNumber int `json:"LineNumber"`
			} `json:"Start"`
		} `json:"Location"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &raw); err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("cfn-lint %s: %v: %s", strings.Join(paths, " "), runErr, strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("reading cfn-lint's report: %w", err)
	}
	var out []Finding
	for _, r := range raw {
		if r.Level == "Informational" {
			continue
		}
		out = append(out, Finding{Rule: r.Rule.ID, Level: r.Level, Message: r.Message, Filename: r.Filename, Line: r.Location.Start.LineNumber})
	}
	return out, nil
}

// Check fails t for every error or warning cfn-lint reports on the
// templates. Without cfn-lint it skips the test, saying so, except under
// CI (CI=true), where a missing linter is a failure: CI must lint.
func Check(t testing.TB, paths ...string) {
	t.Helper()
	findings, err := Run(paths...)
	if errors.Is(err, ErrNotInstalled) && os.Getenv("CI") != "true" {
		t.Skipf("%v: templates not linted", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("cfn-lint: %s", f)
	}
}
