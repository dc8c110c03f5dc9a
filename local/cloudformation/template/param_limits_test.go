package template_test

import (
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/cloudformation/template"
)

// TestParameterLimits pins MinLength, MaxLength, MinValue and MaxValue at
// the limit and one past it, in each spelling a declaration may use (a
// JSON number or a string), with characters counted as runes.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html.
func TestParameterLimits(t *testing.T) {
	tests := []struct {
		name, decl, value, wantErr string
	}{
		{"MinLength at the limit", `{"Type": "String", "MinLength": 2}`, "ab", ""},
		{"MinLength one short", `{"Type": "String", "MinLength": 2}`, "a", "Parameter 'P' must contain at least 2 characters"},
		{"MinLength as a string", `{"Type": "String", "MinLength": "2"}`, "a", "must contain at least 2 characters"},
		{"MinLength 0 takes the empty string", `{"Type": "String", "MinLength": 0}`, "", ""},
		{"MaxLength at the limit", `{"Type": "String", "MaxLength": 3}`, "abc", ""},
		{"MaxLength one past", `{"Type": "String", "MaxLength": 3}`, "abcd", "Parameter 'P' must contain at most 3 characters"},
		{"MaxLength counts runes", `{"Type": "String", "MaxLength": 3}`, "ééé", ""},
		{"MaxLength counts runes, one past", `{"Type": "String", "MaxLength": 3}`, "éééé", "must contain at most 3 characters"},
		{"MaxLength 0", `{"Type": "String", "MaxLength": 0}`, "", ""},
		{"MinLength and MaxLength equal", `{"Type": "String", "MinLength": 2, "MaxLength": 2}`, "ab", ""},
		{"MinValue at the limit", `{"Type": "Number", "MinValue": 1}`, "1", ""},
		{"MinValue just below", `{"Type": "Number", "MinValue": 1}`, "0.999", "Parameter 'P' must be a number not less than 1"},
		{"MinValue as a string", `{"Type": "Number", "MinValue": "1"}`, "0", "must be a number not less than 1"},
		{"MinValue negative", `{"Type": "Number", "MinValue": -5}`, "-5", ""},
		{"MinValue negative, one below", `{"Type": "Number", "MinValue": -5}`, "-6", "must be a number not less than -5"},
		{"MaxValue at the limit", `{"Type": "Number", "MaxValue": 10}`, "10", ""},
		{"MaxValue at the limit written as a float", `{"Type": "Number", "MaxValue": 10}`, "10.0", ""},
		{"MaxValue just above", `{"Type": "Number", "MaxValue": 10}`, "10.001", "Parameter 'P' must be a number not greater than 10"},
		{"MaxValue fractional limit", `{"Type": "Number", "MaxValue": 2.5}`, "2.6", "must be a number not greater than 2.5"},
		{"value with spaces around a number", `{"Type": "Number", "MaxValue": 10}`, " 10 ", ""},
		{"list of numbers, each element checked", `{"Type": "List<Number>", "MaxValue": 10}`, "1,10,11", "must be a number not greater than 10"},
		{"list of numbers at the limit", `{"Type": "List<Number>", "MinValue": 1, "MaxValue": 10}`, "1,10", ""},
		{"comma list, each element's length", `{"Type": "CommaDelimitedList", "MaxLength": 2}`, "ab,abc", "must contain at most 2 characters"},
		{"constraint description replaces the message", `{"Type": "Number", "MaxValue": 1, "ConstraintDescription": "one at most"}`, "2", "Parameter 'P' failed to satisfy constraint: one at most"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := template.Parse([]byte(`{"Parameters": {"P": ` + tc.decl + `}, "Resources": {"R": {"Type": "AWS::EC2::VPC"}}}`))
			if err != nil {
				t.Fatalf("Parse(%s) = %v", tc.decl, err)
			}
			_, err = tpl.ResolveParameters(map[string]string{"P": tc.value})
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("ResolveParameters(%q) under %s = %v, want nil", tc.value, tc.decl, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ResolveParameters(%q) under %s = %v, want an error containing %q", tc.value, tc.decl, err, tc.wantErr)
			}
		})
	}
}

// TestParameterLimitDeclarations: a limit that is not a number, or a
// negative length, is refused when the template is read.
func TestParameterLimitDeclarations(t *testing.T) {
	tests := []struct{ name, decl, wantErr string }{
		{"MaxLength negative", `{"Type": "String", "MaxLength": -1}`, "MaxLength must be a non-negative integer, not -1"},
		{"MinLength fractional", `{"Type": "String", "MinLength": 1.5}`, "MinLength must be a non-negative integer, not 1.5"},
		{"MinValue a word", `{"Type": "Number", "MinValue": "one"}`, "MinValue must be a number, not one"},
		{"MaxValue a word", `{"Type": "Number", "MaxValue": "ten"}`, "MaxValue must be a number, not ten"},
		{"Default above MaxValue", `{"Type": "Number", "MaxValue": 1, "Default": 2}`, "Default value: Parameter 'P' must be a number not greater than 1"},
		{"Default at MaxValue", `{"Type": "Number", "MaxValue": 2, "Default": 2}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := template.Parse([]byte(`{"Parameters": {"P": ` + tc.decl + `}, "Resources": {"R": {"Type": "AWS::EC2::VPC"}}}`))
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("Parse(%s) = %v, want nil", tc.decl, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Parse(%s) = %v, want an error containing %q", tc.decl, err, tc.wantErr)
			}
		})
	}
}
