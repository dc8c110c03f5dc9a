//go:build !lambdabinary

package eventsource_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/service"
)

// TestS3PermissionOnTheLocalCloud deploys what the emitter writes for a
// function notified by a declared bucket, with the AWS CLI, and puts an
// object: the function runs with the event.
func TestS3PermissionOnTheLocalCloud(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Lambda function; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/s3/testdata/s3record", Dir: "../..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
		t.Fatalf("building s3record: %v", err)
	}
	zip := filepath.Join(dir, "code.zip")
	if _, err := build.Zip(bin, zip); err != nil {
		t.Fatal(err)
	}
	arch, err := service.ArchitectureForGOARCH(runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	bucket := service.NewS3Bucket("Uploads")
	fn := newFn(t, "onUpload")
	fn.Options = &service.LambdaFunctionOptions{Architecture: arch, MemorySize: 128, Timeout: 10}
	prefix := "in/"
	fn.Permissions = append(fn.Permissions, service.S3Permission{
		BasePermission: service.BasePermission{SourceArn: bucket.ARN()},
		Events:         []string{"s3:ObjectCreated:*"},
		Filter:         service.S3NotificationFilter{Key: &service.S3KeyFilter{FilterRules: []service.S3FilterRule{{Name: "prefix", Value: &prefix}}}},
	})
	if err := bucket.Allow(fn, "s3:GetObject"); err != nil {
		t.Fatal(err)
	}
	_, raw, err := assemble(t, []*service.LambdaAWSInfo{fn}, bucket)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(dir, "template.json")
	if err := os.WriteFile(tmpl, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	c := localtest.Start(t)
	localtest.CLI(t, c, "s3", "mb", "s3://code")
	localtest.CLI(t, c, "s3", "cp", zip, "s3://code/code.zip")
	localtest.CLI(t, c, "cloudformation", "create-stack", "--stack-name", "Uploads", "--template-body", "file://"+tmpl, "--capabilities", "CAPABILITY_IAM")
	var status string
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		status = strings.TrimSpace(localtest.CLI(t, c, "cloudformation", "describe-stacks", "--stack-name", "Uploads", "--query", "Stacks[0].StackStatus", "--output", "text"))
		if !strings.HasSuffix(status, "_IN_PROGRESS") {
			break
		}
	}
	if status != "CREATE_COMPLETE" {
		t.Fatalf("stack %s:\n%s", status, localtest.CLI(t, c, "cloudformation", "describe-stack-events", "--stack-name", "Uploads"))
	}
	name := strings.TrimSpace(localtest.CLI(t, c, "cloudformation", "describe-stacks", "--stack-name", "Uploads", "--query", "Stacks[0].Outputs[?OutputKey=='UploadsName'].OutputValue", "--output", "text"))
	if name != "uploads-uploads-000000000000-us-east-1" {
		t.Fatalf("bucket name = %q", name)
	}
	data := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(data, []byte("1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	localtest.CLI(t, c, "s3", "cp", data, "s3://"+name+"/in/x.csv")
	group := "/aws/lambda/" + cfn.FunctionName("Uploads", "onUpload")
	var logs string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		logs, _ = localtest.RunCLI(t, c, "logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "S3RECORD")
		if strings.Contains(logs, "S3RECORD") {
			break
		}
	}
	if !strings.Contains(logs, "S3RECORD ObjectCreated:Put in/x.csv 4 "+name) {
		t.Errorf("the function did not log the put's record:\n%s", logs)
	}
}
