package template_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/local/cloudformation/template"
)

// stubResources answers Ref with "phys-<id>" and GetAtt with "<id>.<attr>".
type stubResources struct{}

func (stubResources) Ref(id string) (string, error)       { return "phys-" + id, nil }
func (stubResources) GetAtt(id, attr string) (any, error) { return id + "." + attr, nil }

func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

const edgeTemplate = `{
  "Parameters": {
    "Env": {"Type": "String", "Default": "dev"},
    "Zones": {"Type": "CommaDelimitedList", "Default": "a,b,c"}
  },
  "Mappings": {"M": {"k1": {"k2": "v"}}},
  "Conditions": {"IsDev": {"Fn::Equals": [{"Ref": "Env"}, "dev"]}},
  "Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}
}`

func edgeEvaluator(t *testing.T) *template.Evaluator {
	t.Helper()
	tpl, err := template.Parse([]byte(edgeTemplate))
	if err != nil {
		t.Fatalf("Parse = %v", err)
	}
	values, err := tpl.ResolveParameters(nil)
	if err != nil {
		t.Fatalf("ResolveParameters = %v", err)
	}
	e, err := tpl.Evaluator(template.Env{Parameters: values, AccountID: "000000000000", Region: "us-east-1", StackName: "st", Resources: stubResources{}})
	if err != nil {
		t.Fatalf("Evaluator = %v", err)
	}
	return e
}

// TestIntrinsicEdges pins each intrinsic at its bounds and every malformed
// argument: an error naming the function, never a panic.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
func TestIntrinsicEdges(t *testing.T) {
	tests := []struct {
		name, in string
		want     any
		wantErr  string
	}{
		// Fn::Select: the index at 0, at the last element, at the length and one past.
		{name: "Select index 0", in: `{"Fn::Select": [0, ["x", "y", "z"]]}`, want: "x"},
		{name: "Select last index", in: `{"Fn::Select": [2, ["x", "y", "z"]]}`, want: "z"},
		{name: "Select index equal to the length", in: `{"Fn::Select": [3, ["x", "y", "z"]]}`, wantErr: "cannot select nonexistent value at index 3"},
		{name: "Select index one past the length", in: `{"Fn::Select": [4, ["x", "y", "z"]]}`, wantErr: "cannot select nonexistent value at index 4"},
		{name: "Select negative index", in: `{"Fn::Select": [-1, ["x", "y", "z"]]}`, wantErr: "cannot select nonexistent value at index -1"},
		{name: "Select from an empty list", in: `{"Fn::Select": [0, []]}`, wantErr: "cannot select nonexistent value at index 0"},
		{name: "Select index as text", in: `{"Fn::Select": ["1", ["x", "y"]]}`, want: "y"},
		{name: "Select index by Ref", in: `{"Fn::Select": [{"Fn::Select": [0, ["1"]]}, ["x", "y"]]}`, want: "y"},
		{name: "Select length of a list parameter", in: `{"Fn::Select": [3, {"Ref": "Zones"}]}`, wantErr: "cannot select nonexistent value at index 3"},
		{name: "Select last of a list parameter", in: `{"Fn::Select": [2, {"Ref": "Zones"}]}`, want: "c"},
		{name: "Select fractional index", in: `{"Fn::Select": [1.5, ["x", "y"]]}`, wantErr: "index must be an integer"},
		{name: "Select word index", in: `{"Fn::Select": ["one", ["x", "y"]]}`, wantErr: "index must be an integer"},
		{name: "Select list index", in: `{"Fn::Select": [[0], ["x"]]}`, wantErr: "index must be an integer"},
		{name: "Select from a string", in: `{"Fn::Select": [0, "xyz"]}`, wantErr: "second element must be a list"},
		{name: "Select with one argument", in: `{"Fn::Select": [0]}`, wantErr: "Fn::Select takes a list of 2 values"},
		{name: "Select with three arguments", in: `{"Fn::Select": [0, ["x"], 1]}`, wantErr: "Fn::Select takes a list of 2 values"},
		{name: "Select with no list", in: `{"Fn::Select": "0"}`, wantErr: "Fn::Select takes a list of 2 values"},

		{name: "Join empty list", in: `{"Fn::Join": [",", []]}`, want: ""},
		{name: "Join empty delimiter", in: `{"Fn::Join": ["", ["a", "b"]]}`, want: "ab"},
		{name: "Join one element", in: `{"Fn::Join": ["-", ["a"]]}`, want: "a"},
		{name: "Join number delimiter", in: `{"Fn::Join": [1, ["a", "b"]]}`, wantErr: "delimiter must be a string"},
		{name: "Join list of lists", in: `{"Fn::Join": [",", [["a"]]]}`, wantErr: "must be a list of strings"},
		{name: "Join one argument", in: `{"Fn::Join": [","]}`, wantErr: "Fn::Join takes a list of 2 values"},

		{name: "Split no delimiter found", in: `{"Fn::Split": [",", "abc"]}`, want: []any{"abc"}},
		{name: "Split empty string", in: `{"Fn::Split": [",", ""]}`, want: []any{""}},
		{name: "Split trailing delimiter", in: `{"Fn::Split": [",", "a,"]}`, want: []any{"a", ""}},
		{name: "Split empty delimiter", in: `{"Fn::Split": ["", "abc"]}`, wantErr: "Fn::Split takes [non-empty delimiter, string]"},
		{name: "Split a list", in: `{"Fn::Split": [",", ["a"]]}`, wantErr: "Fn::Split takes [non-empty delimiter, string]"},
		{name: "Split three arguments", in: `{"Fn::Split": [",", "a", "b"]}`, wantErr: "Fn::Split takes a list of 2 values"},

		{name: "If two arguments", in: `{"Fn::If": ["IsDev", 1]}`, wantErr: "Fn::If takes [condition name, value if true, value if false]"},
		{name: "If four arguments", in: `{"Fn::If": ["IsDev", 1, 2, 3]}`, wantErr: "Fn::If takes [condition name, value if true, value if false]"},
		{name: "If condition not a name", in: `{"Fn::If": [true, 1, 2]}`, wantErr: "Fn::If's first element must name a condition"},

		{name: "GetAtt short form", in: `{"Fn::GetAtt": "Vpc.CidrBlock"}`, want: "Vpc.CidrBlock"},
		{name: "GetAtt short form keeps later dots", in: `{"Fn::GetAtt": "Vpc.Endpoint.Address"}`, want: "Vpc.Endpoint.Address"},
		{name: "GetAtt short form without a dot", in: `{"Fn::GetAtt": "Vpc"}`, wantErr: "Fn::GetAtt takes [resource, attribute]"},
		{name: "GetAtt one element", in: `{"Fn::GetAtt": ["Vpc"]}`, wantErr: "Fn::GetAtt takes [resource, attribute]"},
		{name: "GetAtt three elements", in: `{"Fn::GetAtt": ["Vpc", "A", "B"]}`, wantErr: "Fn::GetAtt takes [resource, attribute]"},
		{name: "GetAtt resource not a string", in: `{"Fn::GetAtt": [1, "A"]}`, wantErr: "Fn::GetAtt takes [resource, attribute]"},
		{name: "GetAtt attribute a list", in: `{"Fn::GetAtt": ["Vpc", ["A"]]}`, wantErr: "attribute name must be a string"},

		{name: "Sub two-part variable", in: `{"Fn::Sub": ["${A}-${Env}", {"A": "x"}]}`, want: "x-dev"},
		{name: "Sub two-part variable wins over a parameter", in: `{"Fn::Sub": ["${Env}", {"Env": "mine"}]}`, want: "mine"},
		{name: "Sub two-part variable with a dot", in: `{"Fn::Sub": ["${A.B}", {"A.B": "x"}]}`, want: "x"},
		{name: "Sub two-part empty map", in: `{"Fn::Sub": ["${Env}", {}]}`, want: "dev"},
		{name: "Sub spaces inside braces", in: `{"Fn::Sub": "${ Env }"}`, want: "dev"},
		{name: "Sub dollar alone", in: `{"Fn::Sub": "$ and $Env"}`, want: "$ and $Env"},
		{name: "Sub GetAtt variable", in: `{"Fn::Sub": "${Vpc.CidrBlock}"}`, want: "Vpc.CidrBlock"},
		{name: "Sub one-element list", in: `{"Fn::Sub": ["${Env}"]}`, wantErr: "Fn::Sub takes a string or [string, {variable: value}]"},
		{name: "Sub map not an object", in: `{"Fn::Sub": ["${Env}", ["x"]]}`, wantErr: "Fn::Sub takes a string or [string, {variable: value}]"},
		{name: "Sub a number", in: `{"Fn::Sub": 1}`, wantErr: "Fn::Sub takes a string or [string, {variable: value}]"},
		{name: "Sub variable a list", in: `{"Fn::Sub": ["${A}", {"A": ["x"]}]}`, wantErr: "Fn::Sub variable A must be a string"},
		{name: "Sub unknown variable", in: `{"Fn::Sub": "${Nope}"}`, wantErr: "Unresolved resource dependencies [Nope]"},

		{name: "Base64 of a list", in: `{"Fn::Base64": ["a"]}`, wantErr: "Fn::Base64 takes a string"},
		{name: "Base64 empty", in: `{"Fn::Base64": ""}`, want: ""},
		{name: "FindInMap two keys", in: `{"Fn::FindInMap": ["M", "k1"]}`, wantErr: "Fn::FindInMap takes a list of 3 values"},
		{name: "FindInMap list key", in: `{"Fn::FindInMap": ["M", ["k1"], "k2"]}`, wantErr: "Fn::FindInMap's keys must be strings"},
		{name: "FindInMap missing map", in: `{"Fn::FindInMap": ["Nope", "k1", "k2"]}`, wantErr: "Unable to get mapping for Nope::k1::k2"},
		{name: "FindInMap missing second key", in: `{"Fn::FindInMap": ["M", "k1", "nope"]}`, wantErr: "Unable to get mapping for M::k1::nope"},
		{name: "ImportValue of a list", in: `{"Fn::ImportValue": ["a"]}`, wantErr: "Fn::ImportValue takes an export name"},
		{name: "Cidr two arguments", in: `{"Fn::Cidr": ["10.0.0.0/16", 2]}`, wantErr: "Fn::Cidr takes a list of 3 values"},
		{name: "Cidr word count", in: `{"Fn::Cidr": ["10.0.0.0/16", "two", 8]}`, wantErr: "Fn::Cidr takes [ipBlock, count, cidrBits]"},
		{name: "GetAZs of a list", in: `{"Fn::GetAZs": ["a"]}`, wantErr: "Fn::GetAZs takes a region name"},
		{name: "Ref of a number", in: `{"Ref": 1}`, wantErr: "Ref takes the name of a parameter, resource or pseudo parameter"},
	}
	e := edgeEvaluator(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.Resolve(decodeJSON(t, tc.in), "Test")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Resolve(%s) = %v, %v, want error containing %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%s) = %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Resolve(%s) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}
