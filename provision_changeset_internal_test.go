//go:build !lambdabinary

package sparta

import (
	"regexp"
	"testing"
	"time"
)

// Two provisions of an unchanged service (same build ID) within one second
// must not reuse a change set name: CloudFormation refuses it with
// AlreadyExistsException. Names follow CreateChangeSet's pattern
// [a-zA-Z][-a-zA-Z0-9]* and its 128-character limit.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html
func TestChangeSetNamesDifferWithinASecond(t *testing.T) {
	at := time.Date(2026, 12, 7, 16, 1, 57, 100, time.UTC)
	a, b := changeSetName("494b2219ddab", at), changeSetName("494b2219ddab", at.Add(time.Millisecond))
	if a == b {
		t.Fatalf("changeSetName gave %q twice within one second", a)
	}
	valid := regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)
	for _, n := range []string{a, b} {
		if !valid.MatchString(n) || len(n) > 128 {
			t.Errorf("changeSetName = %q, not a valid CloudFormation change set name", n)
		}
	}
}
