package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestRunWritesTheSnapshot builds a snapshot from a small checkout shaped
// like MAMIP's: attachable policies are kept under their path, the others
// dropped, documents compacted, and the same checkout gives the same bytes.
func TestRunWritesTheSnapshot(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("policies-list.json", `{"Policies":[
		{"PolicyName":"Readable","Path":"/","IsAttachable":true},
		{"PolicyName":"RoleOnly","Path":"/service-role/","IsAttachable":true},
		{"PolicyName":"Hidden","Path":"/","IsAttachable":false}]}`)
	doc := `{"PolicyVersion":{"Document":{ "Version": "2012-10-17", "Statement": [ {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"} ] }}}`
	for _, n := range []string{"Readable", "RoleOnly", "Hidden"} {
		write("policies/"+n, doc)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "snapshot"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	out1, out2 := filepath.Join(t.TempDir(), "a.json.gz"), filepath.Join(t.TempDir(), "b.json.gz")
	if err := run(dir, out1); err != nil {
		t.Fatal(err)
	}
	if err := run(dir, out2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(out1)
	b, _ := os.ReadFile(out2)
	if !bytes.Equal(a, b) {
		t.Error("two runs over one checkout wrote different bytes")
	}
	zr, err := gzip.NewReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	var s snapshot
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Commit) != 40 || s.Date == "" || s.Source != "https://github.com/zoph-io/MAMIP" {
		t.Errorf("snapshot header = %q %q %q", s.Source, s.Commit, s.Date)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	if len(s.Policies) != 2 || string(s.Policies["Readable"]) != want || string(s.Policies["service-role/RoleOnly"]) != want {
		t.Errorf("policies = %s, want Readable and service-role/RoleOnly, compacted, and not Hidden", raw)
	}
	if err := run("", out1); err == nil {
		t.Error("run without -mamip succeeded")
	}
}
