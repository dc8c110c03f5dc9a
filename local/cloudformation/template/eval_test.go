package template

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeResources answers Ref with "phys-<id>" and GetAtt with
// "<id>.<attr>", except the list attribute Subnets.
type fakeResources struct{}

func (fakeResources) Ref(id string) (string, error) { return "phys-" + id, nil }
func (fakeResources) GetAtt(id, attr string) (any, error) {
	if attr == "Missing" {
		return nil, fmt.Errorf("resource %s has no attribute %s", id, attr)
	}
	if attr == "Subnets" {
		return []any{"s-1", "s-2"}, nil
	}
	return id + "." + attr, nil
}

const evalTemplate = `{
  "Parameters": {
    "Env": {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]},
    "Zones": {"Type": "CommaDelimitedList", "Default": "a,b,c"},
    "Size": {"Type": "Number", "Default": 3}
  },
  "Mappings": {"Regions": {"us-east-1": {"Ami": "ami-123", "Count": 2, "List": ["x", "y"]}}},
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
    "Both": {"Fn::And": [{"Condition": "IsDev"}, {"Fn::Equals": ["1", "1"]}]},
    "Either": {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]},
    "SizeIsThree": {"Fn::Equals": [{"Ref": "Size"}, 3]}
  },
  "Resources": {
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
    "Prod": {"Type": "AWS::EC2::VPC", "Condition": "IsProd", "Properties": {"CidrBlock": "10.1.0.0/16"}},
    "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}}}
  },
  "Outputs": {
    "VpcId": {"Value": {"Ref": "Vpc"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-vpc"}}},
    "ProdId": {"Condition": "IsProd", "Value": {"Ref": "Prod"}}
  }
}`

func evaluator(t *testing.T, params map[string]string) *Evaluator {
	t.Helper()
	tpl, err := Parse([]byte(evalTemplate))
	if err != nil {
		t.Fatalf("Parse = %v", err)
	}
	values, err := tpl.ResolveParameters(params)
	if err != nil {
		t.Fatalf("ResolveParameters = %v", err)
	}
	e, err := tpl.Evaluator(Env{
		Parameters: values, AccountID: "000000000000", Region: "us-east-1",
		StackName: "st", StackID: "arn:aws:cloudformation:us-east-1:000000000000:stack/st/id",
		NotificationARNs: []string{"arn:sns"},
		Resources:        fakeResources{},
		Imports: func(name string) (string, bool) {
			if name == "shared-vpc" {
				return "vpc-shared", true
			}
			return "", false
		},
	})
	if err != nil {
		t.Fatalf("Evaluator = %v", err)
	}
	return e
}

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

func TestIntrinsics(t *testing.T) {
	tests := []struct {
		name, in string
		want     any
		wantErr  string
	}{
		{name: "Ref parameter", in: `{"Ref": "Env"}`, want: "dev"},
		{name: "Ref list parameter", in: `{"Ref": "Zones"}`, want: []any{"a", "b", "c"}},
		{name: "Ref number parameter is text", in: `{"Ref": "Size"}`, want: "3"},
		{name: "Ref resource", in: `{"Ref": "Vpc"}`, want: "phys-Vpc"},
		{name: "Ref resource left out by condition", in: `{"Ref": "Prod"}`, wantErr: "its Condition IsProd leaves out"},
		{name: "Ref AccountId", in: `{"Ref": "AWS::AccountId"}`, want: "000000000000"},
		{name: "Ref Region", in: `{"Ref": "AWS::Region"}`, want: "us-east-1"},
		{name: "Ref StackName", in: `{"Ref": "AWS::StackName"}`, want: "st"},
		{name: "Ref StackId", in: `{"Ref": "AWS::StackId"}`, want: "arn:aws:cloudformation:us-east-1:000000000000:stack/st/id"},
		{name: "Ref Partition", in: `{"Ref": "AWS::Partition"}`, want: "aws"},
		{name: "Ref URLSuffix", in: `{"Ref": "AWS::URLSuffix"}`, want: "amazonaws.com"},
		{name: "Ref NotificationARNs", in: `{"Ref": "AWS::NotificationARNs"}`, want: []any{"arn:sns"}},
		{name: "NoValue removes the key", in: `{"A": {"Ref": "AWS::NoValue"}, "B": 1}`, want: map[string]any{"B": json.Number("1")}},
		{name: "NoValue removes the list element", in: `[{"Ref": "AWS::NoValue"}, "x"]`, want: []any{"x"}},
		{name: "Ref unknown", in: `{"Ref": "Nope"}`, wantErr: "Unresolved resource dependencies [Nope]"},
		{name: "GetAtt list form", in: `{"Fn::GetAtt": ["Vpc", "CidrBlock"]}`, want: "Vpc.CidrBlock"},
		{name: "GetAtt dotted form", in: `{"Fn::GetAtt": "Vpc.CidrBlock"}`, want: "Vpc.CidrBlock"},
		{name: "GetAtt attribute by Ref", in: `{"Fn::GetAtt": ["Vpc", {"Ref": "Env"}]}`, want: "Vpc.dev"},
		{name: "GetAtt list attribute", in: `{"Fn::GetAtt": ["Vpc", "Subnets"]}`, want: []any{"s-1", "s-2"}},
		{name: "GetAtt undefined resource", in: `{"Fn::GetAtt": ["Nope", "Arn"]}`, wantErr: "references undefined resource Nope"},
		{name: "GetAtt missing attribute", in: `{"Fn::GetAtt": ["Vpc", "Missing"]}`, wantErr: "has no attribute Missing"},
		{name: "Join", in: `{"Fn::Join": ["-", ["a", {"Ref": "Env"}, 3]]}`, want: "a-dev-3"},
		{name: "Join list intrinsic", in: `{"Fn::Join": [",", {"Ref": "Zones"}]}`, want: "a,b,c"},
		{name: "Join bad list", in: `{"Fn::Join": [",", "abc"]}`, wantErr: "must be a list of strings"},
		{name: "Sub string form", in: `{"Fn::Sub": "${AWS::StackName}-${Env}-${Vpc}-${Vpc.CidrBlock}"}`, want: "st-dev-phys-Vpc-Vpc.CidrBlock"},
		{name: "Sub with variables", in: `{"Fn::Sub": ["${A}/${Env}", {"A": {"Ref": "Vpc"}}]}`, want: "phys-Vpc/dev"},
		{name: "Sub literal", in: `{"Fn::Sub": "${!Literal}-${Env}"}`, want: "${Literal}-dev"},
		{name: "Sub unterminated is literal", in: `{"Fn::Sub": "a${b"}`, want: "a${b"},
		{name: "Sub list variable", in: `{"Fn::Sub": "${Zones}"}`, wantErr: "is a list, not a string"},
		{name: "Select", in: `{"Fn::Select": ["1", {"Ref": "Zones"}]}`, want: "b"},
		{name: "Select number index", in: `{"Fn::Select": [0, ["x"]]}`, want: "x"},
		{name: "Select out of range", in: `{"Fn::Select": [5, ["x"]]}`, wantErr: "cannot select nonexistent value at index 5"},
		{name: "Split", in: `{"Fn::Split": ["|", "a|b"]}`, want: []any{"a", "b"}},
		{name: "Split then Select", in: `{"Fn::Select": [2, {"Fn::Split": [",", "x,y,z"]}]}`, want: "z"},
		{name: "If true", in: `{"Fn::If": ["IsDev", "yes", "no"]}`, want: "yes"},
		{name: "If false with NoValue", in: `{"K": {"Fn::If": ["IsProd", "yes", {"Ref": "AWS::NoValue"}]}}`, want: map[string]any{}},
		{name: "If skips the other branch", in: `{"Fn::If": ["IsProd", {"Ref": "Prod"}, "none"]}`, want: "none"},
		{name: "If unknown condition", in: `{"Fn::If": ["Nope", 1, 2]}`, wantErr: "Unresolved condition dependency Nope"},
		{name: "Equals strings", in: `{"Fn::Equals": ["a", "a"]}`, want: true},
		{name: "Equals number and text", in: `{"Fn::Equals": [3, "3"]}`, want: true},
		{name: "Not", in: `{"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}`, want: true},
		{name: "And", in: `{"Fn::And": [{"Condition": "IsDev"}, {"Condition": "IsProd"}]}`, want: false},
		{name: "Or", in: `{"Fn::Or": [{"Condition": "IsDev"}, {"Condition": "IsProd"}]}`, want: true},
		{name: "GetAZs empty", in: `{"Fn::GetAZs": ""}`, want: []any{"us-east-1a", "us-east-1b", "us-east-1c"}},
		{name: "GetAZs Ref Region", in: `{"Fn::GetAZs": {"Ref": "AWS::Region"}}`, want: []any{"us-east-1a", "us-east-1b", "us-east-1c"}},
		{name: "GetAZs region", in: `{"Fn::GetAZs": "eu-west-1"}`, want: []any{"eu-west-1a", "eu-west-1b", "eu-west-1c"}},
		{name: "Base64", in: `{"Fn::Base64": {"Fn::Sub": "#!/bin/sh ${Env}"}}`, want: "IyEvYmluL3NoIGRldg=="},
		{name: "FindInMap", in: `{"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Ami"]}`, want: "ami-123"},
		{name: "FindInMap number", in: `{"Fn::FindInMap": ["Regions", "us-east-1", "Count"]}`, want: json.Number("2")},
		{name: "FindInMap list", in: `{"Fn::FindInMap": ["Regions", "us-east-1", "List"]}`, want: []any{"x", "y"}},
		{name: "FindInMap missing key", in: `{"Fn::FindInMap": ["Regions", "eu-west-1", "Ami"]}`, wantErr: "Unable to get mapping for Regions::eu-west-1::Ami"},
		{name: "ImportValue", in: `{"Fn::ImportValue": "shared-vpc"}`, want: "vpc-shared"},
		{name: "ImportValue of Sub", in: `{"Fn::ImportValue": {"Fn::Sub": "shared-${!x}"}}`, wantErr: "No export named shared-${x} found."},
		{name: "ImportValue missing", in: `{"Fn::ImportValue": "nope"}`, wantErr: "No export named nope found."},
		{name: "Cidr", in: `{"Fn::Cidr": ["10.0.0.0/16", 3, 8]}`, want: []any{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}},
		{name: "Cidr text args", in: `{"Fn::Cidr": ["192.168.0.0/24", "2", "6"]}`, want: []any{"192.168.0.0/26", "192.168.0.64/26"}},
		{name: "Cidr IPv6", in: `{"Fn::Cidr": ["2001:db8::/56", 2, 64]}`, want: []any{"2001:db8::/64", "2001:db8:0:1::/64"}},
		{name: "Cidr too many", in: `{"Fn::Cidr": ["10.0.0.0/24", 3, 7]}`, wantErr: "holds only 2 subnets"},
		{name: "unsupported function", in: `{"Fn::Length": [1]}`, wantErr: "Encountered unsupported function: Fn::Length"},
		{name: "nested", in: `{"Tags": [{"Key": "k", "Value": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}]]}}]}`,
			want: map[string]any{"Tags": []any{map[string]any{"Key": "k", "Value": "arn:aws:s3:::us-east-1a"}}}},
	}
	e := evaluator(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.Resolve(mustJSON(t, tc.in), "Test")
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

func TestConditions(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]string
		want   map[string]bool
	}{
		{name: "defaults", want: map[string]bool{"IsProd": false, "IsDev": true, "Both": true, "Either": true, "SizeIsThree": true}},
		{name: "prod", params: map[string]string{"Env": "prod", "Size": "4"}, want: map[string]bool{"IsProd": true, "IsDev": false, "Both": false, "Either": true, "SizeIsThree": false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := evaluator(t, tc.params)
			for name, want := range tc.want {
				if got := e.Condition(name); got != want {
					t.Errorf("Condition(%q) = %v, want %v", name, got, want)
				}
			}
		})
	}
}

func TestConditionOnResourcesAndOutputs(t *testing.T) {
	e := evaluator(t, nil)
	if diff := cmp.Diff([]string{"Subnet", "Vpc"}, e.ActiveResources()); diff != "" {
		t.Errorf("ActiveResources (-want +got):\n%s", diff)
	}
	outs, err := e.Outputs()
	if err != nil {
		t.Fatalf("Outputs = %v", err)
	}
	want := []ResolvedOutput{{Name: "VpcId", Value: "phys-Vpc", ExportName: "st-vpc"}}
	if diff := cmp.Diff(want, outs); diff != "" {
		t.Errorf("Outputs (-want +got):\n%s", diff)
	}

	e = evaluator(t, map[string]string{"Env": "prod"})
	if !e.Active("Prod") {
		t.Errorf("Active(Prod) = false with Env=prod, want true")
	}
	outs, err = e.Outputs()
	if err != nil || len(outs) != 2 {
		t.Errorf("Outputs with Env=prod = %v, %v, want 2 outputs", outs, err)
	}
}

func TestConditionErrors(t *testing.T) {
	tests := []struct {
		name, conditions, want string
	}{
		{name: "circular", conditions: `{"A": {"Condition": "B"}, "B": {"Fn::Not": [{"Condition": "A"}]}}`, want: "Circular condition dependency"},
		{name: "resource in condition", conditions: `{"A": {"Fn::Equals": [{"Ref": "R"}, "x"]}}`, want: "Cannot reference resources in the Conditions block"},
		{name: "not a condition", conditions: `{"A": "true"}`, want: "a condition must be"},
		{name: "Equals arity", conditions: `{"A": {"Fn::Equals": ["x"]}}`, want: "Fn::Equals takes a list of two values"},
		{name: "And arity", conditions: `{"A": {"Fn::And": [{"Fn::Equals": ["x", "x"]}]}}`, want: "takes a list of 2 to 10 conditions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"Conditions": ` + tc.conditions + `, "Resources": {"R": {"Type": "AWS::EC2::VPC"}}}`
			tpl, err := Parse([]byte(body))
			if err == nil {
				_, err = tpl.Evaluator(Env{})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse+Evaluator(%s) = %v, want error containing %q", tc.conditions, err, tc.want)
			}
		})
	}
}
