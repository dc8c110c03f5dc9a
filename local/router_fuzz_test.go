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
// An auth of "sign:SERVICE" signs the request validly with the default
// credentials, so that the fuzzer reaches the services behind the
// signature check.
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
		{"PUT", "/bucket-a", "sign:s3", "", "", ""},
		{"PUT", "/bucket-a/key", "sign:s3", "", "", "data"},
		{"POST", "/", "sign:logs", "Logs_20140328.PutLogEvents", "application/x-amz-json-1.1", `{"logGroupName":"g","logEvents":[{}]}`},
		{"POST", "/", "sign:sts", "", "application/x-www-form-urlencoded", "Action=AssumeRole&RoleArn=arn:aws:iam::000000000000:role/x&RoleSessionName=s"},
		{"POST", "/2015-03-31/functions", "sign:lambda", "", "application/json", `{"FunctionName":"f","Role":"r"}`},
		{"POST", "/", "sign:ssm", "AmazonSSM.PutParameter", "application/x-amz-json-1.1", `{"Name":"/a","Value":"v","Type":"String"}`},
		{"POST", "/", "sign:ssm", "AmazonSSM.GetParameters", "application/x-amz-json-1.1", `{"Names":["/a:1","b"]}`},
		{"POST", "/", "sign:iam", "", "application/x-www-form-urlencoded", "Action=SimulatePrincipalPolicy&PolicySourceArn=arn:aws:iam::000000000000:user/x&ActionNames.member.1=s3:GetObject"},
		{"POST", "/", "sign:iam", "", "application/x-www-form-urlencoded", "Action=GetPolicyVersion&PolicyArn=arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess&VersionId=v1"},
		{"POST", "/", "sign:cloudformation", "", "application/x-www-form-urlencoded", "Action=GetTemplateSummary&TemplateBody=%7B%7D"},
		{"POST", "/", "sign:states", "AWSStepFunctions.DescribeExecution", "application/x-amz-json-1.0", `{"executionArn":"arn:aws:states:us-east-1:000000000000:express:m:n:id"}`},
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
		service, sign := strings.CutPrefix(auth, "sign:")
		if sign {
			auth = ""
		}
		for k, v := range map[string]string{"Authorization": auth, "X-Amz-Target": target, "Content-Type": contentType} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		if sign && service != "" && !strings.ContainsAny(service, "/ ") {
			r.RequestURI = r.URL.RequestURI()
			localtest.Sign(t, r, service, []byte(body))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == 0 {
			t.Fatalf("%s %s: no status", method, path)
		}
		// Reset after each input: the hook keeps every entry, and scanning
		// all earlier inputs' entries made each execution slower than the
		// last until the fuzzer reported 0 execs/s.
		entries := hook.AllEntries()
		hook.Reset()
		for _, e := range entries {
			if strings.Contains(e.Message, "panic") {
				t.Fatalf("%s %s (auth %q, target %q): %s", method, path, auth, target, e.Message)
			}
		}
	})
}
