// Command managedgen writes local/iam's snapshot of the AWS managed
// policies (managed_policies.json.gz) from a checkout of
// https://github.com/zoph-io/MAMIP, which archives every AWS managed
// policy's default version as AWS publishes it (ListPolicies with
// Scope=AWS, then GetPolicyVersion):
//
//	git clone https://github.com/zoph-io/MAMIP /tmp/MAMIP
//	go run ./local/iam/internal/managedgen -mamip /tmp/MAMIP -out local/iam/managed_policies.json.gz
//
// Only the policies MAMIP's policies-list.json lists as attachable are
// kept: AWS refuses to attach the others ("Policy ... does not exist or is
// not attachable."), and deprecated ones are absent from that list.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// snapshot is the embedded file's shape; local/iam reads the same fields.
type snapshot struct {
	Source   string
	Commit   string
	Date     string
	Policies map[string]json.RawMessage // "path/Name" without the leading slash -> document
}

func main() {
	dir := flag.String("mamip", "", "a checkout of github.com/zoph-io/MAMIP")
	out := flag.String("out", "managed_policies.json.gz", "the file to write")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "managedgen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	if dir == "" {
		return fmt.Errorf("-mamip is required: git clone https://github.com/zoph-io/MAMIP and pass its directory")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "policies-list.json"))
	if err != nil {
		return err
	}
	var list struct {
		Policies []struct {
			PolicyName   string
			Path         string
			IsAttachable *bool
		}
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return fmt.Errorf("policies-list.json: %w", err)
	}
	s := snapshot{Source: "https://github.com/zoph-io/MAMIP", Policies: map[string]json.RawMessage{}}
	commit, err := exec.Command("git", "-C", dir, "log", "-1", "--format=%H %cI").Output()
	if err != nil {
		return fmt.Errorf("reading the checkout's commit: %w", err)
	}
	f := strings.Fields(string(commit))
	s.Commit = f[0]
	when, err := time.Parse(time.RFC3339, f[1])
	if err != nil {
		return err
	}
	s.Date = when.UTC().Format(time.DateOnly)
	for _, p := range list.Policies {
		if p.IsAttachable != nil && !*p.IsAttachable {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, "policies", p.PolicyName))
		if err != nil {
			return err
		}
		var v struct {
			PolicyVersion struct{ Document json.RawMessage }
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("policies/%s: %w", p.PolicyName, err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, v.PolicyVersion.Document); err != nil {
			return fmt.Errorf("policies/%s: %w", p.PolicyName, err)
		}
		s.Policies[strings.TrimPrefix(p.Path, "/")+p.PolicyName] = compact.Bytes()
	}
	body, err := json.Marshal(s) // map keys sorted: the same checkout gives the same bytes
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(body); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Printf("%d policies, %d bytes of JSON, %d gzipped\n", len(s.Policies), len(body), buf.Len())
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
