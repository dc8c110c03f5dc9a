package cfnlint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/internal/cfnlint"
)

// A template with a property CloudFormation's schema does not have must be
// reported: the linter really runs and its report is read.
func TestRunReportsSchemaErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	body := `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"NotAProperty":"x"}}}}`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, err := cfnlint.Run(path)
	if err == cfnlint.ErrNotInstalled {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) == 0 || !strings.Contains(findings[0].String(), "NotAProperty") {
		t.Fatalf("Run(bad template) = %v, want a finding naming NotAProperty", findings)
	}
}

func TestCheckPassesACleanTemplate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "good.json")
	body := `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cfnlint.Check(t, path)
}

// CheckASL accepts a definition AWS accepts and names what is wrong with
// one it refuses.
func TestCheckASL(t *testing.T) {
	good := `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`
	if err := cfnlint.CheckASL([]byte(good)); err != nil {
		t.Errorf("CheckASL(%s) = %v, want nil", good, err)
	}
	for _, bad := range []string{
		`{"StartAt":"A","States":{"A":{"Type":"Passs","End":true}}}`,
		`{"States":{"A":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Bogus":1}}}`,
		`not json`,
	} {
		if err := cfnlint.CheckASL([]byte(bad)); err == nil {
			t.Errorf("CheckASL(%s) = nil, want an error", bad)
		}
	}
}
