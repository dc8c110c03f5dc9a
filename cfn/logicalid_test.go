package cfn_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
)

// The values are pinned: a change would rename every deployed resource, which
// CloudFormation treats as delete-and-create.
func TestLogicalIDIsStable(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"rollDie", "Lambda"}, "RollDieLambdacbf9b6ca"},
		{[]string{"roll-die", "Lambda"}, "RollDieLambdaedf2d2ce"},
		{[]string{"42", "x"}, "R42X87656c86"},
	}
	for _, tt := range tests {
		if got := cfn.LogicalID(tt.parts...); got != tt.want {
			t.Errorf("LogicalID(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}

func TestLogicalIDKeepsDistinctNamesDistinct(t *testing.T) {
	pairs := [][2][]string{
		{{"roll-die"}, {"rolldie"}},
		{{"ab", "c"}, {"a", "bc"}},
		{{"a_b"}, {"a-b"}},
	}
	valid := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,254}$`)
	for _, p := range pairs {
		a, b := cfn.LogicalID(p[0]...), cfn.LogicalID(p[1]...)
		if a == b {
			t.Errorf("LogicalID(%q) == LogicalID(%q) == %q, want distinct", p[0], p[1], a)
		}
		for _, id := range []string{a, b} {
			if !valid.MatchString(id) {
				t.Errorf("LogicalID = %q, not a valid CloudFormation logical ID", id)
			}
		}
	}
	if long := cfn.LogicalID(strings.Repeat("x", 400)); len(long) > 255 {
		t.Errorf("LogicalID(400 chars) has length %d, want at most 255", len(long))
	}
}

func TestUserScopedStackName(t *testing.T) {
	got := cfn.UserScopedStackName("My Service")
	if !regexp.MustCompile(`^My-Service-[A-Za-z0-9-]+$`).MatchString(got) {
		t.Fatalf("UserScopedStackName = %q, want My-Service-<user>", got)
	}
}

func TestFunctionName(t *testing.T) {
	if got := cfn.FunctionName("svc", "fn"); got != "svc_fn" {
		t.Errorf("FunctionName = %q, want svc_fn", got)
	}
	long := cfn.FunctionName(strings.Repeat("s", 60), "fn")
	other := cfn.FunctionName(strings.Repeat("s", 60), "fm")
	if len(long) > 64 || long == other {
		t.Errorf("FunctionName for long names = %q, %q: want <= 64 chars and distinct", long, other)
	}
}
