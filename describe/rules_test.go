package describe

import (
	"testing"
	"time"

	"github.com/sparta-go/sparta/step"
)

func TestRuleText(t *testing.T) {
	ts := time.Date(2016, 3, 14, 1, 59, 0, 0, time.UTC)
	tests := []struct {
		name string
		cmp  step.Comparison
		want string
	}{
		{"not", &step.Not{Comparison: &step.NumericGreaterThan{Variable: "$.roll", Value: 3}}, "not ($.roll > 3)"},
		{"string equals", &step.StringEquals{Variable: "$.name", Value: `a "b"`}, `$.name == "a \"b\""`},
		{"less than equals", &step.NumericLessThanEquals{Variable: "$.n", Value: 2.5}, "$.n <= 2.5"},
		{"greater than equals path", &step.StringGreaterThanEqualsPath{Variable: "$.a", Value: "$.b"}, "$.a >= $.b"},
		{"matches", &step.StringMatches{Variable: "$.file", Value: "log-*.txt"}, `$.file matches "log-*.txt"`},
		{"timestamp", &step.TimestampLessThan{Variable: "$.when", Value: ts}, "$.when < 2016-03-14T01:59:00Z"},
		{"boolean", &step.BooleanEquals{Variable: "$.ok", Value: true}, "$.ok == true"},
		{"is present", &step.IsPresent{Variable: "$.x", Value: true}, "$.x is present"},
		{"is absent", &step.IsPresent{Variable: "$.x"}, "$.x is absent"},
		{"is not null", &step.IsNull{Variable: "$.x"}, "$.x is not null"},
		{"and of or", &step.And{Comparison: []step.Comparison{
			&step.IsNumeric{Variable: "$.v", Value: true},
			&step.Or{Comparison: []step.Comparison{
				&step.NumericEquals{Variable: "$.v", Value: 7},
				&step.Not{Comparison: &step.StringEquals{Variable: "$.s", Value: "x"}},
			}},
		}}, `$.v is numeric and ($.v == 7 or not ($.s == "x"))`},
		{"jsonata", step.Condition("{% $states.input.n > 1 %}"), "$states.input.n > 1"},
		{"nil", nil, "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleText(tt.cmp); got != tt.want {
				t.Errorf("ruleText(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"$.items is present and ($.tier == 1)", 20, []string{"$.items is present", "and ($.tier == 1)"}},
		{"abcdefghijklmnopqrstuvwxyz", 10, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
	}
	for _, tt := range tests {
		got := wrap(tt.in, tt.max)
		if len(got) != len(tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
				break
			}
		}
	}
}
