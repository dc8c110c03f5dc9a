//go:build !lambdabinary

package sparta_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/sparta-go/sparta/local/localtest"
)

func TestFailedDeploymentShowsRootCauseAndRecovers(t *testing.T) {
	work := t.TempDir()
	t.Setenv("SPARTA_TEST_BAD_RESOURCE", "1")
	out, err := localCLI(t, "./testdata/badresource", work, "provision")
	if err == nil {
		t.Fatalf("provision with an unsupported resource succeeded:\n%s", out)
	}
	for _, want := range []string{
		"stack BadResource ended in ROLLBACK_COMPLETE",
		"Queue (AWS::Kinesis::Stream) CREATE_FAILED",
		"not supported by the local cloud",
		"status --local` shows the stack's events",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("failed provision output lacks %q:\n%s", want, out)
		}
	}

	t.Setenv("SPARTA_TEST_BAD_RESOURCE", "0")
	out, err = localCLI(t, "./testdata/badresource", work, "provision")
	if err != nil {
		t.Fatalf("provision after the fix: %v\n%s", err, out)
	}
	if !strings.Contains(out, "ROLLBACK_COMPLETE from a failed creation: deleting it before creating it again") || !strings.Contains(out, "Stack was recreated") {
		t.Errorf("provision after the fix did not say it recreated the stack:\n%s", out)
	}
}

func TestInvalidServiceTouchesNothing(t *testing.T) {
	work := t.TempDir()
	out, err := localCLI(t, "./testdata/invalid", work, "provision")
	if err == nil {
		t.Fatalf("provision of an invalid service succeeded:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(work, "requests.jsonl")); !os.IsNotExist(err) {
		b, _ := os.ReadFile(filepath.Join(work, "requests.jsonl"))
		t.Errorf("an invalid service reached the cloud: %s", b)
	}
	if zips, _ := filepath.Glob(filepath.Join(work, "*.zip")); len(zips) != 0 {
		t.Errorf("an invalid service was built: %v", zips)
	}
}

// The CLI without --local, pointed at a cloud with AWS_ENDPOINT_URL as any
// AWS endpoint would be: the same code path as AWS.
func TestArtifactsBucketMustBeInTheStacksRegion(t *testing.T) {
	cloud := localtest.Start(t)
	client := s3.NewFromConfig(localtest.Config(cloud), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{
		Bucket:                    aws.String("far-away"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		cmd := exec.Command(cliBinary(t, "./examples/rolldie"), append(args, "--work-dir", t.TempDir())...)
		cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+cloud.Endpoint(), "AWS_REGION=us-east-1",
			"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("provision %v succeeded:\n%s", args, out)
		}
		return string(out)
	}
	if out := run("provision", "--s3Bucket", "far-away"); !strings.Contains(out, "--s3Bucket far-away is in eu-west-1, but the stack deploys to us-east-1") {
		t.Errorf("a bucket in another region was not refused clearly:\n%s", out)
	}
	if out := run("provision", "--s3Bucket", "no-such-bucket"); !strings.Contains(out, "--s3Bucket no-such-bucket does not exist") {
		t.Errorf("a missing bucket was not refused clearly:\n%s", out)
	}
}

func TestInterruptedProvisionConverges(t *testing.T) {
	work := t.TempDir()
	cmd := exec.Command(cliBinary(t, "./examples/rolldie"), "provision", "--local", "--work-dir", work)
	stdout, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt as soon as CloudFormation starts working.
	var seen strings.Builder
	buf := make([]byte, 4096)
	for !strings.Contains(seen.String(), "Stack event") {
		n, err := stdout.Read(buf)
		if err != nil {
			break
		}
		seen.Write(buf[:n])
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	rest := make([]byte, 1<<16)
	for {
		n, err := stdout.Read(rest)
		seen.Write(rest[:n])
		if err != nil {
			break
		}
	}
	waitErr := cmd.Wait()
	if waitErr != nil && !strings.Contains(seen.String(), "interrupted") {
		t.Errorf("an interrupted provision did not say so:\n%s", seen.String())
	}

	// Whatever state the interruption left, the next provision converges.
	deadline := time.Now().Add(time.Minute)
	out, err := localCLI(t, "./examples/rolldie", work, "provision")
	if err != nil && time.Now().Before(deadline) {
		t.Fatalf("provision after an interruption: %v\n%s\n--- interrupted run:\n%s", err, out, seen.String())
	}
	out, err = localCLI(t, "./examples/rolldie", work, "execute", "--input", "{}")
	if err != nil || !strings.Contains(out, "SUCCEEDED") {
		t.Fatalf("execute after converging: %v\n%s", err, out)
	}
}

func TestLargeTemplateDeploysFromS3(t *testing.T) {
	work := t.TempDir()
	t.Setenv("SPARTA_TEST_BIG_TEMPLATE", "1")
	out, err := localCLI(t, "./testdata/badresource", work, "provision")
	if err != nil {
		t.Fatalf("provision of a large template: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Template is over 51,200 bytes: deploying it from S3") || !strings.Contains(out, "Stack deployed") {
		t.Errorf("a large template was not deployed from S3:\n%s", out)
	}
	if n := called(requests(t, work), "PutObject"); n < 2 {
		t.Errorf("%d objects uploaded, want the code zip and the template", n)
	}
}
