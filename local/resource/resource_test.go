package resource_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/resource"
)

func TestReplaceOnChange(t *testing.T) {
	old := map[string]any{"BucketName": "a", "Tags": []any{"x"}, "Size": 1.0}
	same := map[string]any{"BucketName": "a", "Tags": []any{"x"}, "Size": json.Number("1")}
	if resource.ReplaceOnChange(old, same, "BucketName", "Size") {
		t.Error("ReplaceOnChange reported a change between equal values")
	}
	renamed := map[string]any{"BucketName": "b"}
	if !resource.ReplaceOnChange(old, renamed, "BucketName") {
		t.Error("ReplaceOnChange missed a renamed bucket")
	}
	if resource.ReplaceOnChange(old, renamed, "Tags2") {
		t.Error("ReplaceOnChange reported a change in a property neither has")
	}
}

func TestRegistryRefusesDuplicates(t *testing.T) {
	r := resource.Registry{}
	if err := r.Register(map[string]resource.Provider{"AWS::S3::Bucket": nil}); err != nil {
		t.Fatal(err)
	}
	if err := r.Register(map[string]resource.Provider{"AWS::S3::Bucket": nil}); err == nil {
		t.Error("Register accepted a type twice")
	}
}

func TestPhysicalName(t *testing.T) {
	long := strings.Repeat("S", 100)
	for _, tt := range []struct{ stack, logical string }{{"a", "b"}, {long, "Role"}, {"stack", long}, {long, long}} {
		got := resource.PhysicalName(tt.stack, tt.logical, 64)
		if len(got) > 64 || strings.Count(got, "-") < 2 {
			t.Errorf("PhysicalName(%d chars, %d chars) = %q (%d chars)", len(tt.stack), len(tt.logical), got, len(got))
		}
	}
}

// TestPhysicalNameLimits checks the limit of every provider that generates
// names: each name fits, keeps the stack-logicalID-SUFFIX shape and starts
// with the stack name.
func TestPhysicalNameLimits(t *testing.T) {
	long := strings.Repeat("S", 600)
	for _, max := range []int{63, 64, 100, 251, 255, 256, 512} {
		for _, tt := range []struct{ stack, logical string }{{"a", "b"}, {long, "Role"}, {"stack", long}, {long, long}} {
			got := resource.PhysicalName(tt.stack, tt.logical, max)
			if len(got) > max || strings.Count(got, "-") < 2 || got[0] != tt.stack[0] {
				t.Errorf("PhysicalName(%d chars, %d chars, %d) = %q (%d chars)", len(tt.stack), len(tt.logical), max, got, len(got))
			}
		}
	}
}
