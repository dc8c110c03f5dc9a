//go:build !lambdabinary

package cfn_test

import (
	"testing"
	"time"

	"github.com/sparta-go/sparta/cfn"
)

func TestRootCauseSkipsEchoes(t *testing.T) {
	t0 := time.Unix(0, 0)
	events := []cfn.ResourceChanged{
		{Time: t0, LogicalID: "Svc", Status: "CREATE_IN_PROGRESS"},
		{Time: t0, LogicalID: "Role", Type: "AWS::IAM::Role", Status: "CREATE_IN_PROGRESS"},
		{Time: t0, LogicalID: "Queue", Type: "AWS::SQS::Queue", Status: "CREATE_FAILED", Reason: "Resource creation cancelled"},
		{Time: t0, LogicalID: "Fn", Type: "AWS::Lambda::Function", Status: "CREATE_FAILED", Reason: "bucket does not exist"},
		{Time: t0, LogicalID: "Svc", Status: "ROLLBACK_IN_PROGRESS", Reason: "The following resource(s) failed to create: [Fn]"},
	}
	got, ok := cfn.RootCause(events, "Svc")
	if !ok || got.LogicalID != "Fn" || got.Reason != "bucket does not exist" {
		t.Fatalf("RootCause = %+v, %v; want Fn: bucket does not exist", got, ok)
	}
	if _, ok := cfn.RootCause(events[:3], "Svc"); ok {
		t.Error("RootCause found a cause among cancellation echoes only")
	}
}

func TestTimings(t *testing.T) {
	t0 := time.Unix(100, 0)
	events := []cfn.ResourceChanged{
		{Time: t0, LogicalID: "Svc", Status: "CREATE_IN_PROGRESS"},
		{Time: t0, LogicalID: "Role", Type: "AWS::IAM::Role", Status: "CREATE_IN_PROGRESS"},
		{Time: t0.Add(time.Second), LogicalID: "Role", Type: "AWS::IAM::Role", Status: "CREATE_IN_PROGRESS", Reason: "Resource creation Initiated"},
		{Time: t0.Add(12 * time.Second), LogicalID: "Role", Type: "AWS::IAM::Role", Status: "CREATE_COMPLETE"},
		{Time: t0.Add(12 * time.Second), LogicalID: "Fn", Type: "AWS::Lambda::Function", Status: "CREATE_IN_PROGRESS"},
		{Time: t0.Add(15 * time.Second), LogicalID: "Fn", Type: "AWS::Lambda::Function", Status: "CREATE_COMPLETE"},
	}
	got := cfn.Timings(events, "Svc")
	if len(got) != 2 || got[0].LogicalID != "Role" || got[0].Duration != 12*time.Second || got[1].Duration != 3*time.Second {
		t.Fatalf("Timings = %+v", got)
	}
}
