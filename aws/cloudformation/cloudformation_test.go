package cloudformation_test

import (
	"testing"

	spartaCF "github.com/sparta-go/sparta/aws/cloudformation"
	"github.com/sparta-go/sparta/cfn"
)

func TestForwardsToCfn(t *testing.T) {
	if got, want := spartaCF.UserScopedStackName("S"), cfn.UserScopedStackName("S"); got != want {
		t.Errorf("UserScopedStackName = %q, want cfn's %q", got, want)
	}
	if got, want := spartaCF.StableResourceName("Topic"), cfn.LogicalID("Topic", "Topic"); got != want {
		t.Errorf("StableResourceName = %q, want %q", got, want)
	}
	if a, b := spartaCF.ResourceName("X"), spartaCF.ResourceName("X"); a != b {
		t.Errorf("ResourceName is not stable: %q then %q", a, b)
	}
	bucket := cfn.GetAtt("Site", "Arn")
	if got, want := spartaCF.S3AllKeysArnForBucket(bucket), cfn.Join("", bucket, "/*"); got != want {
		t.Errorf("S3AllKeysArnForBucket = %q, want %q", got, want)
	}
}
