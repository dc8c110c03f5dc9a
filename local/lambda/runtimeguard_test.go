package lambda_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRuntimeAPIServesOnlyItsSandbox checks what keeps the Runtime API to
// its sandbox's process: a web page (Origin, cross-site fetch) and a
// rebound name (foreign Host) are refused. A same-user process on this
// machine is let in (the test itself), as it may run code as the user
// anyway; other users are refused by the listener (see runtimeguard.go).
func TestRuntimeAPIServesOnlyItsSandbox(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	api := decodeEcho(t, f.invoke(t, "echo", `{}`)).Env["AWS_LAMBDA_RUNTIME_API"]
	if api == "" {
		t.Fatal("no AWS_LAMBDA_RUNTIME_API")
	}
	for _, tt := range []struct {
		name   string
		mutate func(*http.Request)
	}{
		{"page's Origin", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }},
		{"cross-site fetch", func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }},
		{"rebound Host", func(r *http.Request) { r.Host = "evil.example:" + api[strings.LastIndex(api, ":")+1:] }},
		{"localhost Host", func(r *http.Request) { r.Host = "localhost:" + api[strings.LastIndex(api, ":")+1:] }},
	} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+api+"/2018-06-01/runtime/invocation/x/response", strings.NewReader(`"forged"`))
		tt.mutate(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tt.name, resp.StatusCode)
		}
	}
	// The sandbox still serves its own process.
	if r := decodeEcho(t, f.invoke(t, "echo", `{"say":"ok"}`)); r.Say != "ok" {
		t.Errorf("after the refusals: %+v", r)
	}
}
