// Package localtest starts local clouds for tests and points AWS SDK
// clients and the AWS CLI at them. Services' tests and the framework's
// end-to-end tests share it so that every test talks to a real endpoint.
package localtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
)

// Start starts a cloud whose state lives in a fresh temporary directory and
// closes it when the test ends. opts may set anything but StateDir, which it
// overrides unless set.
func Start(t testing.TB, opts ...local.Options) *local.Cloud {
	t.Helper()
	var o local.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.StateDir == "" {
		o.StateDir = t.TempDir()
	}
	c, err := local.Start(context.Background(), o)
	if err != nil {
		t.Fatalf("local.Start = %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Cloud.Close = %v", err)
		}
	})
	return c
}

// Config returns an aws.Config for the cloud: its endpoint as BaseEndpoint,
// its region and the default credentials (core.DefaultAccessKeyID and
// core.DefaultSecretAccessKey, the account's root).
func Config(c *local.Cloud) aws.Config {
	return aws.Config{
		Region:       c.Region(),
		Credentials:  credentials.NewStaticCredentialsProvider(core.DefaultAccessKeyID, core.DefaultSecretAccessKey, ""),
		BaseEndpoint: aws.String(c.Endpoint()),
	}
}

// Sign signs req with SigV4 for service as the default credentials do
// (the account's root), at the current time, for tests that build raw HTTP
// requests. body is the request's payload (nil for none); S3 requests get
// its hash in x-amz-content-sha256, as S3 requires.
func Sign(t testing.TB, req *http.Request, service string, body []byte) {
	t.Helper()
	SignAs(t, req, service, body, core.DefaultAccessKeyID, core.DefaultSecretAccessKey, time.Now())
}

// SignAs is Sign with given credentials and signing time, for tests of
// wrong keys and skewed clocks.
func SignAs(t testing.TB, req *http.Request, service string, body []byte, akid, secret string, at time.Time) {
	t.Helper()
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if service == "s3" {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, service, "us-east-1", at); err != nil {
		t.Fatalf("signing the request: %v", err)
	}
}

// CLIPath is where Debian's awscli package installs the AWS CLI. A pyenv
// shim named aws may come first on PATH; tests use this binary directly,
// or the one SPARTA_AWS_CLI names (see [CLIBinary]).
const CLIPath = "/usr/bin/aws"

// CLIBinary returns the AWS CLI the tests run: SPARTA_AWS_CLI when set (a
// CLI installed elsewhere, e.g. by pip: the real script, not a pyenv
// shim, since tests run it with PATH=/usr/bin:/bin), else [CLIPath].
func CLIBinary() string {
	if p := os.Getenv("SPARTA_AWS_CLI"); p != "" {
		return p
	}
	return CLIPath
}

// CLI runs the AWS CLI against the cloud with dummy credentials and no
// user configuration, and returns its standard output. It skips the test
// when the CLI is not installed (CI installs it with apt-get install awscli)
// and fails it when the command fails.
func CLI(t testing.TB, c *local.Cloud, args ...string) string {
	t.Helper()
	out, err := RunCLI(t, c, args...)
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// RunCLI is CLI returning the error (and combined output) instead of
// failing, for commands expected to fail.
func RunCLI(t testing.TB, c *local.Cloud, args ...string) (string, error) {
	t.Helper()
	return RunCLIEnv(t, c, nil, args...)
}

// RunCLIEnv is RunCLI with extra environment variables (KEY=VALUE), which
// override the defaults: other credentials, HTTP_PROXY, AWS_* settings.
func RunCLIEnv(t testing.TB, c *local.Cloud, env []string, args ...string) (string, error) {
	t.Helper()
	cli := CLIBinary()
	if _, err := os.Stat(cli); err != nil {
		t.Skipf("the AWS CLI is not installed at %s (apt-get install -y awscli, or set SPARTA_AWS_CLI): %v", cli, err)
	}
	home := t.TempDir()
	cmd := exec.Command(cli, append([]string{"--endpoint-url", c.Endpoint(), "--region", c.Region(), "--output", "json"}, args...)...)
	cmd.Env = []string{
		"HOME=" + home,
		"PATH=/usr/bin:/bin",
		"AWS_ACCESS_KEY_ID=" + core.DefaultAccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + core.DefaultSecretAccessKey,
		"AWS_CONFIG_FILE=" + home + "/config",
		"AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials",
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out) + string(ee.Stderr), err
	}
	return string(out), err
}
