package cloudformation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

func (e *env) waitStarted(logical string) {
	e.t.Helper()
	select {
	case got := <-e.fake.started:
		if got != logical {
			e.t.Fatalf("started %s, want %s", got, logical)
		}
	case <-time.After(10 * time.Second):
		e.t.Fatalf("%s never started", logical)
	}
}

func TestRestartDuringCreate(t *testing.T) {
	e := newEnv(t)
	e.create("dur", `{"Resources": {
	  "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
	  "Stuck": {"Type": "Test::Fake::Thing", "DependsOn": "Vpc", "Properties": {"Block": "true"}}}}`)
	e.waitStarted("Stuck")
	e.restart() // Close interrupts the operation, New finds it in progress

	st := e.describe("dur")
	if st.StackStatus != types.StackStatusCreateFailed || !strings.Contains(aws.ToString(st.StackStatusReason), "the local cloud stopped during the operation") {
		t.Fatalf("after restart = %s %q, want CREATE_FAILED saying the cloud stopped", st.StackStatus, aws.ToString(st.StackStatusReason))
	}
	ev := e.events("dur")
	if ev[0] != "dur CREATE_IN_PROGRESS User Initiated" || !contains(ev, "Vpc CREATE_COMPLETE") || !contains(ev, "Stuck CREATE_FAILED the local cloud stopped during the operation") {
		t.Errorf("events after restart (kept from before it, and the interruption):\n%s", strings.Join(ev, "\n"))
	}
	err := e.update("dur", exporter)
	apiError(t, "UpdateStack in CREATE_FAILED", err, "ValidationError", "is in CREATE_FAILED state and can not be updated.")
	if _, err := e.client.DeleteStack(context.Background(), &cfnsdk.DeleteStackInput{StackName: aws.String("dur")}); err != nil {
		t.Fatalf("DeleteStack = %v", err)
	}
	if s, _ := e.svc.WaitStable(context.Background(), "dur"); s.Status != "DELETE_COMPLETE" {
		t.Errorf("DeleteStack after restart = %s %s, want DELETE_COMPLETE", s.Status, s.StatusReason)
	}
	// The name is free again.
	e.create("dur", exporter)
	if st := e.wait("dur"); st.StackStatus != types.StackStatusCreateComplete {
		t.Errorf("create again = %s", st.StackStatus)
	}
}

func TestRestartDuringUpdate(t *testing.T) {
	e := newEnv(t)
	e.create("durup", fakeTemplate)
	e.wait("durup")
	before := e.resources("durup")
	stuck := strings.Replace(fakeTemplate, `"Value": "1"}}`, `"Value": "2"}},
    "Stuck": {"Type": "Test::Fake::Thing", "DependsOn": "Thing", "Properties": {"Block": "true"}}`, 1)
	if err := e.update("durup", stuck); err != nil {
		t.Fatalf("UpdateStack = %v", err)
	}
	e.waitStarted("Stuck")
	e.restart()

	st := e.describe("durup")
	if st.StackStatus != types.StackStatusUpdateRollbackFailed || !strings.Contains(aws.ToString(st.StackStatusReason), "ContinueUpdateRollback") {
		t.Fatalf("after restart = %s %q, want UPDATE_ROLLBACK_FAILED pointing at ContinueUpdateRollback", st.StackStatus, aws.ToString(st.StackStatusReason))
	}
	err := e.update("durup", fakeTemplate)
	apiError(t, "UpdateStack in UPDATE_ROLLBACK_FAILED", err, "ValidationError", "can not be updated")
	if _, err := e.client.ContinueUpdateRollback(context.Background(), &cfnsdk.ContinueUpdateRollbackInput{StackName: aws.String("durup")}); err != nil {
		t.Fatalf("ContinueUpdateRollback = %v", err)
	}
	if st := e.wait("durup"); st.StackStatus != types.StackStatusUpdateRollbackComplete {
		t.Fatalf("after ContinueUpdateRollback = %s (%v)", st.StackStatus, e.events("durup"))
	}
	if calls := e.fake.Calls(); calls[len(calls)-1] != "Update Thing 1" {
		t.Errorf("fake calls = %v, want Thing updated back to 1", calls)
	}
	res := e.resources("durup")
	if _, ok := res["Stuck"]; ok || aws.ToString(res["Thing"].PhysicalResourceId) != aws.ToString(before["Thing"].PhysicalResourceId) {
		t.Errorf("resources after rollback = %v", res)
	}
	if err := e.update("durup", strings.Replace(fakeTemplate, `"Value": "1"`, `"Value": "5"`, 1)); err != nil {
		t.Fatalf("UpdateStack after the rollback = %v", err)
	}
	if st := e.wait("durup"); st.StackStatus != types.StackStatusUpdateComplete {
		t.Errorf("update after recovery = %s", st.StackStatus)
	}
}

func TestStatePersistsAcrossRestarts(t *testing.T) {
	e := newEnv(t)
	e.create("keep", networkTemplate)
	e.wait("keep")
	d := e.changeSet("keep", "pending", strings.Replace(networkTemplate, `"Key": "env"`, `"Key": "e"`, 1), "")
	beforeRes, beforeEvents, beforeOut := e.resources("keep"), e.events("keep"), outputs(e.describe("keep"))
	e.restart()
	if got := e.resources("keep"); len(got) != len(beforeRes) || aws.ToString(got["Vpc"].PhysicalResourceId) != aws.ToString(beforeRes["Vpc"].PhysicalResourceId) {
		t.Errorf("resources after restart = %v, want %v", got, beforeRes)
	}
	if got := e.events("keep"); len(got) != len(beforeEvents) {
		t.Errorf("events after restart: %d, want %d", len(got), len(beforeEvents))
	}
	if got := outputs(e.describe("keep")); got["VpcId"] != beforeOut["VpcId"] {
		t.Errorf("outputs after restart = %v, want %v", got, beforeOut)
	}
	if ex := e.svc.Exports(); ex["keep-vpc"] != beforeOut["VpcId"] {
		t.Errorf("exports after restart = %v", ex)
	}
	if _, err := e.client.ExecuteChangeSet(context.Background(), &cfnsdk.ExecuteChangeSetInput{ChangeSetName: d.ChangeSetId}); err != nil {
		t.Fatalf("ExecuteChangeSet of a change set made before the restart = %v", err)
	}
	if st := e.wait("keep"); st.StackStatus != types.StackStatusUpdateComplete {
		t.Errorf("after executing = %s", st.StackStatus)
	}
}
