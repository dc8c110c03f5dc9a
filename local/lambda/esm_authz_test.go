package lambda_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/core"
)

// TestMappingPermissions: the mapping operations map to their IAM actions;
// Create and List have no resource (AWS scopes them by condition key), the
// others act on the mapping's ARN.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
func TestMappingPermissions(t *testing.T) {
	f := newFixture(t)
	const id = "6a59b2ba-0a7a-4a2b-8a36-2fd8e7e6c4e1"
	for _, tc := range []struct{ method, path, body, action, resource string }{
		{"POST", "/2015-03-31/event-source-mappings/", `{"FunctionName":"f","EventSourceArn":"arn:aws:sqs:us-east-1:000000000000:q"}`, "lambda:CreateEventSourceMapping", "*"},
		{"GET", "/2015-03-31/event-source-mappings/?FunctionName=f", "", "lambda:ListEventSourceMappings", "*"},
		{"GET", "/2015-03-31/event-source-mappings/" + id, "", "lambda:GetEventSourceMapping", "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + id},
		{"PUT", "/2015-03-31/event-source-mappings/" + id, `{"BatchSize":5}`, "lambda:UpdateEventSourceMapping", "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + id},
		{"DELETE", "/2015-03-31/event-source-mappings/" + id, "", "lambda:DeleteEventSourceMapping", "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + id},
	} {
		r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		got, err := f.svc.Permissions(r)
		want := []core.Permission{{Action: tc.action, Resource: tc.resource}}
		if err != nil || len(got) != 1 || got[0] != want[0] {
			t.Errorf("Permissions(%s %s) = %v, %v, want %v", tc.method, tc.path, got, err, want)
		}
	}
}
