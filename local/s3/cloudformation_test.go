package s3_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

// deployTemplate writes body to a file and creates a stack of it with the
// AWS CLI, then polls its status (the CLI's own waiters poll every 5 to 30
// seconds); it returns the final status and an error unless the stack was
// created.
func deployTemplate(t *testing.T, c *local.Cloud, stack, body string) (string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), stack+".yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := localtest.RunCLI(t, c, "cloudformation", "create-stack", "--stack-name", stack, "--template-body", "file://"+path,
		"--capabilities", "CAPABILITY_IAM"); err != nil {
		return out, err
	}
	status := waitStack(t, c, stack)
	if status != "CREATE_COMPLETE" {
		return status, errors.New(status)
	}
	return status, nil
}

// waitStack polls a stack until no operation is in progress and returns
// its status ("DELETED" once it is gone).
func waitStack(t *testing.T, c *local.Cloud, stack string) string {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out, err := localtest.RunCLI(t, c, "cloudformation", "describe-stacks", "--stack-name", stack, "--query", "Stacks[0].StackStatus", "--output", "text")
		if err != nil && strings.Contains(out, "does not exist") {
			return "DELETED"
		}
		if status := strings.TrimSpace(out); err == nil && !strings.HasSuffix(status, "_IN_PROGRESS") {
			return status
		}
	}
	t.Fatalf("stack %s still in progress after 2 minutes", stack)
	return ""
}

// stackEvents returns the stack's events as the CLI prints them.
func stackEvents(t *testing.T, c *local.Cloud, stack string) string {
	t.Helper()
	return localtest.CLI(t, c, "cloudformation", "describe-stack-events", "--stack-name", stack)
}

// TestTemplateWebsite deploys a website bucket the way AWS requires since
// April 2023 (public access block relaxed for policies, a bucket policy,
// no ACL), as in
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HostingWebsiteOnS3Setup.html
func TestTemplateWebsite(t *testing.T) {
	c := localtest.Start(t)
	out, err := deployTemplate(t, c, "site", `
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: tmpl-site
      WebsiteConfiguration:
        IndexDocument: index.html
        ErrorDocument: error.html
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        IgnorePublicAcls: true
        BlockPublicPolicy: false
        RestrictPublicBuckets: false
      CorsConfiguration:
        CorsRules:
          - AllowedMethods: [GET]
            AllowedOrigins: ["*"]
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${Site.Arn}/*"
Outputs:
  WebsiteURL:
    Value: !GetAtt Site.WebsiteURL
`)
	if err != nil {
		t.Fatalf("deploy: %v\n%s", err, out)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>from a template</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	localtest.CLI(t, c, "s3", "cp", filepath.Join(dir, "index.html"), "s3://tmpl-site/index.html")
	outputs := localtest.CLI(t, c, "cloudformation", "describe-stacks", "--stack-name", "site", "--query", "Stacks[0].Outputs[0].OutputValue", "--output", "text")
	siteURL := strings.TrimSpace(outputs)
	if !strings.HasPrefix(siteURL, "http://tmpl-site.s3-website.localhost:") {
		t.Fatalf("WebsiteURL output = %q", siteURL)
	}
	// Reach it through the loopback address with the website Host, as a
	// browser resolving *.localhost does.
	req, _ := http.NewRequest(http.MethodGet, c.Endpoint()+"/", nil)
	req.Host = strings.TrimSuffix(strings.TrimPrefix(siteURL, "http://"), "/")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html" {
		t.Errorf("GET %s = %d %s", siteURL, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cfg := localtest.CLI(t, c, "s3api", "get-bucket-website", "--bucket", "tmpl-site"); !strings.Contains(cfg, "error.html") {
		t.Errorf("get-bucket-website = %s", cfg)
	}
	if cors := localtest.CLI(t, c, "s3api", "get-bucket-cors", "--bucket", "tmpl-site"); !strings.Contains(cors, "GET") {
		t.Errorf("get-bucket-cors = %s", cors)
	}
	localtest.CLI(t, c, "s3", "rm", "s3://tmpl-site/index.html")
	localtest.CLI(t, c, "cloudformation", "delete-stack", "--stack-name", "site")
	if status := waitStack(t, c, "site"); status != "DELETED" && status != "DELETE_COMPLETE" {
		t.Errorf("delete-stack ended in %s", status)
	}
	if ls := localtest.CLI(t, c, "s3", "ls"); strings.Contains(ls, "tmpl-site") {
		t.Errorf("the bucket outlived its stack: %s", ls)
	}
}

// TestTemplateRefusals: what AWS refuses fails the stack with AWS's words,
// and what the local cloud cannot do fails it with the reason.
func TestTemplateRefusals(t *testing.T) {
	c := localtest.Start(t)
	for _, tc := range []struct{ name, template, want string }{
		{"public-read ACL", `
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
      WebsiteConfiguration:
        IndexDocument: index.html
`, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"},
		{"public policy under the default block", `
Resources:
  Site:
    Type: AWS::S3::Bucket
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${Site.Arn}/*"
`, "because public policies are blocked by the BlockPublicPolicy block public access setting"},
		{"replication", `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration:
        Role: arn:aws:iam::000000000000:role/r
        Rules:
          - Status: Enabled
            Destination:
              Bucket: arn:aws:s3:::elsewhere
`, "property ReplicationConfiguration is not supported by the local cloud"},
		{"notification without permission", `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: arn:aws:lambda:us-east-1:000000000000:function:missing
`, "Unable to validate the following destination configurations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := "refuse-" + strings.ReplaceAll(strings.ReplaceAll(tc.name, " ", "-"), "/", "")
			if out, err := deployTemplate(t, c, stack, tc.template); err == nil {
				t.Fatalf("deploy succeeded:\n%s", out)
			}
			if ev := stackEvents(t, c, stack); !strings.Contains(ev, tc.want) {
				t.Errorf("stack events do not say %q:\n%s", tc.want, ev)
			}
		})
	}
	// Nothing was left behind by the failed creates.
	if ls := localtest.CLI(t, c, "s3", "ls"); strings.TrimSpace(ls) != "" {
		t.Errorf("buckets left behind: %s", ls)
	}
}

// TestTemplateNotificationToLambda deploys a function, its permission for
// s3.amazonaws.com scoped to the bucket, and the bucket notifying it, as in
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-notificationconfiguration.html;
// a put then invokes the function with an event it decodes as
// aws-lambda-go's events.S3Event.
func TestTemplateNotificationToLambda(t *testing.T) {
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
	c := localtest.Start(t)
	localtest.CLI(t, c, "s3", "mb", "s3://code")
	localtest.CLI(t, c, "s3", "cp", zip, "s3://code/s3record.zip")
	arch := "x86_64"
	if runtime.GOARCH == "arm64" {
		arch = "arm64"
	}
	out, err := deployTemplate(t, c, "uploads", `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  Recorder:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: provided.al2023
      Handler: bootstrap
      Architectures: [`+arch+`]
      Role: !GetAtt Role.Arn
      Code: {S3Bucket: code, S3Key: s3record.zip}
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !GetAtt Recorder.Arn
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
      SourceArn: arn:aws:s3:::tmpl-uploads
  Uploads:
    Type: AWS::S3::Bucket
    DependsOn: Permission
    Properties:
      BucketName: tmpl-uploads
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Recorder.Arn
            Filter:
              S3Key:
                Rules:
                  - {Name: prefix, Value: incoming/}
                  - {Name: suffix, Value: .csv}
`)
	if err != nil {
		t.Fatalf("deploy: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "data.csv")
	if err := os.WriteFile(file, []byte("a,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	localtest.CLI(t, c, "s3", "cp", file, "s3://tmpl-uploads/incoming/my data.csv")
	localtest.CLI(t, c, "s3", "cp", file, "s3://tmpl-uploads/other/skip.csv")
	fn := strings.TrimSpace(localtest.CLI(t, c, "cloudformation", "describe-stack-resource", "--stack-name", "uploads",
		"--logical-resource-id", "Recorder", "--query", "StackResourceDetail.PhysicalResourceId", "--output", "text"))
	var logs string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		logs, _ = localtest.RunCLI(t, c, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/"+fn, "--filter-pattern", "S3RECORD")
		if strings.Contains(logs, "S3RECORD") {
			break
		}
	}
	if !strings.Contains(logs, "S3RECORD ObjectCreated:Put incoming/my data.csv 4 tmpl-uploads") {
		t.Errorf("the function did not log the put's record:\n%s", logs)
	}
	if strings.Contains(logs, "skip.csv") {
		t.Errorf("the prefix filter let other/skip.csv through:\n%s", logs)
	}
	if cfg := localtest.CLI(t, c, "s3api", "get-bucket-notification-configuration", "--bucket", "tmpl-uploads"); !strings.Contains(cfg, "LambdaFunctionConfigurations") {
		t.Errorf("get-bucket-notification-configuration = %s", cfg)
	}
}
