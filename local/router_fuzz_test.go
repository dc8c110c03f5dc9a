package local_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

// FuzzRouter sends arbitrary requests through the cloud's handler: every
// one must get an answer, and none may panic a service (the router turns a
// panic into a logged InternalFailure, which this test treats as a bug).
func FuzzRouter(f *testing.F) {
	log, hook := logtest.NewNullLogger()
	log.SetLevel(logrus.ErrorLevel)
	c := localtest.Start(f, local.Options{Log: log})
	h := c.Handler()
	seeds := []struct{ method, path, auth, target, contentType, body string }{
		{"GET", "/", "AWS4-HMAC-SHA256 Credential=A/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x", "", "", ""},
		{"PUT", "/bucket-a", "AWS4-HMAC-SHA256 Credential=A/20250101/us-east-1/s3/aws4_request", "", "", ""},
		{"PUT", "/bucket-a/key?partNumber=1&uploadId=x", "AWS4-HMAC-SHA256 Credential=A/20250101/us-east-1/s3/aws4_request", "", "", "data"},
		{"POST", "/bucket-a/key?uploads", "", "", "", ""},
		{"POST", "/", "AWS4-HMAC-SHA256 Credential=A/20250101/us-east-1/logs/aws4_request", "Logs_20140328.PutLogEvents", "application/x-amz-json-1.1", `{"logGroupName":"g","logEvents":[{}]}`},
		{"POST", "/", "AWS4-HMAC-SHA256 Credential=A/20250101/us-east-1/sns/aws4_request", "", "application/x-www-form-urlencoded", "Action=Publish&TopicArn=x&Message=y"},
		{"POST", "/", "AWS4-HMAC-SHA256 Credential=A/20250101/us-east-1/sts/aws4_request", "", "application/x-www-form-urlencoded", "Action=GetCallerIdentity"},
		{"GET", "/b/k?X-Amz-Credential=A%2F2025%2Fus-east-1%2Fs3%2Faws4_request", "", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.auth, s.target, s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, method, path, auth, target, contentType, body string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		r, err := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		for k, v := range map[string]string{"Authorization": auth, "X-Amz-Target": target, "Content-Type": contentType} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == 0 {
			t.Fatalf("%s %s: no status", method, path)
		}
		for _, e := range hook.AllEntries() {
			if strings.Contains(e.Message, "panic") {
				t.Fatalf("%s %s (auth %q, target %q): %s", method, path, auth, target, e.Message)
			}
		}
	})
}
