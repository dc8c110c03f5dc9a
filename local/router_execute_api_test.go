package local_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
)

// TestExecuteAPISignedRequestsReachAPIGateway: a request to the execute-api
// data plane signed for "execute-api" (a signing name no service of the
// cloud has) is API Gateway's, which verifies it for AWS_IAM methods; a
// signed request for an unknown name elsewhere is still refused by name.
func TestExecuteAPISignedRequestsReachAPIGateway(t *testing.T) {
	c := localtest.Start(t)
	for _, tc := range []struct {
		name, url, host string
		want            int
		body            string
	}{
		// No API abc123 exists: API Gateway's own answer proves the routing.
		{"host form", c.Endpoint() + "/v1/hello", "abc123.execute-api.localhost", 404, `{"message":"the local API Gateway has no API abc123"}`},
		{"path form", c.Endpoint() + "/restapis/abc123/v1/_user_request_/hello", "", 404, `{"message":"the local API Gateway has no API abc123"}`},
		{"elsewhere", c.Endpoint() + "/hello", "", 501, ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		localtest.Sign(t, req, "execute-api", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || (tc.body != "" && string(b) != tc.body) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, resp.StatusCode, b, tc.want, tc.body)
		}
	}
}
