package cloudformation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/google/go-cmp/cmp"
)

const exporter = `{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}},
  "Outputs": {"Vpc": {"Value": {"Ref": "Vpc"}, "Export": {"Name": "shared-vpc"}}}}`

const importer = `{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g", "VpcId": {"Fn::ImportValue": "shared-vpc"}}}},
  "Outputs": {"SgVpc": {"Value": {"Fn::GetAtt": ["Sg", "VpcId"]}}}}`

func TestExportsAndImports(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.create("exp", exporter)
	expStack := e.wait("exp")
	vpc, expID := outputs(expStack)["Vpc"], aws.ToString(expStack.StackId)

	e.create("imp", importer)
	if got := outputs(e.wait("imp"))["SgVpc"]; got != vpc {
		t.Errorf("imported VPC = %q, want %q", got, vpc)
	}

	// An export in use blocks deleting its stack, and changing it.
	if _, err := e.client.DeleteStack(ctx, &cfnsdk.DeleteStackInput{StackName: aws.String("exp")}); err != nil {
		t.Fatalf("DeleteStack(exp) = %v", err)
	}
	st := e.wait("exp")
	if st.StackStatus != types.StackStatusDeleteFailed || aws.ToString(st.StackStatusReason) != "Export shared-vpc cannot be deleted as it is in use by imp" {
		t.Errorf("DeleteStack(exp) = %s %q, want DELETE_FAILED naming imp", st.StackStatus, aws.ToString(st.StackStatusReason))
	}

	// The same export name from another stack fails that stack.
	e.create("dup", exporter)
	st = e.wait("dup")
	if want := "dup ROLLBACK_IN_PROGRESS Export with name shared-vpc is already exported by stack exp. Rollback requested by user."; st.StackStatus != types.StackStatusRollbackComplete || !contains(e.events("dup"), want) {
		t.Errorf("duplicate export = %s, events %v, want %q", st.StackStatus, e.events("dup"), want)
	}

	_, err := e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("orphan"),
		TemplateBody: aws.String(strings.Replace(importer, "shared-vpc", "nope", 1))})
	apiError(t, "CreateStack importing a missing export", err, "ValidationError", "No export named nope found.")

	// Once the importer is gone the exporter can go.
	if _, err := e.client.DeleteStack(ctx, &cfnsdk.DeleteStackInput{StackName: aws.String("imp")}); err != nil {
		t.Fatal(err)
	}
	if s, err := e.svc.WaitStable(ctx, "imp"); err != nil || s.Status != "DELETE_COMPLETE" {
		t.Fatalf("imp after DeleteStack = %s, %v", s.Status, err)
	}
	if _, err := e.client.DeleteStack(ctx, &cfnsdk.DeleteStackInput{StackName: aws.String("exp")}); err != nil {
		t.Fatal(err)
	}
	if s, _ := e.svc.WaitStable(ctx, expID); s.Status != "DELETE_COMPLETE" {
		t.Errorf("exp after its importer is gone = %s %s, want DELETE_COMPLETE", s.Status, s.StatusReason)
	}
	if ex := e.svc.Exports(); len(ex) != 0 {
		t.Errorf("Exports after deleting = %v, want none", ex)
	}
}

const iamTemplate = `{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}%s}}}}`

func TestCapabilities(t *testing.T) {
	tests := []struct {
		name, extra string
		caps        []types.Capability
		wantErr     string
	}{
		{name: "IAM without capability", wantErr: "Requires capabilities : [CAPABILITY_IAM]"},
		{name: "named IAM without capability", extra: `, "RoleName": "r"`, wantErr: "Requires capabilities : [CAPABILITY_NAMED_IAM]"},
		{name: "named IAM with CAPABILITY_IAM", extra: `, "RoleName": "r"`, caps: []types.Capability{types.CapabilityCapabilityIam}, wantErr: "Requires capabilities : [CAPABILITY_NAMED_IAM]"},
		{name: "IAM with CAPABILITY_IAM", caps: []types.Capability{types.CapabilityCapabilityIam}},
		{name: "IAM with CAPABILITY_NAMED_IAM", caps: []types.Capability{types.CapabilityCapabilityNamedIam}},
	}
	e := newEnv(t)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.Replace(iamTemplate, "%s", tc.extra, 1)
			name := "iam" + string(rune('a'+i))
			_, err := e.client.CreateStack(context.Background(), &cfnsdk.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body), Capabilities: tc.caps})
			if tc.wantErr != "" {
				apiError(t, "CreateStack", err, "InsufficientCapabilitiesException", tc.wantErr)
				return
			}
			if err != nil {
				t.Fatalf("CreateStack = %v", err)
			}
			e.wait(name)
		})
	}
	v, err := e.client.ValidateTemplate(context.Background(), &cfnsdk.ValidateTemplateInput{TemplateBody: aws.String(strings.Replace(iamTemplate, "%s", "", 1))})
	if err != nil || len(v.Capabilities) != 1 || v.Capabilities[0] != types.CapabilityCapabilityIam || aws.ToString(v.CapabilitiesReason) != "The following resource(s) require capabilities: [AWS::IAM::Role]" {
		t.Errorf("ValidateTemplate(IAM) = %+v, %v", v, err)
	}
}

func TestParameters(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	body := `{"Parameters": {
	    "Secret": {"Type": "String", "NoEcho": true},
	    "Env": {"Type": "String", "AllowedValues": ["dev", "prod"], "Default": "dev"},
	    "Count": {"Type": "Number", "MinValue": 1, "MaxValue": 3, "Default": 2}},
	  "Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "s", "Value": {"Ref": "Secret"}}, {"Key": "n", "Value": {"Ref": "Count"}}]}}}}`
	param := func(k, v string) types.Parameter {
		return types.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)}
	}
	tests := []struct {
		name    string
		params  []types.Parameter
		wantErr string
	}{
		{name: "missing value", wantErr: "Parameters: [Secret] must have values"},
		{name: "unknown parameter", params: []types.Parameter{param("Secret", "s"), param("Nope", "x")}, wantErr: "Parameters: [Nope] do not exist in the template"},
		{name: "not allowed", params: []types.Parameter{param("Secret", "s"), param("Env", "qa")}, wantErr: "Parameter 'Env' must be one of AllowedValues"},
		{name: "too big", params: []types.Parameter{param("Secret", "s"), param("Count", "4")}, wantErr: "Parameter 'Count' must be a number not greater than 3"},
		{name: "not a number", params: []types.Parameter{param("Secret", "s"), param("Count", "x")}, wantErr: "Parameter 'Count' must be a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("p"), TemplateBody: aws.String(body), Parameters: tc.params})
			apiError(t, "CreateStack", err, "ValidationError", tc.wantErr)
		})
	}
	e.create("p", body, func(in *cfnsdk.CreateStackInput) { in.Parameters = []types.Parameter{param("Secret", "hunter2")} })
	st := e.wait("p")
	got := map[string]string{}
	for _, p := range st.Parameters {
		got[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	if diff := cmp.Diff(map[string]string{"Secret": "****", "Env": "dev", "Count": "2"}, got); diff != "" {
		t.Errorf("DescribeStacks parameters, NoEcho masked (-want +got):\n%s", diff)
	}
	// UsePreviousValue keeps the secret; a new Count changes a tag.
	_, err := e.client.UpdateStack(ctx, &cfnsdk.UpdateStackInput{StackName: aws.String("p"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []types.Parameter{{ParameterKey: aws.String("Secret"), UsePreviousValue: aws.Bool(true)}, param("Count", "3")}})
	if err != nil {
		t.Fatalf("UpdateStack(UsePreviousValue) = %v", err)
	}
	e.wait("p")
	s, _ := e.svc.Stack("p")
	if s.Parameters["Secret"] != "hunter2" || s.Parameters["Count"] != "3" {
		t.Errorf("parameters after update = %v", s.Parameters)
	}
	_, err = e.client.UpdateStack(ctx, &cfnsdk.UpdateStackInput{StackName: aws.String("p"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []types.Parameter{{ParameterKey: aws.String("Other"), UsePreviousValue: aws.Bool(true)}}})
	apiError(t, "UpdateStack(UsePreviousValue of an unknown key)", err, "ValidationError", "Cannot specify usePreviousValue as true for a parameter key not in the previous template")
}

func TestYAMLTemplateAndTemplateErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	yaml := `
AWSTemplateFormatVersion: 2010-09-09
Conditions:
  Always: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !If [Always, 10.0.0.0/16, 10.1.0.0/16]
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
Outputs:
  Cidr:
    Value: !GetAtt Subnet.CidrBlock
`
	e.create("yaml", yaml)
	if got := outputs(e.wait("yaml"))["Cidr"]; got != "10.0.1.0/24" {
		t.Errorf("YAML stack output = %q, want 10.0.1.0/24 (events %v)", got, e.events("yaml"))
	}
	tests := []struct{ name, body, want string }{
		{name: "cycle", body: `{"Resources": {"A": {"Type": "AWS::EC2::VPC", "DependsOn": "B"}, "B": {"Type": "AWS::EC2::VPC", "DependsOn": "A"}}}`, want: "Circular dependency between resources: [A, B]"},
		{name: "unresolved", body: `{"Resources": {"A": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Nope"}}}}}`, want: "Unresolved resource dependencies [Nope] in the Resources block of the template"},
		{name: "malformed", body: `{"Resources": `, want: "Template format error: JSON not well-formed"},
		{name: "transform", body: "Transform: AWS::Serverless-2016-10-31\nResources:\n  F: {Type: AWS::Serverless::Function}\n", want: "is not supported by the local cloud"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.ValidateTemplate(ctx, &cfnsdk.ValidateTemplateInput{TemplateBody: aws.String(tc.body)})
			apiError(t, "ValidateTemplate", err, "ValidationError", tc.want)
			_, err = e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("bad"), TemplateBody: aws.String(tc.body)})
			apiError(t, "CreateStack", err, "ValidationError", tc.want)
		})
	}
	_, err := e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("big"), TemplateBody: aws.String(strings.Repeat(" ", 51201) + "{}")})
	apiError(t, "CreateStack(51 KB body)", err, "ValidationError", "Member must have length less than or equal to 51200")
	_, err = e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("url"), TemplateURL: aws.String("https://s3.amazonaws.com/b/t.json")})
	apiError(t, "CreateStack(TemplateURL) without a fetcher", err, "ValidationError", "cannot be read")
	_, err = e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("1bad"), TemplateBody: aws.String(exporter)})
	apiError(t, "CreateStack(bad name)", err, "ValidationError", "Member must satisfy regular expression pattern")
}
