//go:build !lambdabinary

package cfn_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
)

// TestLogicalIDForms: what survives sanitizing, at the 255-character limit
// and one past it.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html.
func TestLogicalIDForms(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,254}$`)
	tests := []struct {
		name   string
		parts  []string
		prefix string
	}{
		{"words are title-cased", []string{"roll die-fast_now"}, "RollDieFastNow"},
		{"non-ASCII letters are dropped", []string{"café"}, "Caf"},
		{"digits first get a letter", []string{"9lives"}, "R9lives"},
		{"nothing left gets a letter", []string{"---"}, "R"},
		{"no parts", nil, "R"},
		{"parts are concatenated", []string{"a", "b"}, "AB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := cfn.LogicalID(tt.parts...)
			if !valid.MatchString(id) || len(id) != len(tt.prefix)+8 || !strings.HasPrefix(id, tt.prefix) {
				t.Errorf("LogicalID(%q) = %q, want %q and 8 hex digits", tt.parts, id, tt.prefix)
			}
		})
	}
	for _, n := range []int{246, 247, 248, 400} {
		id := cfn.LogicalID(strings.Repeat("x", n))
		want := min(n+8, 255)
		if len(id) != want || !valid.MatchString(id) {
			t.Errorf("LogicalID(%d letters) has length %d, want %d", n, len(id), want)
		}
	}
	if a, b := cfn.LogicalID(strings.Repeat("x", 300)), cfn.LogicalID(strings.Repeat("x", 301)); a == b {
		t.Errorf("two long names cut to the same prefix share the ID %q", a)
	}
}

// TestFunctionNameLimit: 64 characters is kept whole, 65 is cut with a
// hash; invalid characters become '-'.
func TestFunctionNameLimit(t *testing.T) {
	tests := []struct {
		name, service, function string
		want                    string // "" when cut
	}{
		{"at 64", strings.Repeat("s", 61), "fn", strings.Repeat("s", 61) + "_fn"},
		{"invalid characters", "my svc", "fn.v2", "my-svc_fn-v2"},
		{"at 65", strings.Repeat("s", 62), "fn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cfn.FunctionName(tt.service, tt.function)
			if tt.want != "" {
				if got != tt.want {
					t.Errorf("FunctionName = %q, want %q", got, tt.want)
				}
				return
			}
			if len(got) != 64 || !strings.HasPrefix(got, (tt.service + "_" + tt.function)[:55]+"-") {
				t.Errorf("FunctionName = %q (%d), want 55 characters, '-' and 8 hex digits", got, len(got))
			}
		})
	}
}
