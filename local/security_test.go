package local_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/localtest"
)

// attack is one request a hostile caller sends, and the refusal AWS gives.
type attack struct {
	name string
	// req builds the request against endpoint.
	req    func(t *testing.T, endpoint string) *http.Request
	status int
	// code is the AWS error code expected in the body or X-Amzn-ErrorType.
	code string
}

// play sends every attack and checks its refusal; it returns how many were
// refused as expected.
func play(t *testing.T, endpoint string, attacks []attack) int {
	t.Helper()
	refused := 0
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(a.req(t, endpoint))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			code := resp.Header.Get("X-Amzn-ErrorType")
			if resp.StatusCode != a.status || code != a.code && !strings.Contains(string(body), ">"+a.code+"<") && !strings.Contains(string(body), `"`+a.code+`"`) {
				t.Errorf("%s = %d %s %s, want %d %s", a.name, resp.StatusCode, code, body, a.status, a.code)
				return
			}
			refused++
		})
	}
	return refused
}

const queryGetCallerIdentity = "Action=GetCallerIdentity&Version=2011-06-15"

// stsRequest is a signed GetCallerIdentity (awsQuery).
func stsRequest(t *testing.T, endpoint, akid, secret string, at time.Time) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, endpoint+"/", strings.NewReader(queryGetCallerIdentity))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	localtest.SignAs(t, req, "sts", []byte(queryGetCallerIdentity), akid, secret, at)
	return req
}

// lambdaList is a signed ListFunctions (restJson1).
func lambdaList(t *testing.T, endpoint, akid, secret string, at time.Time) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, endpoint+"/2015-03-31/functions/", nil)
	localtest.SignAs(t, req, "lambda", nil, akid, secret, at)
	return req
}

// s3Get is a signed GET of an object (REST-XML).
func s3Get(t *testing.T, endpoint, akid, secret string, at time.Time) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, endpoint+"/private/secret.txt", nil)
	localtest.SignAs(t, req, "s3", nil, akid, secret, at)
	return req
}

// presign returns a presigned GET URL of the private object, signed at at
// for expires.
func presign(t *testing.T, endpoint string, at time.Time, expires time.Duration) string {
	req, _ := http.NewRequest(http.MethodGet, endpoint+"/private/secret.txt", nil)
	q := req.URL.Query()
	q.Set("X-Amz-Expires", fmt.Sprint(int(expires/time.Second)))
	req.URL.RawQuery = q.Encode()
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: core.DefaultAccessKeyID, SecretAccessKey: core.DefaultSecretAccessKey},
		req, "UNSIGNED-PAYLOAD", "s3", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// shellZip is a function whose bootstrap is a shell script that leaves a
// mark: what a page would run on the developer's machine.
func shellZip(t *testing.T, mark string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	h.SetMode(0o755)
	w, _ := zw.CreateHeader(h)
	fmt.Fprintf(w, "#!/bin/sh\ntouch %s\n", mark)
	_ = zw.Close()
	return buf.Bytes()
}

// crossSiteCreate is the attack: a "simple" cross-origin POST a
// browser sends without a preflight (text/plain, no Authorization), the
// service named by an X-Amz-Credential in the query.
func crossSiteCreate(t *testing.T, endpoint, origin, mark string) *http.Request {
	body, _ := json.Marshal(map[string]any{
		"FunctionName": "pwned", "Runtime": "provided.al2023", "Handler": "bootstrap",
		"Role": "arn:aws:iam::000000000000:role/x", "Code": map[string]any{"ZipFile": base64.StdEncoding.EncodeToString(shellZip(t, mark))},
	})
	req, _ := http.NewRequest(http.MethodPost, endpoint+"/2015-03-31/functions?X-Amz-Credential=x%2F20250101%2Fus-east-1%2Flambda%2Faws4_request", bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/plain")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return req
}

// securityAttacks are the attacks of issue 11, each with AWS's refusal.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
// and https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.
func securityAttacks(mark string) []attack {
	now := time.Now()
	key, secret := core.DefaultAccessKeyID, core.DefaultSecretAccessKey
	return []attack{
		{"sts wrong secret", func(t *testing.T, e string) *http.Request { return stsRequest(t, e, key, "wrong", now) }, 403, "SignatureDoesNotMatch"},
		{"lambda wrong secret", func(t *testing.T, e string) *http.Request { return lambdaList(t, e, key, "wrong", now) }, 403, "InvalidSignatureException"},
		{"s3 wrong secret", func(t *testing.T, e string) *http.Request { return s3Get(t, e, key, "wrong", now) }, 403, "SignatureDoesNotMatch"},
		{"sts unknown key", func(t *testing.T, e string) *http.Request { return stsRequest(t, e, "AKIDUNKNOWN", secret, now) }, 403, "InvalidClientTokenId"},
		{"lambda unknown key", func(t *testing.T, e string) *http.Request { return lambdaList(t, e, "AKIDUNKNOWN", secret, now) }, 403, "UnrecognizedClientException"},
		{"s3 unknown key", func(t *testing.T, e string) *http.Request { return s3Get(t, e, "AKIDUNKNOWN", secret, now) }, 403, "InvalidAccessKeyId"},
		{"signature 0", func(t *testing.T, e string) *http.Request {
			r := stsRequest(t, e, key, secret, now)
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:strings.Index(a, "Signature=")]+"Signature=0")
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"sts signed in 2015", func(t *testing.T, e string) *http.Request {
			return stsRequest(t, e, key, secret, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC))
		}, 403, "SignatureDoesNotMatch"},
		{"sts signed in 2099", func(t *testing.T, e string) *http.Request {
			return stsRequest(t, e, key, secret, time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))
		}, 403, "SignatureDoesNotMatch"},
		{"lambda signed 16 minutes ago", func(t *testing.T, e string) *http.Request {
			return lambdaList(t, e, key, secret, now.Add(-16*time.Minute))
		}, 403, "InvalidSignatureException"},
		{"s3 signed in 2015", func(t *testing.T, e string) *http.Request {
			return s3Get(t, e, key, secret, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC))
		}, 403, "RequestTimeTooSkewed"},
		{"expired presigned URL", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, presign(t, e, now.Add(-2*time.Hour), time.Hour), nil)
			return r
		}, 403, "AccessDenied"},
		{"presigned URL with its signature changed", func(t *testing.T, e string) *http.Request {
			u := presign(t, e, now, time.Hour)
			r, _ := http.NewRequest(http.MethodGet, u[:len(u)-4]+"0000", nil)
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"presigned URL for another key", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, strings.Replace(presign(t, e, now, time.Hour), "secret.txt", "other.txt", 1), nil)
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"sts body changed after signing", func(t *testing.T, e string) *http.Request {
			r := stsRequest(t, e, key, secret, now)
			r.Body = io.NopCloser(strings.NewReader("Action=GetCallerIdentity&Version=2011-06-16"))
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"s3 body changed after signing", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodPut, e+"/private/planted.txt", strings.NewReader("signed"))
			localtest.Sign(t, r, "s3", []byte("signed"))
			r.Body = io.NopCloser(strings.NewReader("sneaky")) // the same length: Content-Length is signed
			return r
		}, 400, "XAmzContentSHA256Mismatch"},
		{"unsigned payload outside S3", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodPost, e+"/", strings.NewReader(queryGetCallerIdentity))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}, r, "UNSIGNED-PAYLOAD", "sts", "us-east-1", now); err != nil {
				t.Fatal(err)
			}
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"s3 without x-amz-content-sha256", func(t *testing.T, e string) *http.Request {
			r := s3Get(t, e, key, secret, now)
			r.Header.Del("X-Amz-Content-Sha256")
			return r
		}, 400, "InvalidRequest"},
		{"unsigned s3 list", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/private", nil)
			return r
		}, 403, "AccessDenied"},
		{"unsigned s3 get", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/private/secret.txt", nil)
			return r
		}, 403, "AccessDenied"},
		{"unsigned s3 put", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodPut, e+"/private/planted.txt", strings.NewReader("x"))
			return r
		}, 403, "AccessDenied"},
		{"unsigned sts", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodPost, e+"/?X-Amz-Credential=x%2F20250101%2Fus-east-1%2Fsts%2Faws4_request", strings.NewReader(queryGetCallerIdentity))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 403, "IncompleteSignature"},
		{"session key without its token", func(t *testing.T, e string) *http.Request { return lambdaList(t, e, "ASIAUNKNOWNSESSION", "x", now) }, 403, "UnrecognizedClientException"},
		{"SigV2", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/private/secret.txt", nil)
			r.Header.Set("Authorization", "AWS test:c2lnbmF0dXJl")
			return r
		}, 400, "InvalidRequest"},
		{"cross-site text/plain CreateFunction", func(t *testing.T, e string) *http.Request {
			return crossSiteCreate(t, e, "http://evil.example", mark)
		}, 403, "AccessDenied"},
		{"cross-site CreateFunction from a sandboxed frame (Origin: null)", func(t *testing.T, e string) *http.Request {
			return crossSiteCreate(t, e, "null", mark)
		}, 403, "AccessDenied"},
		{"the same CreateFunction without Origin", func(t *testing.T, e string) *http.Request { return crossSiteCreate(t, e, "", mark) }, 403, "IncompleteSignatureException"},
		{"cross-site GET without Origin (img, script)", func(t *testing.T, e string) *http.Request {
			r := s3Get(t, e, key, secret, now)
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			return r
		}, 403, "AccessDenied"},
		{"CORS preflight from a foreign origin", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodOptions, e+"/2015-03-31/functions", nil)
			r.Header.Set("Origin", "http://evil.example")
			r.Header.Set("Access-Control-Request-Method", "POST")
			r.Header.Set("Access-Control-Request-Headers", "authorization,x-amz-date")
			return r
		}, 403, "AccessDenied"},
		{"DNS rebinding (foreign Host), signed", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/private/secret.txt", nil)
			r.Host = "rebind.evil.example:4566"
			localtest.Sign(t, r, "s3", nil)
			return r
		}, 403, "AccessDenied"},
		{"SDK host prefix on a foreign name", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/private/secret.txt", nil)
			r.Host = "sync-rebind.evil.example"
			localtest.Sign(t, r, "s3", nil)
			return r
		}, 403, "AccessDenied"},
		{"SDK host prefix from a web page (Origin)", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/private/secret.txt", nil)
			r.Host = "sync-localhost"
			r.Header.Set("Origin", "http://sync-localhost")
			localtest.Sign(t, r, "s3", nil)
			return r
		}, 403, "AccessDenied"},
		{"SDK host prefix from a web page (Sec-Fetch-Site)", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/private/secret.txt", nil)
			r.Host = "sync-127.0.0.1"
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			localtest.Sign(t, r, "s3", nil)
			return r
		}, 403, "AccessDenied"},
		{"Host of a LAN address", func(t *testing.T, e string) *http.Request {
			r := s3Get(t, e, key, secret, now)
			r.Host = "192.0.2.7"
			return r
		}, 403, "AccessDenied"},
		{"ECR registry without login", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/v2/_catalog", nil)
			return r
		}, 401, "UNAUTHORIZED"},
		{"ECR registry with SigV4 instead of its login", func(t *testing.T, e string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e+"/v2/_catalog", nil)
			r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("AWS:guess")))
			return r
		}, 401, "UNAUTHORIZED"},
	}
}

// TestSecurityAttacksAreRefused plays every attack of issue 11 against a
// real local cloud over HTTP and checks AWS's refusal; the private object
// stays private and the page's function is never created.
func TestSecurityAttacksAreRefused(t *testing.T) {
	c := localtest.Start(t)
	cfg := localtest.Config(c)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	ctx := context.Background()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("private")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("private"), Key: aws.String("secret.txt"), Body: strings.NewReader("secret")}); err != nil {
		t.Fatal(err)
	}
	mark := filepath.Join(t.TempDir(), "pwned")
	attacks := securityAttacks(mark)
	refused := play(t, c.Endpoint(), attacks)
	t.Logf("%d of %d attacks refused", refused, len(attacks))

	// What the attacks would have done did not happen.
	if _, err := os.Stat(mark); err == nil {
		t.Error("the page's shell script ran")
	}
	fns, err := lambdasdk.NewFromConfig(cfg).ListFunctions(ctx, &lambdasdk.ListFunctionsInput{})
	if err != nil || len(fns.Functions) != 0 {
		t.Errorf("functions after the attacks = %v, %v: want none", fns, err)
	}
	if _, err := s3c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("private"), Key: aws.String("planted.txt")}); err == nil {
		t.Error("an attack planted an object")
	}

	// The legitimate forms keep working.
	resp, err := http.Get(presign(t, c.Endpoint(), time.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "secret" {
		t.Errorf("valid presigned GET = %d %q", resp.StatusCode, body)
	}
	// The SDKs' host prefixes (sync-, data-, stream-) on this machine's
	// names are the AWS CLI reaching it for StartSyncExecution and the like.
	for _, host := range []string{"localhost", "bucket.localhost", "abc123.execute-api.localhost", "127.0.0.2", "[::1]",
		"sync-127.0.0.1", "sync-localhost:4566", "data-aws.localhost", "STREAM-127.0.0.1"} {
		r, _ := http.NewRequest(http.MethodGet, c.Endpoint()+"/private/secret.txt", nil)
		r.Host = host
		localtest.Sign(t, r, "s3", nil)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusForbidden {
			t.Errorf("Host %s = 403, want it accepted", host)
		}
	}
}

// TestAllowedOriginGetsCORS checks that an allowed origin's preflight is
// answered and its signed requests are readable, while others stay out.
func TestAllowedOriginGetsCORS(t *testing.T) {
	c := localtest.Start(t, local.Options{AllowOrigins: []string{"http://localhost:3000"}, AllowHosts: []string{"dev.example.test"}})
	pre, _ := http.NewRequest(http.MethodOptions, c.Endpoint()+"/", nil)
	pre.Header.Set("Origin", "http://localhost:3000")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	pre.Header.Set("Access-Control-Request-Headers", "authorization,x-amz-date,content-type")
	resp, err := http.DefaultClient.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "authorization") {
		t.Errorf("allowed preflight = %d %v", resp.StatusCode, resp.Header)
	}
	r := stsRequest(t, c.Endpoint(), core.DefaultAccessKeyID, core.DefaultSecretAccessKey, time.Now())
	r.Header.Set("Origin", "http://localhost:3000")
	resp, err = http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("allowed origin's request = %d %v", resp.StatusCode, resp.Header)
	}
	r = stsRequest(t, c.Endpoint(), core.DefaultAccessKeyID, core.DefaultSecretAccessKey, time.Now())
	r.Header.Set("Origin", "http://localhost:3001")
	if resp, err = http.DefaultClient.Do(r); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("another origin's request = %d, want 403", resp.StatusCode)
	}
	r = stsRequest(t, c.Endpoint(), core.DefaultAccessKeyID, core.DefaultSecretAccessKey, time.Now())
	r.Host = "dev.example.test"
	// The host is signed, so sign again for it.
	r.Header.Del("Authorization")
	localtest.Sign(t, r, "sts", []byte(queryGetCallerIdentity))
	if resp, err = http.DefaultClient.Do(r); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("allowed host's request = %d, want 200", resp.StatusCode)
	}
}

// TestConfiguredCredentials checks extra pairs and their principals.
func TestConfiguredCredentials(t *testing.T) {
	cred, err := local.ParseCredential("AKIDDEV:devsecret:arn:aws:iam::000000000000:user/dev")
	if err != nil {
		t.Fatal(err)
	}
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{cred}})
	resp, err := http.DefaultClient.Do(stsRequest(t, c.Endpoint(), "AKIDDEV", "devsecret", time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<Arn>arn:aws:iam::000000000000:user/dev</Arn>") {
		t.Errorf("GetCallerIdentity as AKIDDEV = %d %s, want the user dev", resp.StatusCode, body)
	}
	for _, bad := range []string{"nocolon", "AKID:", "AKID:secret:arn:aws:iam::111111111111:user/x", "AKID:secret:alice"} {
		if _, err := local.ParseCredential(bad); err == nil {
			t.Errorf("ParseCredential(%q) = nil error", bad)
		}
	}
	if _, err := local.Start(context.Background(), local.Options{StateDir: t.TempDir(), Addr: "0.0.0.0:0"}); err == nil || !strings.Contains(err.Error(), "--expose-to-network") {
		t.Errorf("Start(Addr 0.0.0.0) = %v, want a refusal naming --expose-to-network", err)
	}
}

// TestCLIWithWrongCredentials runs the AWS CLI with a wrong secret and an
// unknown key: it fails with AWS's codes, as it would against AWS.
func TestCLIWithWrongCredentials(t *testing.T) {
	if _, err := os.Stat(localtest.CLIPath); err != nil {
		t.Skipf("the AWS CLI is not installed at %s", localtest.CLIPath)
	}
	c := localtest.Start(t)
	for _, tt := range []struct{ key, secret, want string }{
		{core.DefaultAccessKeyID, "wrong", "SignatureDoesNotMatch"},
		{"AKIDUNKNOWN", core.DefaultSecretAccessKey, "InvalidClientTokenId"},
	} {
		home := t.TempDir()
		cmd := exec.Command(localtest.CLIPath, "--endpoint-url", c.Endpoint(), "--region", c.Region(), "sts", "get-caller-identity")
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_ACCESS_KEY_ID=" + tt.key, "AWS_SECRET_ACCESS_KEY=" + tt.secret,
			"AWS_CONFIG_FILE=" + home + "/config", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials", "AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1"}
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), tt.want) {
			t.Errorf("aws sts get-caller-identity as %s/%s = %v %s, want %s", tt.key, tt.secret, err, out, tt.want)
		}
	}
}
