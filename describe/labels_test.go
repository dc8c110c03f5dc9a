package describe

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step"
)

// TestWrapEdges: a line of exactly max characters stays whole, one more
// wraps; breaks prefer spaces, then ',' or '/' past the first third; runes
// count, not bytes; each paragraph wraps on its own.
func TestWrapEdges(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"empty", "", 10, []string{""}},
		{"exactly max", "abcdefghij", 10, []string{"abcdefghij"}},
		{"one past max", "abcdefghijk", 10, []string{"abcdefghij", "k"}},
		{"space at max", "abcdefghij klm", 10, []string{"abcdefghij", "klm"}},
		{"space one before max", "abcdefghi jklm", 10, []string{"abcdefghi", "jklm"}},
		{"several spaces trimmed", "abcd    efghijklmn", 10, []string{"abcd", "efghijklmn"}},
		{"comma past the first third", "abcdef,ghijklmn", 10, []string{"abcdef,", "ghijklmn"}},
		{"slash past the first third", "arn:aws/abcdefgh", 10, []string{"arn:aws/", "abcdefgh"}},
		{"comma in the first third is not a break", "ab,cdefghijklmn", 10, []string{"ab,cdefghi", "jklmn"}},
		{"the later of a space and a comma", "abc defg,hijk", 10, []string{"abc defg,", "hijk"}},
		{"the later of a comma and a space", "abcd,ef ghijk", 10, []string{"abcd,ef", "ghijk"}},
		{"multibyte runes count once", "ééééééééééé", 10, []string{"éééééééééé", "é"}},
		{"multibyte at max", "éééééééééé", 10, []string{"éééééééééé"}},
		{"newline starts a paragraph", "ab\ncd", 10, []string{"ab", "cd"}},
		{"each paragraph wraps", "abcdefghijkl\nmn", 10, []string{"abcdefghij", "kl", "mn"}},
		{"three lines", strings.Repeat("a", 25), 10, []string{"aaaaaaaaaa", "aaaaaaaaaa", "aaaaa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, wrap(tt.in, tt.max)); diff != "" {
				t.Errorf("wrap(%q, %d) (-want +got):\n%s", tt.in, tt.max, diff)
			}
		})
	}
}

// TestTruncateEdges: at max characters a string is kept, one past it is cut
// to max characters ending in "...".
func TestTruncateEdges(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"empty", "", 5, ""},
		{"exactly max", "abcde", 5, "abcde"},
		{"one past max", "abcdef", 5, "ab..."},
		{"multibyte at max", "ééééé", 5, "ééééé"},
		{"multibyte one past", "éééééé", 5, "éé..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := truncate(tt.in, tt.max); got != tt.want {
				t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

// TestWrapLabels: up to maxLabel lines are shown; past that the first
// rule is cut with "..." and later rules are counted; rules after the first
// read "or ...", other labels (Catch) do not.
func TestWrapLabels(t *testing.T) {
	long := func(lines int) string {
		return strings.TrimSpace(strings.Repeat(strings.Repeat("x", ruleWrap)+" ", lines))
	}
	tests := []struct {
		name   string
		labels []string
		rules  bool
		want   []string
	}{
		{"one short rule", []string{"$.a > 1"}, true, []string{"$.a > 1"}},
		{"two rules", []string{"$.a > 1", "$.b > 2"}, true, []string{"$.a > 1", "or $.b > 2"}},
		{"two catch labels", []string{"Catch A", "Catch B"}, false, []string{"Catch A", "Catch B"}},
		{"rule of exactly maxLabel lines", []string{long(maxLabel)}, true, wrap(long(maxLabel), ruleWrap)},
		{"rule one line past maxLabel", []string{long(maxLabel + 1)}, true, append(wrap(long(maxLabel), ruleWrap)[:maxLabel-1], "...")},
		{"rules filling maxLabel lines", []string{"a", "b", "c", "d", "e", "f"}, true, []string{"a", "or b", "or c", "or d", "or e", "or f"}},
		{"one rule past maxLabel lines", []string{"a", "b", "c", "d", "e", "f", "g"}, true, []string{"a", "or b", "or c", "or d", "or e", "or f", "... and 1 more"}},
		{"three rules past maxLabel lines", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}, true, []string{"a", "or b", "or c", "or d", "or e", "or f", "... and 3 more"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, wrapLabels(tt.labels, tt.rules)); diff != "" {
				t.Errorf("wrapLabels(%q, %v) (-want +got):\n%s", tt.labels, tt.rules, diff)
			}
		})
	}
}

// TestRetryText: the AWS defaults for zero fields, NoRetry, and each
// optional field in the tooltip.
func TestRetryText(t *testing.T) {
	tests := []struct {
		name          string
		r             step.Retrier
		badge, detail string
	}{
		{"defaults", step.Retrier{ErrorEquals: []string{"E"}}, "retry x3: E", "Retry E: 3 times, after 1s, backoff 2"},
		{"one attempt", step.Retrier{ErrorEquals: []string{"E"}, MaxAttempts: 1}, "retry x1: E", "Retry E: 1 times, after 1s, backoff 2"},
		{"no retry", step.Retrier{ErrorEquals: []string{"E", "F"}, MaxAttempts: step.NoRetry}, "no retry: E, F", "Retry E, F: never"},
		{"every field", step.Retrier{ErrorEquals: []string{"E"}, MaxAttempts: 5, IntervalSeconds: 3, BackoffRate: 1.5, MaxDelaySeconds: 60, JitterStrategy: step.JitterFull},
			"retry x5: E", "Retry E: 5 times, after 3s, backoff 1.5, at most 60s, jitter FULL"},
		{"backoff 1", step.Retrier{ErrorEquals: []string{"E"}, BackoffRate: 1}, "retry x3: E", "Retry E: 3 times, after 1s, backoff 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			badge, detail := retryText(tt.r)
			if badge != tt.badge || detail != tt.detail {
				t.Errorf("retryText(%+v) = %q, %q; want %q, %q", tt.r, badge, detail, tt.badge, tt.detail)
			}
		})
	}
}

// TestRetryBadges: maxBadges retriers are all shown; one more is counted.
func TestRetryBadges(t *testing.T) {
	retriers := func(n int) []step.RetryPolicy {
		var rs []step.RetryPolicy
		for i := range n {
			rs = append(rs, step.Retrier{ErrorEquals: []string{"E" + string(rune('a'+i))}})
		}
		return rs
	}
	tests := []struct {
		name string
		n    int
		want []string
	}{
		{"none", 0, nil},
		{"maxBadges", maxBadges, []string{"retry x3: Ea", "retry x3: Eb", "retry x3: Ec"}},
		{"one past maxBadges", maxBadges + 1, []string{"retry x3: Ea", "retry x3: Eb", "retry x3: Ec", "... 1 more retriers"}},
		{"two past maxBadges", maxBadges + 2, []string{"retry x3: Ea", "retry x3: Eb", "retry x3: Ec", "... 2 more retriers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := step.NewResourceTaskState("T", "arn:aws:states:us-east-1:123456789012:activity:a", nil).WithRetriers(retriers(tt.n)...)
			b := &machineBuilder{visited: map[string]bool{}}
			n := b.stateNode(s)
			if diff := cmp.Diff(tt.want, n.badges); diff != "" {
				t.Errorf("badges of %d retriers (-want +got):\n%s", tt.n, diff)
			}
		})
	}
}

// TestStackReferenceForms: every spelling of a reference draws its edge,
// a two-part Fn::Sub variable shadows a resource of the same name, and a
// malformed intrinsic draws nothing instead of failing.
func TestStackReferenceForms(t *testing.T) {
	tests := []struct {
		name, props string
		want        []string
	}{
		{"GetAtt list form", `{"A":{"Fn::GetAtt":["Topic","TopicName"]}}`, []string{"Fn -getatt-> Topic (Fn::GetAtt Topic.TopicName)"}},
		{"GetAtt short form", `{"A":{"Fn::GetAtt":"Topic.TopicName"}}`, []string{"Fn -getatt-> Topic (Fn::GetAtt Topic.TopicName)"}},
		{"Sub string form", `{"A":{"Fn::Sub":"${Topic}"}}`, []string{"Fn -sub-> Topic (Fn::Sub ${Topic})"}},
		{"Sub attribute", `{"A":{"Fn::Sub":"${Topic.TopicName}"}}`, []string{"Fn -sub-> Topic (Fn::Sub ${Topic.TopicName})"}},
		{"Sub literal", `{"A":{"Fn::Sub":"${!Topic}"}}`, nil},
		{"Sub two-part variable shadows the resource", `{"A":{"Fn::Sub":["${Topic}",{"Topic":"x"}]}}`, nil},
		{"Sub two-part variable referring to the resource", `{"A":{"Fn::Sub":["${T}",{"T":{"Ref":"Topic"}}]}}`, []string{"Fn -ref-> Topic (Ref Topic)"}},
		{"Sub two-part string only", `{"A":{"Fn::Sub":["${Topic}"]}}`, []string{"Fn -sub-> Topic (Fn::Sub ${Topic})"}},
		{"Sub empty list", `{"A":{"Fn::Sub":[]}}`, nil},
		{"Sub of a number", `{"A":{"Fn::Sub":1}}`, nil},
		{"GetAtt empty list", `{"A":{"Fn::GetAtt":[]}}`, nil},
		{"Ref of itself", `{"A":{"Ref":"Fn"}}`, nil},
		{"Ref of a pseudo parameter", `{"A":{"Ref":"AWS::Region"}}`, nil},
		{"strongest kind wins", `{"A":{"Ref":"Topic"},"B":{"Fn::GetAtt":["Topic","TopicName"]},"C":{"Fn::Sub":"${Topic}"}}`, []string{"Fn -getatt-> Topic (Ref Topic, Fn::GetAtt Topic.TopicName, Fn::Sub ${Topic})"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := `{"Resources":{"Fn":{"Type":"AWS::Lambda::Function","Properties":` + tt.props + `},"Topic":{"Type":"AWS::SNS::Topic"}}}`
			var doc cfnDoc
			if err := json.Unmarshal([]byte(tmpl), &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range stackGraph(doc).edges {
				got = append(got, e.from.title+" -"+e.kind.class()+"-> "+e.to.title+" ("+e.tooltip+")")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("edges of %s (-want +got):\n%s", tt.props, diff)
			}
		})
	}
}

// TestTextWidth: bold is 8% wider; a character outside ASCII counts as a
// wide letter.
func TestTextWidth(t *testing.T) {
	tests := []struct {
		name string
		s    string
		bold bool
		want float64
	}{
		{"empty", "", false, 0},
		{"space", " ", false, 2.78},
		{"tilde, the last ASCII", "~", false, 5.84},
		{"W", "W", false, 9.44},
		{"bold W", "W", true, 9.44 * 1.08},
		{"non-ASCII", "é", false, 7.22},
		{"control character", "\t", false, 7.22},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := textWidth(tt.s, 10, tt.bold)
			if d := got - tt.want; d > 1e-9 || d < -1e-9 {
				t.Errorf("textWidth(%q, 10, %v) = %v, want %v", tt.s, tt.bold, got, tt.want)
			}
		})
	}
}
