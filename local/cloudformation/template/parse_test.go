package template

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestYAMLShortForms(t *testing.T) {
	body := `
AWSTemplateFormatVersion: 2010-09-09
Description: short forms
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  NotDev: !Not [!Condition IsDev]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: true
      Count: 3
      Ratio: 1.50
      Tags:
        - Key: Name
          Value: !Sub "${AWS::StackName}-vpc"
        - Key: Joined
          Value: !Join [",", [a, !Ref Env]]
        - Key: Az
          Value: !Select [0, !GetAZs ""]
        - Key: Cidr
          Value: !GetAtt Other.CidrBlock
        - Key: B64
          Value: !Base64 hi
        - Key: If
          Value: !If [IsDev, yes-dev, !Ref AWS::NoValue]
        - Key: Split
          Value: !Split [",", "a,b"]
        - Key: Map
          Value: !FindInMap [M, a, b]
        - Key: Import
          Value: !ImportValue other
        - Key: Cidrs
          Value: !Cidr [10.0.0.0/16, 2, 8]
        - Key: Or
          Value: !Or [!Condition IsDev, !Condition NotDev]
        - Key: And
          Value: !And [!Condition IsDev, !Condition NotDev]
  Other:
    Type: AWS::EC2::VPC
Mappings:
  M: {a: {b: c}}
`
	doc, err := Decode([]byte(body))
	if err != nil {
		t.Fatalf("Decode = %v", err)
	}
	props := doc["Resources"].(map[string]any)["Vpc"].(map[string]any)["Properties"].(map[string]any)
	got := map[string]any{}
	for _, tag := range props["Tags"].([]any) {
		m := tag.(map[string]any)
		got[m["Key"].(string)] = m["Value"]
	}
	want := map[string]any{
		"Name":   map[string]any{"Fn::Sub": "${AWS::StackName}-vpc"},
		"Joined": map[string]any{"Fn::Join": []any{",", []any{"a", map[string]any{"Ref": "Env"}}}},
		"Az":     map[string]any{"Fn::Select": []any{json.Number("0"), map[string]any{"Fn::GetAZs": ""}}},
		"Cidr":   map[string]any{"Fn::GetAtt": []any{"Other", "CidrBlock"}},
		"B64":    map[string]any{"Fn::Base64": "hi"},
		"If":     map[string]any{"Fn::If": []any{"IsDev", "yes-dev", map[string]any{"Ref": "AWS::NoValue"}}},
		"Split":  map[string]any{"Fn::Split": []any{",", "a,b"}},
		"Map":    map[string]any{"Fn::FindInMap": []any{"M", "a", "b"}},
		"Import": map[string]any{"Fn::ImportValue": "other"},
		"Cidrs":  map[string]any{"Fn::Cidr": []any{"10.0.0.0/16", json.Number("2"), json.Number("8")}},
		"Or":     map[string]any{"Fn::Or": []any{map[string]any{"Condition": "IsDev"}, map[string]any{"Condition": "NotDev"}}},
		"And":    map[string]any{"Fn::And": []any{map[string]any{"Condition": "IsDev"}, map[string]any{"Condition": "NotDev"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("short forms (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{true, json.Number("3"), json.Number("1.50"), "2010-09-09"},
		[]any{props["EnableDnsSupport"], props["Count"], props["Ratio"], doc["AWSTemplateFormatVersion"]}); diff != "" {
		t.Errorf("scalars (-want +got):\n%s", diff)
	}
	if _, err := Parse([]byte(body)); err != nil {
		t.Errorf("Parse = %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, body, wantErr string }{
		{name: "empty", body: "  ", wantErr: "the template is empty"},
		{name: "bad JSON", body: `{"Resources": `, wantErr: "JSON not well-formed"},
		{name: "trailing JSON", body: `{} {}`, wantErr: "data after the top-level object"},
		{name: "bad YAML", body: "a: [", wantErr: "YAML not well-formed"},
		{name: "not a mapping", body: "- a", wantErr: "must be a JSON object or a YAML mapping"},
		{name: "unknown tag", body: "a: !Nope x", wantErr: "unknown YAML tag !Nope"},
		{name: "GetAtt without dot", body: "a: !GetAtt x", wantErr: "is not of the form Resource.Attribute"},
		{name: "duplicate key", body: "a: 1\na: 2", wantErr: "mapping key \"a\" is duplicated"},
		{name: "alias bomb", body: "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]", wantErr: "YAML expands to more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Decode(%q) = %v, want error containing %q", tc.body, err, tc.wantErr)
			}
		})
	}
}

// FuzzParse checks that no template body makes the parser, the checks or
// the evaluator panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(evalTemplate))
	f.Add([]byte("Resources:\n  R:\n    Type: T\n    Properties:\n      A: !Sub '${AWS::Region}-${!x}'\n      B: !GetAtt R2.Arn\n  R2: {Type: T, DependsOn: R}\n"))
	f.Add([]byte(`{"Resources": {"A": {"Type": "T", "Properties": {"X": {"Fn::Cidr": ["10.0.0.0/8", 256, 1]}}}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tpl, err := Parse(body)
		if err != nil {
			return
		}
		params := map[string]string{}
		for n, p := range tpl.Parameters {
			if p.Default == nil {
				params[n] = "x"
			}
		}
		values, err := tpl.ResolveParameters(params)
		if err != nil {
			return
		}
		e, err := tpl.Evaluator(Env{Parameters: values, Region: "us-east-1", Resources: fakeResources{}})
		if err != nil {
			return
		}
		for _, id := range e.ActiveResources() {
			_, _ = e.Properties(id)
		}
		_, _ = e.Outputs()
		_, _ = Order(tpl.Deps)
	})
}
