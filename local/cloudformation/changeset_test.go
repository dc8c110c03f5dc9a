package cloudformation_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/google/go-cmp/cmp"
)

func (e *env) changeSet(stack, name, body string, typ types.ChangeSetType) *cfnsdk.DescribeChangeSetOutput {
	e.t.Helper()
	ctx := context.Background()
	out, err := e.client.CreateChangeSet(ctx, &cfnsdk.CreateChangeSetInput{
		StackName: aws.String(stack), ChangeSetName: aws.String(name), TemplateBody: aws.String(body), ChangeSetType: typ,
	})
	if err != nil {
		e.t.Fatalf("CreateChangeSet(%s) = %v", name, err)
	}
	d, err := e.client.DescribeChangeSet(ctx, &cfnsdk.DescribeChangeSetInput{ChangeSetName: out.Id})
	if err != nil {
		e.t.Fatalf("DescribeChangeSet(%s) = %v", name, err)
	}
	return d
}

// change is a resource change reduced to what the tests compare.
type change struct {
	Action, Logical, Replacement string
	Properties                   []string
}

func changes(d *cfnsdk.DescribeChangeSetOutput) []change {
	var out []change
	for _, c := range d.Changes {
		rc := c.ResourceChange
		ch := change{Action: string(rc.Action), Logical: aws.ToString(rc.LogicalResourceId), Replacement: string(rc.Replacement)}
		for _, d := range rc.Details {
			ch.Properties = append(ch.Properties, aws.ToString(d.Target.Name)+":"+string(d.Target.RequiresRecreation))
		}
		out = append(out, ch)
	}
	return out
}

func TestChangeSets(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	// A change set of type CREATE makes a stack in REVIEW_IN_PROGRESS.
	d := e.changeSet("cs", "first", networkTemplate, types.ChangeSetTypeCreate)
	if d.Status != types.ChangeSetStatusCreateComplete || d.ExecutionStatus != types.ExecutionStatusAvailable {
		t.Fatalf("CREATE change set = %s/%s %s", d.Status, d.ExecutionStatus, aws.ToString(d.StatusReason))
	}
	want := []change{{Action: "Add", Logical: "Dash"}, {Action: "Add", Logical: "Sg"}, {Action: "Add", Logical: "Subnet"}, {Action: "Add", Logical: "Vpc"}}
	if diff := cmp.Diff(want, changes(d)); diff != "" {
		t.Errorf("CREATE changes (-want +got):\n%s", diff)
	}
	if st := e.describe("cs"); st.StackStatus != types.StackStatusReviewInProgress {
		t.Errorf("stack before execution = %s, want REVIEW_IN_PROGRESS", st.StackStatus)
	}
	if _, err := e.client.ExecuteChangeSet(ctx, &cfnsdk.ExecuteChangeSetInput{ChangeSetName: aws.String("first"), StackName: aws.String("cs")}); err != nil {
		t.Fatalf("ExecuteChangeSet(first) = %v", err)
	}
	if st := e.wait("cs"); st.StackStatus != types.StackStatusCreateComplete {
		t.Fatalf("after executing = %s (%v)", st.StackStatus, e.events("cs"))
	}
	first, _ := e.client.DescribeChangeSet(ctx, &cfnsdk.DescribeChangeSetInput{ChangeSetName: d.ChangeSetId})
	if first.ExecutionStatus != types.ExecutionStatusExecuteComplete {
		t.Errorf("executed change set = %s, want EXECUTE_COMPLETE", first.ExecutionStatus)
	}
	before := e.resources("cs")

	// Modify in place, modify with replacement (and what that replacement
	// makes conditional), remove, add.
	next := strings.NewReplacer(
		`"Default": "10.0.0.0/16"`, `"Default": "10.1.0.0/16"`,
		`"Key": "env"`, `"Key": "environment"`,
		`"Dash": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": "{}"}}`, `"Igw": {"Type": "AWS::EC2::InternetGateway"}`,
	).Replace(networkTemplate)
	d = e.changeSet("cs", "second", next, "")
	if d.Status != types.ChangeSetStatusCreateComplete {
		t.Fatalf("UPDATE change set = %s %s", d.Status, aws.ToString(d.StatusReason))
	}
	want = []change{
		{Action: "Remove", Logical: "Dash"},
		{Action: "Add", Logical: "Igw"},
		{Action: "Modify", Logical: "Sg", Replacement: "Conditional", Properties: []string{"GroupDescription:Always", "Tags:Never", "VpcId:Always"}},
		{Action: "Modify", Logical: "Subnet", Replacement: "Conditional", Properties: []string{"CidrBlock:Always", "VpcId:Always"}},
		{Action: "Modify", Logical: "Vpc", Replacement: "True", Properties: []string{"CidrBlock:Always"}},
	}
	if diff := cmp.Diff(want, changes(d)); diff != "" {
		t.Errorf("UPDATE changes (-want +got):\n%s", diff)
	}
	for _, c := range d.Changes {
		if aws.ToString(c.ResourceChange.LogicalResourceId) == "Vpc" && aws.ToString(c.ResourceChange.PhysicalResourceId) != aws.ToString(before["Vpc"].PhysicalResourceId) {
			t.Errorf("Modify Vpc PhysicalResourceId = %s, want %s", aws.ToString(c.ResourceChange.PhysicalResourceId), aws.ToString(before["Vpc"].PhysicalResourceId))
		}
	}
	// A tag alone: in place, Replacement False.
	d = e.changeSet("cs", "tagonly", strings.Replace(networkTemplate, `"Key": "env"`, `"Key": "environment"`, 1), "")
	if diff := cmp.Diff([]change{{Action: "Modify", Logical: "Sg", Replacement: "False", Properties: []string{"Tags:Never"}}}, changes(d)); diff != "" {
		t.Errorf("tag-only changes (-want +got):\n%s", diff)
	}
	list, err := e.client.ListChangeSets(ctx, &cfnsdk.ListChangeSetsInput{StackName: aws.String("cs")})
	if err != nil || len(list.Summaries) != 3 {
		t.Errorf("ListChangeSets = %v, %v, want first, second, tagonly", list, err)
	}
	if _, err := e.client.DeleteChangeSet(ctx, &cfnsdk.DeleteChangeSetInput{ChangeSetName: aws.String("tagonly"), StackName: aws.String("cs")}); err != nil {
		t.Errorf("DeleteChangeSet = %v", err)
	}
	_, err = e.client.DescribeChangeSet(ctx, &cfnsdk.DescribeChangeSetInput{ChangeSetName: aws.String("tagonly"), StackName: aws.String("cs")})
	var nf *types.ChangeSetNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("DescribeChangeSet after delete = %v, want ChangeSetNotFoundException", err)
	}

	if _, err := e.client.ExecuteChangeSet(ctx, &cfnsdk.ExecuteChangeSetInput{ChangeSetName: aws.String("second"), StackName: aws.String("cs")}); err != nil {
		t.Fatalf("ExecuteChangeSet(second) = %v", err)
	}
	if st := e.wait("cs"); st.StackStatus != types.StackStatusUpdateComplete {
		t.Fatalf("after executing second = %s (%v)", st.StackStatus, e.events("cs"))
	}
	after := e.resources("cs")
	if aws.ToString(after["Vpc"].PhysicalResourceId) == aws.ToString(before["Vpc"].PhysicalResourceId) || after["Igw"].ResourceStatus != types.ResourceStatusCreateComplete {
		t.Errorf("after second: Vpc %s (was %s), Igw %s", aws.ToString(after["Vpc"].PhysicalResourceId), aws.ToString(before["Vpc"].PhysicalResourceId), after["Igw"].ResourceStatus)
	}
	if st := e.describe("cs"); st.ChangeSetId == nil {
		t.Errorf("DescribeStacks ChangeSetId is empty after an executed change set")
	}

	// The same template again: nothing to change.
	d = e.changeSet("cs", "same", next, "")
	if d.Status != types.ChangeSetStatusFailed || d.ExecutionStatus != types.ExecutionStatusUnavailable ||
		aws.ToString(d.StatusReason) != "The submitted information didn't contain changes. Submit different information to create a change set." {
		t.Errorf("empty change set = %s/%s %q", d.Status, d.ExecutionStatus, aws.ToString(d.StatusReason))
	}
	_, err = e.client.ExecuteChangeSet(ctx, &cfnsdk.ExecuteChangeSetInput{ChangeSetName: d.ChangeSetId})
	var bad *types.InvalidChangeSetStatusException
	if !errors.As(err, &bad) {
		t.Errorf("ExecuteChangeSet(FAILED) = %v, want InvalidChangeSetStatusException", err)
	}
	_, err = e.client.CreateChangeSet(ctx, &cfnsdk.CreateChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("same"), TemplateBody: aws.String(next)})
	apiError(t, "CreateChangeSet(same) twice", err, "AlreadyExistsException", "ChangeSet [same] already exists")
	_, err = e.client.CreateChangeSet(ctx, &cfnsdk.CreateChangeSetInput{StackName: aws.String("nostack"), ChangeSetName: aws.String("x"), TemplateBody: aws.String(next)})
	apiError(t, "CreateChangeSet(UPDATE) of a missing stack", err, "ValidationError", "Stack [nostack] does not exist")
	_, err = e.client.CreateChangeSet(ctx, &cfnsdk.CreateChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("again"), TemplateBody: aws.String(next), ChangeSetType: types.ChangeSetTypeCreate})
	apiError(t, "CreateChangeSet(CREATE) of an existing stack", err, "ValidationError", "Stack [cs] already exists and cannot be created again with the changeSet [again].")
}
