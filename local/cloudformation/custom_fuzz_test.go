package cloudformation

import (
	"strings"
	"testing"
)

// FuzzParseCustomResponse feeds response objects, which any holder of a
// ResponseURL sends, to the parser: it never panics, and what it accepts
// matches the request and has a valid Status.
func FuzzParseCustomResponse(f *testing.F) {
	f.Add([]byte(`{"Status":"SUCCESS","PhysicalResourceId":"p","StackId":"s","RequestId":"r","LogicalResourceId":"L","Data":{"A":"1"}}`))
	f.Add([]byte(`{"Status":"FAILED","Reason":"no","StackId":"s","RequestId":"r","LogicalResourceId":"L"}`))
	f.Add([]byte(`{"Status":"SUCCESS","Data":[1,2]}`))
	f.Add([]byte(`not json`))
	f.Add([]byte(`{"Status":"SUCCESS","StackId":"s","RequestId":"r","LogicalResourceId":"L","NoEcho":"true","Data":{"x":{"y":[null]}}}`))
	p := &pendingRequest{stackID: "s", requestID: "r", logicalID: "L"}
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := parseCustomResponse(body, p)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Invalid response object: ") {
				t.Errorf("error %q does not say the response object is invalid", err)
			}
			return
		}
		if resp.Status != "SUCCESS" && resp.Status != "FAILED" || resp.StackID != "s" || resp.RequestID != "r" || resp.LogicalResourceID != "L" {
			t.Errorf("accepted %+v from %q", resp, body)
		}
	})
}

// TestStringProperties: CloudFormation sends a custom resource's numbers
// and booleans as strings, at any depth.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html
func TestStringProperties(t *testing.T) {
	got := stringProperties(map[string]any{"N": 21.0, "B": true, "L": []any{1.5, false, "s"}, "M": map[string]any{"X": 3.0}})
	if got["N"] != "21" || got["B"] != "true" || got["L"].([]any)[0] != "1.5" || got["L"].([]any)[1] != "false" || got["M"].(map[string]any)["X"] != "3" {
		t.Errorf("stringProperties = %v", got)
	}
}
