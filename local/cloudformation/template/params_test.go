package template

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParameterRules(t *testing.T) {
	tests := []struct {
		name, decl, value string
		wantErr           string
	}{
		{name: "string ok", decl: `{"Type": "String"}`, value: "x"},
		{name: "allowed value", decl: `{"Type": "String", "AllowedValues": ["a", "b"]}`, value: "b"},
		{name: "not an allowed value", decl: `{"Type": "String", "AllowedValues": ["a", "b"]}`, value: "c", wantErr: "Parameter 'P' must be one of AllowedValues"},
		{name: "pattern", decl: `{"Type": "String", "AllowedPattern": "[a-z]+"}`, value: "abc"},
		{name: "pattern is anchored", decl: `{"Type": "String", "AllowedPattern": "[a-z]+"}`, value: "abc1", wantErr: "Parameter 'P' must match pattern [a-z]+"},
		{name: "constraint description", decl: `{"Type": "String", "AllowedPattern": "[a-z]+", "ConstraintDescription": "lowercase only"}`, value: "A", wantErr: "Parameter 'P' failed to satisfy constraint: lowercase only"},
		{name: "min length", decl: `{"Type": "String", "MinLength": 2}`, value: "a", wantErr: "must contain at least 2 characters"},
		{name: "max length", decl: `{"Type": "String", "MaxLength": "2"}`, value: "abc", wantErr: "must contain at most 2 characters"},
		{name: "number", decl: `{"Type": "Number"}`, value: "1.5"},
		{name: "not a number", decl: `{"Type": "Number"}`, value: "x", wantErr: "Parameter 'P' must be a number"},
		{name: "min value", decl: `{"Type": "Number", "MinValue": 1}`, value: "0", wantErr: "must be a number not less than 1"},
		{name: "max value", decl: `{"Type": "Number", "MaxValue": 10}`, value: "11", wantErr: "must be a number not greater than 10"},
		{name: "number allowed values", decl: `{"Type": "Number", "AllowedValues": [1, 2]}`, value: "2"},
		{name: "list of numbers", decl: `{"Type": "List<Number>"}`, value: "1,2", wantErr: ""},
		{name: "list of numbers bad element", decl: `{"Type": "List<Number>"}`, value: "1,x", wantErr: "must be a number"},
		{name: "comma delimited allowed per element", decl: `{"Type": "CommaDelimitedList", "AllowedValues": ["a", "b"]}`, value: "a,c", wantErr: "must be one of AllowedValues"},
		{name: "EC2 type is a string", decl: `{"Type": "AWS::EC2::VPC::Id"}`, value: "vpc-1"},
		{name: "list of EC2 type", decl: `{"Type": "List<AWS::EC2::Subnet::Id>"}`, value: "subnet-1,subnet-2"},
		{name: "SSM parameter name", decl: `{"Type": "AWS::SSM::Parameter::Name"}`, value: "/my/param"},
		{name: "SSM value: the value is a name", decl: `{"Type": "AWS::SSM::Parameter::Value<String>"}`, value: "/my/param"},
		{name: "SSM list value: one name", decl: `{"Type": "AWS::SSM::Parameter::Value<List<String>>", "AllowedValues": ["/a,b"]}`, value: "/a,b"},
		{name: "SSM EC2 value", decl: `{"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"}`, value: "/ami"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse([]byte(`{"Parameters": {"P": ` + tc.decl + `}, "Resources": {"R": {"Type": "AWS::EC2::VPC"}}}`))
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			_, err = tpl.ResolveParameters(map[string]string{"P": tc.value})
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("ResolveParameters(P=%q) with %s = %v, want %q", tc.value, tc.decl, err, tc.wantErr)
			}
		})
	}
}

func TestParameterDeclarationErrors(t *testing.T) {
	tests := []struct {
		name, decl, wantErr string
	}{
		{name: "SSM value of a type SSM does not hold", decl: `{"Type": "AWS::SSM::Parameter::Value<Number>"}`, wantErr: "Unrecognized parameter type: AWS::SSM::Parameter::Value<Number>"},
		{name: "unknown type", decl: `{"Type": "Strin"}`, wantErr: "Unrecognized parameter type: Strin"},
		{name: "no type", decl: `{"Default": "x"}`, wantErr: "must contain a Type member"},
		{name: "default breaks constraint", decl: `{"Type": "String", "AllowedValues": ["a"], "Default": "b"}`, wantErr: "Default value: Parameter 'P' must be one of AllowedValues"},
		{name: "bad pattern", decl: `{"Type": "String", "AllowedPattern": "("}`, wantErr: "is not a valid regular expression"},
		{name: "bad MinLength", decl: `{"Type": "String", "MinLength": "x"}`, wantErr: "MinLength must be a non-negative integer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(`{"Parameters": {"P": ` + tc.decl + `}, "Resources": {"R": {"Type": "AWS::EC2::VPC"}}}`))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Parse(%s) = %v, want error containing %q", tc.decl, err, tc.wantErr)
			}
		})
	}
}

func TestResolveParameters(t *testing.T) {
	tpl, err := Parse([]byte(`{"Parameters": {
		"A": {"Type": "String"}, "B": {"Type": "String", "Default": "b"}, "C": {"Type": "Number", "Default": 7}},
		"Resources": {"R": {"Type": "AWS::EC2::VPC"}}}`))
	if err != nil {
		t.Fatalf("Parse = %v", err)
	}
	tests := []struct {
		name    string
		given   map[string]string
		want    map[string]string
		wantErr string
	}{
		{name: "defaults fill in", given: map[string]string{"A": "a"}, want: map[string]string{"A": "a", "B": "b", "C": "7"}},
		{name: "given wins", given: map[string]string{"A": "a", "B": "x"}, want: map[string]string{"A": "a", "B": "x", "C": "7"}},
		{name: "missing value", given: nil, wantErr: "Parameters: [A] must have values"},
		{name: "unknown parameter", given: map[string]string{"A": "a", "Z": "z"}, wantErr: "Parameters: [Z] do not exist in the template"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tpl.ResolveParameters(tc.given)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ResolveParameters(%v) = %v, want error %q", tc.given, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ResolveParameters(%v) = %v", tc.given, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ResolveParameters(%v) (-want +got):\n%s", tc.given, diff)
			}
		})
	}
}
