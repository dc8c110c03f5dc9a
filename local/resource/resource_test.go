package resource_test

import (
	"encoding/json"
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
