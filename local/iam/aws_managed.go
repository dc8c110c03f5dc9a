package iam

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
)

// managedSnapshot is a dated snapshot of every attachable AWS managed
// policy's default version, as AWS publishes them, taken from
// https://github.com/zoph-io/MAMIP (an archive that polls ListPolicies and
// GetPolicyVersion) by internal/managedgen. All of them are kept: the
// gzipped JSON is under 400 KB, and a policy naming services the local
// cloud does not run still decides the requests of the ones it does.
//
//go:embed managed_policies.json.gz
var managedSnapshot []byte

// AWSManagedPrefix begins the ARN of every AWS managed policy.
const AWSManagedPrefix = "arn:aws:iam::aws:policy/"

// awsManagedSet is the decoded snapshot: documents by "path/Name" (no
// leading slash), each parsed on first use.
type awsManagedSet struct {
	Source, Commit, Date string
	Policies             map[string]json.RawMessage

	mu     sync.Mutex
	parsed map[string]*Policy
}

// awsManaged decodes the snapshot on first use: a cloud whose roles name
// no AWS managed policy never pays for it.
var awsManaged = sync.OnceValue(func() *awsManagedSet {
	s, err := decodeSnapshot(managedSnapshot)
	if err != nil {
		panic(fmt.Sprintf("iam: the embedded managed policy snapshot: %v", err)) // a broken build; caught by every test
	}
	return s
})

// decodeSnapshot reads a gzipped snapshot; the documents stay raw until a
// policy is asked for.
func decodeSnapshot(gz []byte) (*awsManagedSet, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	s := &awsManagedSet{parsed: map[string]*Policy{}}
	if err := json.Unmarshal(raw, s); err != nil {
		return nil, err
	}
	return s, nil
}

// ManagedSnapshot describes the embedded AWS managed policies: where they
// come from, the source's commit and its date, and how many there are.
func ManagedSnapshot() (source, commit, date string, count int) {
	s := awsManaged()
	return s.Source, s.Commit, s.Date, len(s.Policies)
}

// AWSManagedPolicy returns the document of the AWS managed policy arn
// (arn:aws:iam::aws:policy/[PATH/]NAME) as AWS publishes it, parsed, or
// false when AWS has no attachable policy of that ARN.
func AWSManagedPolicy(arn string) (*Policy, bool) {
	name, ok := strings.CutPrefix(arn, AWSManagedPrefix)
	if !ok {
		return nil, false
	}
	s := awsManaged()
	raw, ok := s.Policies[name]
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.parsed[name]; p != nil {
		return p, true
	}
	p, err := ParsePolicy([]byte(raw))
	if err != nil {
		// A document AWS accepts and our parser does not: grant nothing
		// rather than guess (TestAWSManagedPoliciesParse keeps this empty).
		return nil, false
	}
	s.parsed[name] = p
	return p, true
}

// awsManagedDocument returns the JSON document of an AWS managed policy.
func awsManagedDocument(arn string) (string, bool) {
	name, ok := strings.CutPrefix(arn, AWSManagedPrefix)
	if !ok {
		return "", false
	}
	raw, ok := awsManaged().Policies[name]
	return string(raw), ok
}

// UnparsedAWSManagedPolicies returns the names of the AWS managed policies
// in the snapshot that ParsePolicy refuses, each with its reason; such a
// policy would grant nothing locally.
func UnparsedAWSManagedPolicies() []string {
	var out []string
	for _, name := range sortedKeys(awsManaged().Policies) {
		if _, err := ParsePolicy([]byte(awsManaged().Policies[name])); err != nil {
			out = append(out, name+": "+err.Error())
		}
	}
	return out
}
