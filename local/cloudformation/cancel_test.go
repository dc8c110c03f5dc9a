package cloudformation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// CancelUpdateStack stops an update under way: resources not yet started
// are not, and the stack rolls back to what it was.
func TestCancelUpdateStack(t *testing.T) {
	e := newEnv(t)
	e.create("cu", fakeTemplate)
	if st := e.wait("cu"); st.StackStatus != types.StackStatusCreateComplete {
		t.Fatalf("create = %s", st.StackStatus)
	}
	if _, err := e.client.CancelUpdateStack(context.Background(), &cfnsdk.CancelUpdateStackInput{StackName: aws.String("cu")}); err == nil || !strings.Contains(err.Error(), "CancelUpdateStack cannot be called from current stack status") {
		t.Errorf("CancelUpdateStack of a stable stack = %v, want AWS's ValidationError", err)
	}
	// Thing goes to 2, then Slow takes a while, then After would follow it.
	slow := strings.Replace(fakeTemplate, `"Value": "1"}}`, `"Value": "2"}},
    "Slow": {"Type": "Test::Fake::Thing", "DependsOn": "Thing", "Properties": {"DelayMs": "400"}},
    "After": {"Type": "Test::Fake::Thing", "DependsOn": "Slow", "Properties": {"Value": "x"}}`, 1)
	if err := e.update("cu", slow); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CancelUpdateStack(context.Background(), &cfnsdk.CancelUpdateStackInput{StackName: aws.String("cu")}); err != nil {
		t.Fatalf("CancelUpdateStack = %v", err)
	}
	st := e.wait("cu")
	if st.StackStatus != types.StackStatusUpdateRollbackComplete {
		t.Fatalf("status = %s, want UPDATE_ROLLBACK_COMPLETE (%v)", st.StackStatus, e.events("cu"))
	}
	for _, c := range e.fake.Calls() {
		if c == "Create After" {
			t.Errorf("a resource was started after the cancel: %v", e.fake.Calls())
		}
	}
	res := e.resources("cu")
	if _, ok := res["Slow"]; ok {
		t.Errorf("the rollback left Slow behind: %v", res)
	}
	found := false
	for _, ev := range e.events("cu") {
		found = found || strings.Contains(ev, "Stack update cancelled")
	}
	if !found {
		t.Errorf("no event says the update was cancelled: %v", e.events("cu"))
	}
}
