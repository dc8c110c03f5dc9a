package cloudformation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/google/go-cmp/cmp"
)

const networkTemplate = `{
  "Description": "network",
  "Parameters": {"Cidr": {"Type": "String", "Default": "10.0.0.0/16"}, "Env": {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]}},
  "Resources": {
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Cidr"}}},
    "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": {"Fn::Select": [0, {"Fn::Cidr": [{"Ref": "Cidr"}, 2, 8]}]}, "AvailabilityZone": {"Fn::Select": [1, {"Fn::GetAZs": ""}]}}},
    "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": {"Fn::Sub": "${AWS::StackName} in ${Vpc.CidrBlock}"}, "VpcId": {"Fn::GetAtt": ["Vpc", "VpcId"]}, "Tags": [{"Key": "env", "Value": {"Ref": "Env"}}]}},
    "Dash": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": "{}"}}
  },
  "Outputs": {
    "VpcId": {"Value": {"Ref": "Vpc"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-vpc"}}},
    "SubnetAz": {"Value": {"Fn::GetAtt": ["Subnet", "AvailabilityZone"]}},
    "Sg": {"Value": {"Ref": "Sg"}, "Description": "the group"}
  }
}`

func TestCreateDescribeDelete(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.create("net", networkTemplate)
	if !strings.HasPrefix(id, "arn:aws:cloudformation:us-east-1:000000000000:stack/net/") {
		t.Errorf("CreateStack StackId = %q, want a stack ARN", id)
	}
	// The SDK's own waiter polls DescribeStacks until CREATE_COMPLETE.
	w := cfnsdk.NewStackCreateCompleteWaiter(e.client, func(o *cfnsdk.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	if err := w.Wait(ctx, &cfnsdk.DescribeStacksInput{StackName: aws.String("net")}, 20*time.Second); err != nil {
		t.Fatalf("StackCreateCompleteWaiter = %v (events %v)", err, e.events("net"))
	}
	st := e.describe("net")
	if st.StackStatus != types.StackStatusCreateComplete || aws.ToString(st.Description) != "network" {
		t.Errorf("DescribeStacks = %s %q, want CREATE_COMPLETE network", st.StackStatus, aws.ToString(st.Description))
	}
	outs := outputs(st)
	if !strings.HasPrefix(outs["VpcId"], "vpc-") || !strings.HasPrefix(outs["Sg"], "sg-") || outs["SubnetAz"] != "us-east-1b" {
		t.Errorf("Outputs = %v, want vpc-..., sg-..., us-east-1b", outs)
	}
	params := map[string]string{}
	for _, p := range st.Parameters {
		params[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	if diff := cmp.Diff(map[string]string{"Cidr": "10.0.0.0/16", "Env": "dev"}, params); diff != "" {
		t.Errorf("Parameters (-want +got):\n%s", diff)
	}

	res := e.resources("net")
	if len(res) != 4 {
		t.Fatalf("ListStackResources = %v, want 4 resources", res)
	}
	for id, r := range res {
		if r.ResourceStatus != types.ResourceStatusCreateComplete {
			t.Errorf("resource %s status = %s, want CREATE_COMPLETE", id, r.ResourceStatus)
		}
	}
	if got := aws.ToString(res["Vpc"].PhysicalResourceId); got != outs["VpcId"] {
		t.Errorf("Vpc physical ID = %q, want the VpcId output %q", got, outs["VpcId"])
	}
	if got := aws.ToString(res["Dash"].PhysicalResourceId); !strings.HasPrefix(got, "net-Dash-") {
		t.Errorf("Dashboard physical ID = %q, want a generated net-Dash-... name", got)
	}
	one, err := e.client.DescribeStackResource(ctx, &cfnsdk.DescribeStackResourceInput{StackName: aws.String("net"), LogicalResourceId: aws.String("Subnet")})
	if err != nil || !strings.HasPrefix(aws.ToString(one.StackResourceDetail.PhysicalResourceId), "subnet-") {
		t.Errorf("DescribeStackResource(Subnet) = %+v, %v", one, err)
	}
	_, err = e.client.DescribeStackResource(ctx, &cfnsdk.DescribeStackResourceInput{StackName: aws.String("net"), LogicalResourceId: aws.String("Nope")})
	apiError(t, "DescribeStackResource(Nope)", err, "ValidationError", "Resource Nope does not exist for stack net")
	all, err := e.client.DescribeStackResources(ctx, &cfnsdk.DescribeStackResourcesInput{PhysicalResourceId: res["Sg"].PhysicalResourceId})
	if err != nil || len(all.StackResources) != 4 {
		t.Errorf("DescribeStackResources(PhysicalResourceId) = %v, %v, want the stack's 4 resources", all, err)
	}

	// Events: stack first and last, each resource after what it refers to.
	ev := e.events("net")
	if ev[0] != "net CREATE_IN_PROGRESS User Initiated" || ev[len(ev)-1] != "net CREATE_COMPLETE" {
		t.Errorf("events = %v, want the stack's CREATE_IN_PROGRESS first and CREATE_COMPLETE last", ev)
	}
	if indexOf(ev, "Vpc CREATE_COMPLETE") > indexOf(ev, "Subnet CREATE_IN_PROGRESS") || indexOf(ev, "Vpc CREATE_COMPLETE") > indexOf(ev, "Sg CREATE_IN_PROGRESS") {
		t.Errorf("events = %v, want Vpc complete before Subnet and Sg start", ev)
	}
	raw, err := e.client.DescribeStackEvents(ctx, &cfnsdk.DescribeStackEventsInput{StackName: aws.String("net")})
	if err != nil || raw.StackEvents[0].Timestamp.Before(*raw.StackEvents[len(raw.StackEvents)-1].Timestamp) {
		t.Errorf("DescribeStackEvents is not newest first")
	}

	tpl, err := e.client.GetTemplate(ctx, &cfnsdk.GetTemplateInput{StackName: aws.String("net")})
	if err != nil || aws.ToString(tpl.TemplateBody) != networkTemplate {
		t.Errorf("GetTemplate = %v, want the template as sent", err)
	}
	exports, err := e.client.ListExports(ctx, &cfnsdk.ListExportsInput{})
	if err != nil || len(exports.Exports) != 1 || aws.ToString(exports.Exports[0].Name) != "net-vpc" || aws.ToString(exports.Exports[0].ExportingStackId) != id {
		t.Errorf("ListExports = %+v, %v, want net-vpc from %s", exports, err, id)
	}
	_, err = e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("net"), TemplateBody: aws.String(networkTemplate)})
	apiError(t, "CreateStack(net) again", err, "AlreadyExistsException", "Stack [net] already exists")

	if _, err := e.client.DeleteStack(ctx, &cfnsdk.DeleteStackInput{StackName: aws.String("net")}); err != nil {
		t.Fatalf("DeleteStack = %v", err)
	}
	dw := cfnsdk.NewStackDeleteCompleteWaiter(e.client, func(o *cfnsdk.StackDeleteCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	if err := dw.Wait(ctx, &cfnsdk.DescribeStacksInput{StackName: aws.String(id)}, 20*time.Second); err != nil {
		t.Fatalf("StackDeleteCompleteWaiter = %v", err)
	}
	ev = e.events(id)
	if indexOf(ev, "Subnet DELETE_COMPLETE") > indexOf(ev, "Vpc DELETE_IN_PROGRESS") {
		t.Errorf("events = %v, want Subnet deleted before Vpc", ev)
	}
	_, err = e.client.DescribeStacks(ctx, &cfnsdk.DescribeStacksInput{StackName: aws.String("net")})
	apiError(t, "DescribeStacks(net) after delete", err, "ValidationError", "Stack with id net does not exist")
	if st := e.describe(id); st.StackStatus != types.StackStatusDeleteComplete || st.DeletionTime == nil {
		t.Errorf("DescribeStacks(ID) after delete = %s, want DELETE_COMPLETE with a DeletionTime", st.StackStatus)
	}
	list, err := e.client.ListStacks(ctx, &cfnsdk.ListStacksInput{StackStatusFilter: []types.StackStatus{types.StackStatusDeleteComplete}})
	if err != nil || len(list.StackSummaries) != 1 {
		t.Errorf("ListStacks(DELETE_COMPLETE) = %v, %v, want the deleted stack", list, err)
	}
	if _, err := e.client.DeleteStack(ctx, &cfnsdk.DeleteStackInput{StackName: aws.String("net")}); err != nil {
		t.Errorf("DeleteStack of a deleted stack = %v, want success as on AWS", err)
	}
}

const rollbackTemplate = `{
  "Resources": {
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
    "Slow": {"Type": "Test::Fake::Thing", "Properties": {"AfterFailure": "true", "Value": "slow"}},
    "Broken": {"Type": "Test::Fake::Thing", "Properties": {"Fail": "true", "Message": "the disk is full", "Parent": {"Ref": "Vpc"}}},
    "After": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}}, "DependsOn": "Broken"}
  }
}`

func TestCreateRollbackKeepsRootCause(t *testing.T) {
	e := newEnv(t)
	e.create("rb", rollbackTemplate)
	st := e.wait("rb")
	if st.StackStatus != types.StackStatusRollbackComplete {
		t.Fatalf("status = %s, want ROLLBACK_COMPLETE (events %v)", st.StackStatus, e.events("rb"))
	}
	ev := e.events("rb")
	for _, want := range []string{
		"Broken CREATE_FAILED the disk is full",
		"Slow CREATE_FAILED Resource creation cancelled",
		"rb ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Broken]. Rollback requested by user.",
		"Vpc DELETE_COMPLETE",
		"Slow DELETE_COMPLETE",
		"rb ROLLBACK_COMPLETE",
	} {
		if !contains(ev, want) {
			t.Errorf("events lack %q:\n%s", want, strings.Join(ev, "\n"))
		}
	}
	if indexOf(ev, "After ") >= 0 {
		t.Errorf("events = %v, want nothing for After, which depends on the failed resource", ev)
	}
	if live := e.fake.Live(); len(live) != 0 {
		t.Errorf("fake resources left after rollback: %v", live)
	}
	err := e.update("rb", rollbackTemplate)
	apiError(t, "UpdateStack in ROLLBACK_COMPLETE", err, "ValidationError", "is in ROLLBACK_COMPLETE state and can not be updated.")
	if _, err := e.client.DeleteStack(context.Background(), &cfnsdk.DeleteStackInput{StackName: aws.String("rb")}); err != nil {
		t.Fatalf("DeleteStack = %v", err)
	}
	if s, _ := e.svc.WaitStable(context.Background(), aws.ToString(st.StackId)); s.Status != "DELETE_COMPLETE" {
		t.Errorf("after DeleteStack status = %s, want DELETE_COMPLETE", s.Status)
	}
}

func TestDisableRollbackAndUnsupportedType(t *testing.T) {
	e := newEnv(t)
	e.create("odd", `{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}, "V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/8"}}}}`,
		func(in *cfnsdk.CreateStackInput) { in.DisableRollback = aws.Bool(true) })
	st := e.wait("odd")
	if st.StackStatus != types.StackStatusCreateFailed || aws.ToString(st.StackStatusReason) != "The following resource(s) failed to create: [Q]. " {
		t.Errorf("status = %s %q, want CREATE_FAILED naming Q", st.StackStatus, aws.ToString(st.StackStatusReason))
	}
	if !contains(e.events("odd"), "Q CREATE_FAILED resource type AWS::SQS::Queue is not supported by the local cloud") {
		t.Errorf("events = %v, want Q failed as unsupported", e.events("odd"))
	}
	e.create("missing", `{"Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {}}}}`)
	e.wait("missing")
	if !contains(e.events("missing"), "V CREATE_FAILED Properties validation failed for resource V with message: #: required key [CidrBlock] not found") {
		t.Errorf("events = %v, want the missing property named", e.events("missing"))
	}
}

func TestUpdateInPlaceReplacementAddRemove(t *testing.T) {
	e := newEnv(t)
	e.create("up", networkTemplate)
	if st := e.wait("up"); st.StackStatus != types.StackStatusCreateComplete {
		t.Fatalf("create = %s", st.StackStatus)
	}
	before := e.resources("up")

	// In place: a tag of the security group, through a parameter.
	_, err := e.client.UpdateStack(context.Background(), &cfnsdk.UpdateStackInput{
		StackName: aws.String("up"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []types.Parameter{{ParameterKey: aws.String("Env"), ParameterValue: aws.String("prod")}, {ParameterKey: aws.String("Cidr"), UsePreviousValue: aws.Bool(true)}},
	})
	if err != nil {
		t.Fatalf("UpdateStack(Env=prod) = %v", err)
	}
	if st := e.wait("up"); st.StackStatus != types.StackStatusUpdateComplete {
		t.Fatalf("update in place = %s (%v)", st.StackStatus, e.events("up"))
	}
	after := e.resources("up")
	if aws.ToString(after["Sg"].PhysicalResourceId) != aws.ToString(before["Sg"].PhysicalResourceId) || after["Sg"].ResourceStatus != types.ResourceStatusUpdateComplete {
		t.Errorf("Sg after in-place update = %s %s, want the same physical ID, UPDATE_COMPLETE", aws.ToString(after["Sg"].PhysicalResourceId), after["Sg"].ResourceStatus)
	}
	if after["Vpc"].ResourceStatus != types.ResourceStatusCreateComplete {
		t.Errorf("Vpc after an update that does not touch it = %s, want CREATE_COMPLETE", after["Vpc"].ResourceStatus)
	}

	// Nothing changes: AWS's message.
	_, err = e.client.UpdateStack(context.Background(), &cfnsdk.UpdateStackInput{
		StackName: aws.String("up"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []types.Parameter{{ParameterKey: aws.String("Env"), UsePreviousValue: aws.Bool(true)}, {ParameterKey: aws.String("Cidr"), UsePreviousValue: aws.Bool(true)}},
	})
	apiError(t, "UpdateStack without changes", err, "ValidationError", "No updates are to be performed.")

	// Replacement: a new CIDR replaces the VPC, and so the subnet and the
	// group that refer to it; the old ones go in the cleanup.
	replaced := strings.Replace(networkTemplate, `"Default": "10.0.0.0/16"`, `"Default": "10.9.0.0/16"`, 1)
	if err := e.update("up", replaced); err != nil {
		t.Fatalf("UpdateStack(new CIDR) = %v", err)
	}
	if st := e.wait("up"); st.StackStatus != types.StackStatusUpdateComplete {
		t.Fatalf("update with replacement = %s (%v)", st.StackStatus, e.events("up"))
	}
	replacedRes := e.resources("up")
	for _, id := range []string{"Vpc", "Subnet", "Sg"} {
		if aws.ToString(replacedRes[id].PhysicalResourceId) == aws.ToString(after[id].PhysicalResourceId) {
			t.Errorf("%s kept physical ID %s, want a replacement", id, aws.ToString(after[id].PhysicalResourceId))
		}
	}
	if aws.ToString(replacedRes["Dash"].PhysicalResourceId) != aws.ToString(after["Dash"].PhysicalResourceId) {
		t.Errorf("Dash was replaced; it does not depend on the VPC")
	}
	ev := e.events("up")
	if !contains(ev, "Vpc UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.") ||
		!contains(ev, "up UPDATE_COMPLETE_CLEANUP_IN_PROGRESS") {
		t.Errorf("events = %v, want the replacement and cleanup", ev)
	}
	if i, j := indexOf(ev, "up UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), len(ev)-1-indexOf(reverse(ev), "Vpc DELETE_COMPLETE"); j < i {
		t.Errorf("old VPC deleted before the cleanup phase: %v", ev)
	}
	if got := outputs(e.describe("up"))["VpcId"]; got != aws.ToString(replacedRes["Vpc"].PhysicalResourceId) {
		t.Errorf("VpcId output = %s, want the new VPC", got)
	}

	// Add and remove.
	addRemove := strings.Replace(replaced, `"Dash": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": "{}"}}`,
		`"Igw": {"Type": "AWS::EC2::InternetGateway"}`, 1)
	if err := e.update("up", addRemove); err != nil {
		t.Fatalf("UpdateStack(add, remove) = %v", err)
	}
	e.wait("up")
	res := e.resources("up")
	if _, ok := res["Dash"]; ok {
		t.Errorf("Dash still listed after its removal")
	}
	if !strings.HasPrefix(aws.ToString(res["Igw"].PhysicalResourceId), "igw-") {
		t.Errorf("Igw = %+v, want an igw- physical ID", res["Igw"])
	}
}

func reverse(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

const fakeTemplate = `{
  "Resources": {
    "Thing": {"Type": "Test::Fake::Thing", "Properties": {"Name": "one", "Value": "1"}},
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}
  },
  "Outputs": {"Thing": {"Value": {"Fn::GetAtt": ["Thing", "Arn"]}}}
}`

func TestUpdateRollbackRestoresOldProperties(t *testing.T) {
	e := newEnv(t)
	e.create("ur", fakeTemplate)
	e.wait("ur")
	before := e.resources("ur")
	beforeOut := outputs(e.describe("ur"))

	// Thing updated in place to 2, then Broken fails: Thing goes back to 1.
	failing := strings.Replace(fakeTemplate, `"Value": "1"}}`, `"Value": "2"}},
    "Broken": {"Type": "Test::Fake::Thing", "DependsOn": "Thing", "Properties": {"Fail": "true", "Message": "quota exceeded"}}`, 1)
	if err := e.update("ur", failing); err != nil {
		t.Fatalf("UpdateStack = %v", err)
	}
	st := e.wait("ur")
	if st.StackStatus != types.StackStatusUpdateRollbackComplete {
		t.Fatalf("status = %s, want UPDATE_ROLLBACK_COMPLETE (%v)", st.StackStatus, e.events("ur"))
	}
	if r := aws.ToString(st.StackStatusReason); r != "" {
		t.Errorf("final reason = %q, want none", r)
	}
	ev := e.events("ur")
	for _, want := range []string{
		"Broken CREATE_FAILED quota exceeded",
		"ur UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Broken]. ",
		"ur UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
		"ur UPDATE_ROLLBACK_COMPLETE",
	} {
		if !contains(ev, want) {
			t.Errorf("events lack %q:\n%s", want, strings.Join(ev, "\n"))
		}
	}
	calls := e.fake.Calls()
	if !contains(calls, "Update Thing 2") || calls[len(calls)-1] != "Update Thing 1" {
		t.Errorf("fake calls = %v, want Thing updated to 2 then back to 1", calls)
	}
	if _, ok := e.resources("ur")["Broken"]; ok {
		t.Errorf("Broken still listed after the rollback")
	}
	tpl, _ := e.client.GetTemplate(context.Background(), &cfnsdk.GetTemplateInput{StackName: aws.String("ur")})
	if aws.ToString(tpl.TemplateBody) != fakeTemplate {
		t.Errorf("GetTemplate after rollback is not the previous template")
	}

	// Replacement rolled back: the new Thing is deleted, the old one stays.
	replacing := strings.Replace(failing, `"Name": "one"`, `"Name": "two"`, 1)
	if err := e.update("ur", replacing); err != nil {
		t.Fatalf("UpdateStack(replace) = %v", err)
	}
	if st := e.wait("ur"); st.StackStatus != types.StackStatusUpdateRollbackComplete {
		t.Fatalf("status = %s, want UPDATE_ROLLBACK_COMPLETE", st.StackStatus)
	}
	after := e.resources("ur")
	if aws.ToString(after["Thing"].PhysicalResourceId) != aws.ToString(before["Thing"].PhysicalResourceId) {
		t.Errorf("Thing = %s after rollback, want the old %s", aws.ToString(after["Thing"].PhysicalResourceId), aws.ToString(before["Thing"].PhysicalResourceId))
	}
	live := e.fake.Live()
	if len(live) != 1 || live[aws.ToString(before["Thing"].PhysicalResourceId)] == nil {
		t.Errorf("fake resources after rollback = %v, want only the old Thing", live)
	}
	if diff := cmp.Diff(beforeOut, outputs(e.describe("ur"))); diff != "" {
		t.Errorf("outputs after rollback (-want +got):\n%s", diff)
	}
	// The stack can be updated again.
	if err := e.update("ur", strings.Replace(fakeTemplate, `"Value": "1"`, `"Value": "3"`, 1)); err != nil {
		t.Fatalf("UpdateStack after rollback = %v", err)
	}
	if st := e.wait("ur"); st.StackStatus != types.StackStatusUpdateComplete {
		t.Errorf("status = %s, want UPDATE_COMPLETE", st.StackStatus)
	}
}

func TestUpdateFailureInPlace(t *testing.T) {
	e := newEnv(t)
	e.create("uf", fakeTemplate)
	e.wait("uf")
	if err := e.update("uf", strings.Replace(fakeTemplate, `"Value": "1"`, `"Value": "2", "FailUpdate": "true"`, 1)); err != nil {
		t.Fatalf("UpdateStack = %v", err)
	}
	st := e.wait("uf")
	ev := e.events("uf")
	if st.StackStatus != types.StackStatusUpdateRollbackComplete || !contains(ev, "Thing UPDATE_FAILED simulated update failure") ||
		!contains(ev, "uf UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Thing]. ") {
		t.Errorf("status = %s, events:\n%s", st.StackStatus, strings.Join(ev, "\n"))
	}
}
