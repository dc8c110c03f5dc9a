//go:build !lambdabinary

package cfn_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/cfn"
)

// TestRootCause: the first resource that failed for a reason of its own,
// in every order of the events around it; never the stack's own failure
// and never a cancellation echo.
func TestRootCause(t *testing.T) {
	const stack = "Svc"
	t0 := time.Unix(0, 0)
	ev := func(id, status, reason string) cfn.ResourceChanged {
		typ := "AWS::Lambda::Function"
		if id == stack {
			typ = "AWS::CloudFormation::Stack"
		}
		return cfn.ResourceChanged{Time: t0, LogicalID: id, Type: typ, Status: status, Reason: reason}
	}
	real := ev("Fn", "CREATE_FAILED", "bucket does not exist")
	tests := []struct {
		name   string
		events []cfn.ResourceChanged
		want   string // LogicalID, "" for none
	}{
		{"stack failure alone", []cfn.ResourceChanged{ev(stack, "CREATE_FAILED", "The following resource(s) failed to create: [Fn]")}, ""},
		{"stack rollback failure alone", []cfn.ResourceChanged{ev(stack, "UPDATE_ROLLBACK_FAILED", "x")}, ""},
		{"stack failure before the resource's", []cfn.ResourceChanged{ev(stack, "UPDATE_FAILED", "x"), real}, "Fn"},
		{"stack failure after the resource's", []cfn.ResourceChanged{real, ev(stack, "UPDATE_FAILED", "x")}, "Fn"},
		{"echo before the failure", []cfn.ResourceChanged{ev("Queue", "CREATE_FAILED", "Resource creation cancelled"), real}, "Fn"},
		{"echo after the failure", []cfn.ResourceChanged{real, ev("Queue", "CREATE_FAILED", "Resource creation cancelled")}, "Fn"},
		{"update cancelled echo", []cfn.ResourceChanged{ev("Queue", "UPDATE_FAILED", "Resource update cancelled"), real}, "Fn"},
		{"deletion cancelled echo", []cfn.ResourceChanged{ev("Queue", "DELETE_FAILED", "Resource deletion cancelled"), real}, "Fn"},
		{"echoes only", []cfn.ResourceChanged{ev("Queue", "CREATE_FAILED", "Resource creation cancelled")}, ""},
		{"first of two real failures", []cfn.ResourceChanged{ev("Role", "CREATE_FAILED", "denied"), real}, "Role"},
		{"first of two real failures, reversed", []cfn.ResourceChanged{real, ev("Role", "CREATE_FAILED", "denied")}, "Fn"},
		{"update failure", []cfn.ResourceChanged{ev("Fn", "UPDATE_FAILED", "bad runtime")}, "Fn"},
		{"delete failure", []cfn.ResourceChanged{ev("Fn", "DELETE_FAILED", "in use")}, "Fn"},
		{"in progress is not a failure", []cfn.ResourceChanged{ev("Fn", "CREATE_IN_PROGRESS", "Resource creation Initiated")}, ""},
		{"complete is not a failure", []cfn.ResourceChanged{ev("Fn", "CREATE_COMPLETE", "")}, ""},
		{"rollback in progress is not a failure", []cfn.ResourceChanged{ev(stack, "ROLLBACK_IN_PROGRESS", "failed")}, ""},
		{"no events", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cfn.RootCause(tt.events, stack)
			if ok != (tt.want != "") || got.LogicalID != tt.want {
				t.Fatalf("RootCause = %+v, %v; want %q", got, ok, tt.want)
			}
			for _, e := range tt.events {
				if ok && e.LogicalID == tt.want && strings.HasSuffix(e.Status, "_FAILED") {
					if want := (cfn.FailedEvent{LogicalID: e.LogicalID, Type: e.Type, Status: e.Status, Reason: e.Reason}); got != want {
						t.Errorf("RootCause = %+v, want %+v", got, want)
					}
					break
				}
			}
		})
	}
}
