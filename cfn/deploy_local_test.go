//go:build !lambdabinary

package cfn_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/local/localtest"
)

func topicsTemplate(names ...string) string {
	var res, out []string
	for _, n := range names {
		res = append(res, `"`+n+`":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"`+n+`-topic"}}`)
		out = append(out, `"`+n+`Arn":{"Value":{"Ref":"`+n+`"}}`)
	}
	return `{"Resources":{` + strings.Join(res, ",") + `},"Outputs":{` + strings.Join(out, ",") + `}}`
}

// TestDeployerLifecycle drives the deployer through the local cloud's
// CloudFormation: create, nothing to change, update, a failed creation
// with its root cause, the recreation that follows, delete, delete again.
func TestDeployerLifecycle(t *testing.T) {
	cloud := localtest.Start(t)
	ctx := context.Background()
	var mu sync.Mutex
	var events []cfn.ResourceChanged
	var notices []string
	d := &cfn.Deployer{
		API:    cloudformation.NewFromConfig(localtest.Config(cloud)),
		Poll:   20 * time.Millisecond,
		Events: func(e cfn.ResourceChanged) { mu.Lock(); events = append(events, e); mu.Unlock() },
		Notice: func(s string) { mu.Lock(); notices = append(notices, s); mu.Unlock() },
	}
	deploy := func(stack, body, changeSet string) (*cfn.DeployResult, error) {
		return d.Deploy(ctx, cfn.DeployInput{StackName: stack, TemplateBody: body, ChangeSetName: changeSet, Tags: map[string]string{"sparta:service": stack}})
	}

	res, err := deploy("Topics", topicsTemplate("A"), "cs-1")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if res.Operation != "CREATE" || res.Status != "CREATE_COMPLETE" || res.UpToDate || res.Recreated {
		t.Errorf("create = %+v, want CREATE, CREATE_COMPLETE", res)
	}
	if !strings.Contains(res.Outputs["AArn"], ":A-topic") {
		t.Errorf("create outputs = %v, want AArn", res.Outputs)
	}
	if len(res.Changes) != 1 || len(res.Events) == 0 || len(events) == 0 {
		t.Errorf("create: %d changes, %d events (%d streamed), want 1 change and events", len(res.Changes), len(res.Events), len(events))
	}

	res, err = deploy("Topics", topicsTemplate("A"), "cs-2")
	if err != nil || !res.UpToDate || res.Status != "CREATE_COMPLETE" || !strings.Contains(res.Outputs["AArn"], ":A-topic") {
		t.Errorf("same template again = %+v, %v; want up to date with the outputs", res, err)
	}

	res, err = deploy("Topics", topicsTemplate("A", "B"), "cs-3")
	if err != nil || res.Operation != "UPDATE" || res.Status != "UPDATE_COMPLETE" || res.Outputs["BArn"] == "" {
		t.Errorf("update = %+v, %v; want UPDATE, UPDATE_COMPLETE with BArn", res, err)
	}

	bad := `{"Resources":{"Good":{"Type":"AWS::SNS::Topic"},"Bad":{"Type":"AWS::GameLift::Fleet","Properties":{}}}}`
	res, err = deploy("Broken", bad, "cs-1")
	var sf *cfn.StackFailedError
	if !errors.As(err, &sf) {
		t.Fatalf("failed creation = %+v, %v; want a *StackFailedError", res, err)
	}
	if !sf.HasCause || sf.Cause.LogicalID != "Bad" || sf.Cause.Type != "AWS::GameLift::Fleet" || sf.Stack != "Broken" {
		t.Errorf("StackFailedError = %+v, want the Bad resource as the root cause", sf)
	}
	if !strings.Contains(sf.Error(), "stack Broken ended in ") || !strings.Contains(sf.Error(), "Bad (AWS::GameLift::Fleet) CREATE_FAILED") {
		t.Errorf("Error() = %q", sf.Error())
	}

	res, err = deploy("Broken", topicsTemplate("Fixed"), "cs-2")
	if err != nil || !res.Recreated || res.Operation != "CREATE" || res.Status != "CREATE_COMPLETE" {
		t.Errorf("deploy after a failed creation = %+v, %v; want it recreated", res, err)
	}
	mu.Lock()
	said := strings.Join(notices, "\n")
	mu.Unlock()
	if !strings.Contains(said, "stack Broken is in ROLLBACK_COMPLETE from a failed creation: deleting it before creating it again") {
		t.Errorf("notices = %q, want the recreation announced", notices)
	}

	// A stack whose first change set was never executed is in
	// REVIEW_IN_PROGRESS: deploying it is still a creation.
	api := cloudformation.NewFromConfig(localtest.Config(cloud))
	if _, err := api.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("Review"), ChangeSetName: aws.String("cs-0"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateBody: aws.String(topicsTemplate("R"))}); err != nil {
		t.Fatalf("CreateChangeSet: %v", err)
	}
	if s, _ := d.Describe(ctx, "Review"); s == nil || s.StackStatus != types.StackStatusReviewInProgress {
		t.Fatalf("stack after an unexecuted change set = %+v, want REVIEW_IN_PROGRESS", s)
	}
	res, err = deploy("Review", topicsTemplate("R"), "cs-1")
	if err != nil || res.Operation != "CREATE" || res.Status != "CREATE_COMPLETE" {
		t.Errorf("deploy of a stack in review = %+v, %v; want CREATE, CREATE_COMPLETE", res, err)
	}

	existed, _, err := d.Delete(ctx, "Topics")
	if err != nil || !existed {
		t.Errorf("Delete = %v, %v; want existed", existed, err)
	}
	if s, err := d.Describe(ctx, "Topics"); err != nil || s != nil && s.StackStatus != "DELETE_COMPLETE" {
		t.Errorf("Describe after Delete = %+v, %v; want no stack", s, err)
	}
	existed, _, err = d.Delete(ctx, "Topics")
	if err != nil || existed {
		t.Errorf("Delete again = %v, %v; want not existed, no error", existed, err)
	}
	if s, err := d.Describe(ctx, "Never"); err != nil || s != nil {
		t.Errorf("Describe(Never) = %+v, %v; want nil, nil", s, err)
	}
}

// TestStackFailedErrorText: with a root cause, with only the stack's
// reason, with neither.
func TestStackFailedErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  cfn.StackFailedError
		want string
	}{
		{"cause", cfn.StackFailedError{Stack: "S", Status: "ROLLBACK_COMPLETE", HasCause: true,
			Cause: cfn.FailedEvent{LogicalID: "Fn", Type: "AWS::Lambda::Function", Status: "CREATE_FAILED", Reason: "no bucket"}, StatusReason: "ignored"},
			"stack S ended in ROLLBACK_COMPLETE: Fn (AWS::Lambda::Function) CREATE_FAILED: no bucket"},
		{"status reason", cfn.StackFailedError{Stack: "S", Status: "UPDATE_ROLLBACK_FAILED", StatusReason: "role gone"}, "stack S ended in UPDATE_ROLLBACK_FAILED: role gone"},
		{"neither", cfn.StackFailedError{Stack: "S", Status: "DELETE_FAILED"}, "stack S ended in DELETE_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	for cancelled, want := range map[bool]string{
		true:  "interrupted: the update of stack S was asked to cancel; it rolls back on its own",
		false: "interrupted: stopped waiting, but CloudFormation goes on with stack S",
	} {
		if got := (&cfn.InterruptedError{Stack: "S", Cancelled: cancelled}).Error(); got != want {
			t.Errorf("InterruptedError{Cancelled: %v} = %q, want %q", cancelled, got, want)
		}
	}
}
