package ssm

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzNames feeds parameter names and NAME:VERSION selectors, as the wire
// brings them, to the name checks: no panic, and a selector that splits
// gives back its name and version.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"/app/db-host", "/app/db-host:3", "plain", "a:b", "/aws/x", "arn:aws:ssm:us-east-1:0:parameter/x", "/a:0", "/a:-1", ":", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = checkName(s)
		name, v, err := splitSelector(s)
		if err != nil || v == 0 {
			return
		}
		if want := name + ":" + strconv.FormatInt(v, 10); want != s && !strings.HasPrefix(s[len(name):], ":0") && !strings.HasPrefix(s[len(name):], ":+") {
			t.Fatalf("splitSelector(%q) = %q, %d: does not give the selector back", s, name, v)
		}
	})
}
