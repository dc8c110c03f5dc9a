package local_test

import (
	"html"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
)

// IAM's query API reports every missing required parameter in one
// ValidationError, as AWS's validation errors do: "N validation errors
// detected: ...; ..." (recorded AWS behaviour; the SDKs and the CLI check
// required members before sending, so only raw callers see it).
func TestIAMQueryNamesEveryMissingParameter(t *testing.T) {
	c := localtest.Start(t)
	tests := []struct{ name, body, want string }{
		{"one missing", "Action=AttachRolePolicy&Version=2010-05-08&RoleName=r",
			"1 validation error detected: Value null at 'PolicyArn' failed to satisfy constraint: Member must not be null"},
		{"both missing", "Action=AttachRolePolicy&Version=2010-05-08",
			"2 validation errors detected: Value null at 'RoleName' failed to satisfy constraint: Member must not be null; Value null at 'PolicyArn' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, c.Endpoint()+"/", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			localtest.Sign(t, req, "iam", []byte(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			body := html.UnescapeString(string(raw)) // the XML escapes the quotes
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "<Code>ValidationError</Code>") || !strings.Contains(body, tt.want) {
				t.Errorf("%s = %d %s, want 400 ValidationError %q", tt.body, resp.StatusCode, body, tt.want)
			}
		})
	}
}
