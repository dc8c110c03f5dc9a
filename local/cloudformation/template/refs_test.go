package template

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStructureErrors(t *testing.T) {
	tests := []struct {
		name, body, wantErr string
	}{
		{name: "no resources", body: `{"Resources": {}}`, wantErr: "At least one Resources member must be defined."},
		{name: "unknown section", body: `{"Resource": {}, "Resources": {"R": {"Type": "T"}}}`, wantErr: "Invalid template property or properties [Resource]"},
		{name: "no type", body: `{"Resources": {"R": {"Properties": {}}}}`, wantErr: "[/Resources/R] Every Resources object must contain a Type member."},
		{name: "bad logical ID", body: `{"Resources": {"my-res": {"Type": "T"}}}`, wantErr: "resource name my-res is non alphanumeric"},
		{name: "unknown resource key", body: `{"Resources": {"R": {"Type": "T", "Propertes": {}}}}`, wantErr: "Invalid template resource property 'Propertes'"},
		{name: "transform refused", body: `{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"R": {"Type": "T"}}}`, wantErr: "Transform AWS::Serverless-2016-10-31 is not supported by the local cloud"},
		{name: "bad version", body: `{"AWSTemplateFormatVersion": "2011-01-01", "Resources": {"R": {"Type": "T"}}}`, wantErr: "AWSTemplateFormatVersion 2011-01-01 is not supported"},
		{name: "unresolved Ref", body: `{"Resources": {"R": {"Type": "T", "Properties": {"A": {"Ref": "X"}}}}}`, wantErr: "Unresolved resource dependencies [X] in the Resources block of the template"},
		{name: "unresolved Sub variable", body: `{"Resources": {"R": {"Type": "T", "Properties": {"A": {"Fn::Sub": "${Y}"}}}}}`, wantErr: "Unresolved resource dependencies [Y]"},
		{name: "unresolved DependsOn", body: `{"Resources": {"R": {"Type": "T", "DependsOn": "Z"}}}`, wantErr: "Unresolved resource dependencies [Z]"},
		{name: "unresolved in outputs", body: `{"Resources": {"R": {"Type": "T"}}, "Outputs": {"O": {"Value": {"Ref": "Q"}}}}`, wantErr: "Unresolved resource dependencies [Q] in the Outputs block of the template"},
		{name: "GetAtt undefined", body: `{"Resources": {"R": {"Type": "T", "Properties": {"A": {"Fn::GetAtt": ["N", "Arn"]}}}}}`, wantErr: "Fn::GetAtt references undefined resource N"},
		{name: "unknown condition on resource", body: `{"Resources": {"R": {"Type": "T", "Condition": "C"}}}`, wantErr: "Unresolved condition dependency C"},
		{name: "unknown mapping", body: `{"Resources": {"R": {"Type": "T", "Properties": {"A": {"Fn::FindInMap": ["M", "a", "b"]}}}}}`, wantErr: "Mapping named 'M' is not present"},
		{name: "unknown function", body: `{"Resources": {"R": {"Type": "T", "Properties": {"A": {"Fn::Foo": 1}}}}}`, wantErr: "Encountered unsupported function: Fn::Foo"},
		{name: "output without value", body: `{"Resources": {"R": {"Type": "T"}}, "Outputs": {"O": {"Description": "d"}}}`, wantErr: "Every Outputs member must contain a Value object"},
		{name: "self reference", body: `{"Resources": {"R": {"Type": "T", "Properties": {"A": {"Ref": "R"}}}}}`, wantErr: "Circular dependency between resources: [R]"},
		{name: "cycle by Ref", body: `{"Resources": {"A": {"Type": "T", "Properties": {"X": {"Ref": "B"}}}, "B": {"Type": "T", "Properties": {"X": {"Ref": "A"}}}}}`, wantErr: "Circular dependency between resources: [A, B]"},
		{name: "cycle through GetAtt, Sub and DependsOn", body: `{"Resources": {
			"A": {"Type": "T", "Properties": {"X": {"Fn::GetAtt": ["B", "Arn"]}}},
			"B": {"Type": "T", "Properties": {"X": {"Fn::Sub": "${C.Arn}"}}},
			"C": {"Type": "T", "DependsOn": ["A"]},
			"D": {"Type": "T", "DependsOn": "A"}}}`, wantErr: "Circular dependency between resources: [A, B, C]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Parse(%s) = %v, want error containing %q", tc.body, err, tc.wantErr)
			}
		})
	}
}

func TestDepsAndOrder(t *testing.T) {
	tpl, err := Parse([]byte(`{"Parameters": {"P": {"Type": "String", "Default": "x"}}, "Resources": {
		"Route": {"Type": "AWS::EC2::Route", "DependsOn": "Attach", "Properties": {"RouteTableId": {"Ref": "Table"}, "GatewayId": {"Ref": "Gw"}}},
		"Table": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
		"Attach": {"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {"VpcId": {"Ref": "Vpc"}, "InternetGatewayId": {"Ref": "Gw"}}},
		"Gw": {"Type": "AWS::EC2::InternetGateway"},
		"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "P"}, "Tags": [{"Key": "Name", "Value": {"Fn::Sub": "${AWS::StackName}"}}]}},
		"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Fn::GetAtt": ["Vpc", "VpcId"]}, "GroupDescription": {"Fn::Sub": "${Vpc.CidrBlock} ${!Gw}"}}}
	}}`))
	if err != nil {
		t.Fatalf("Parse = %v", err)
	}
	wantDeps := map[string][]string{
		"Route": {"Attach", "Gw", "Table"}, "Table": {"Vpc"}, "Attach": {"Gw", "Vpc"},
		"Gw": {}, "Vpc": {}, "Sg": {"Vpc"},
	}
	if diff := cmp.Diff(wantDeps, tpl.Deps); diff != "" {
		t.Errorf("Deps (-want +got):\n%s", diff)
	}
	order, err := Order(tpl.Deps)
	if err != nil {
		t.Fatalf("Order = %v", err)
	}
	want := []string{"Gw", "Vpc", "Attach", "Table", "Route", "Sg"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("Order (-want +got):\n%s", diff)
	}
}
