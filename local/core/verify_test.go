package core_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/sparta-go/sparta/local/core"
)

func signed(t testing.TB, method, url, service string, body []byte, at time.Time) *http.Request {
	r, _ := http.NewRequest(method, url, bytes.NewReader(body))
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if service == "s3" {
		r.Header.Set("X-Amz-Content-Sha256", hash)
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, r, hash, service, "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	r.RequestURI = r.URL.RequestURI()
	return r
}

// TestVerifyRequest covers the signature forms and the refusals, with the
// AWS SDK's own signer producing the valid ones.
func TestVerifyRequest(t *testing.T) {
	keys := core.NewKeyring("000000000000")
	now := time.Now()
	body := []byte(`{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:m"}`)
	ok := func(r *http.Request, service string) core.Verified {
		t.Helper()
		v, err := core.VerifyRequest(r, service, keys, now)
		if err != nil {
			t.Fatalf("VerifyRequest = %v", err.For(core.ProtocolJSON))
		}
		return v
	}
	v := ok(signed(t, "POST", "http://127.0.0.1:4566/", "states", body, now), "states")
	if !v.Principal.IsRoot() {
		t.Errorf("principal = %+v, want the root", v.Principal)
	}
	// Paths with characters the SDK escapes (Lambda's qualified ARNs).
	ok(signed(t, "POST", "http://127.0.0.1:4566/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations?Qualifier=%24LATEST", "lambda", nil, now), "lambda")
	ok(signed(t, "GET", "http://127.0.0.1:4566/bucket/a%20key/with+plus?list-type=2&prefix=a%2Fb", "s3", nil, now), "s3")

	tests := []struct {
		name string
		r    *http.Request
		kind core.AuthFailure
	}{
		{"skew", signed(t, "POST", "http://127.0.0.1/", "states", body, now.Add(-16*time.Minute)), core.AuthSkewed},
		{"future", signed(t, "POST", "http://127.0.0.1/", "states", body, now.Add(16*time.Minute)), core.AuthSkewed},
	}
	changed := signed(t, "POST", "http://127.0.0.1/", "states", body, now)
	changed.Body = io.NopCloser(strings.NewReader(strings.Replace(string(body), ":m\"", ":n\"", 1)))
	tests = append(tests, struct {
		name string
		r    *http.Request
		kind core.AuthFailure
	}{"body changed", changed, core.AuthSignature})
	for _, tt := range tests {
		if _, err := core.VerifyRequest(tt.r, "states", keys, now); err == nil || err.Kind != tt.kind {
			t.Errorf("%s: VerifyRequest = %v, want kind %d", tt.name, err, tt.kind)
		}
	}
	if e := (&core.AuthError{Kind: core.AuthSkewed, Detail: "Signature expired: x"}).For(core.ProtocolRESTXML); e.Code != "RequestTimeTooSkewed" || e.Status != 403 {
		t.Errorf("S3 skew = %+v", e)
	}
}

// BenchmarkVerifyRequest is what verifying a signature adds to a request:
// parsing, the canonical request, the body's hash and four HMACs.
func BenchmarkVerifyRequest(b *testing.B) {
	keys := core.NewKeyring("000000000000")
	body := []byte(`{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:m","input":"{}"}`)
	r := signed(b, "POST", "http://127.0.0.1:4566/", "states", body, time.Now())
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "AWSStepFunctions.StartExecution")
	now := time.Now()
	for b.Loop() {
		r.Body = io.NopCloser(bytes.NewReader(body))
		if _, err := core.VerifyRequest(r, "states", keys, now); err != nil {
			b.Fatal(err)
		}
	}
}
