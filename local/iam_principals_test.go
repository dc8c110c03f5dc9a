package local_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

const lambdaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func iamService(t *testing.T, c *local.Cloud) *iam.Service {
	s, _ := c.Service("iam")
	svc, ok := s.(*iam.Service)
	if !ok {
		t.Fatal("no IAM service")
	}
	return svc
}

func createRole(t *testing.T, c *local.Cloud, name, trust string, policy string) string {
	t.Helper()
	in := iam.RoleInput{RoleName: name, AssumeRolePolicyDocument: trust}
	if policy != "" {
		in.Policies = map[string]any{"p": policy}
	}
	r, err := iamService(t, c).CreateRole(in)
	if err != nil {
		t.Fatal(err)
	}
	return r.Arn
}

// TestFunctionsActAsTheirRole is issue 11's IAM case, on a real function
// binary in the local cloud: a function whose role allows only Logs gets
// AccessDenied reading a private S3 object, as on AWS; with s3:GetObject
// on the object it reads it; and GetCallerIdentity answers with the
// execution role's session.
// See https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
func TestFunctionsActAsTheirRole(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("functions run on Linux")
	}
	c := localtest.Start(t)
	ctx := context.Background()
	cfg := localtest.Config(c)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	for _, b := range []string{"code", "private"} {
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("private"), Key: aws.String("secret.txt"), Body: strings.NewReader("secret")}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/lambda/testdata/s3get", Dir: "..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(dir, "s3get.zip")
	if _, err := build.Zip(bin, zipPath); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("code"), Key: aws.String("s3get.zip"), Body: f}); err != nil {
		t.Fatal(err)
	}

	logsOnly := createRole(t, c, "logs-only", lambdaTrust,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:*"],"Resource":"*"}]}`)
	reader := createRole(t, c, "reader", lambdaTrust,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::private/*"}]}`)
	denied := createRole(t, c, "reader-denied", lambdaTrust,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::private/secret.txt"}]}`)

	lc := lambdasdk.NewFromConfig(cfg)
	arch := lambdatypes.ArchitectureX8664
	if runtime.GOARCH == "arm64" {
		arch = lambdatypes.ArchitectureArm64
	}
	invoke := func(name, role string) (string, string) {
		t.Helper()
		if _, err := lc.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{
			FunctionName: aws.String(name), Role: aws.String(role), Runtime: lambdatypes.RuntimeProvidedal2023,
			Handler: aws.String("bootstrap"), Architectures: []lambdatypes.Architecture{arch}, Timeout: aws.Int32(30),
			Code: &lambdatypes.FunctionCode{S3Bucket: aws.String("code"), S3Key: aws.String("s3get.zip")},
		}); err != nil {
			t.Fatal(err)
		}
		out, err := lc.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"bucket":"private","key":"secret.txt"}`)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.FunctionError), string(out.Payload)
	}

	if fe, payload := invoke("logs-only", logsOnly); fe == "" || !strings.Contains(payload, "AccessDenied") ||
		!strings.Contains(payload, "assumed-role/logs-only/logs-only is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::private/secret.txt") {
		t.Errorf("logs-only function reading S3 = %q %s, want AccessDenied for its role session", fe, payload)
	}
	fe, payload := invoke("reader", reader)
	var got map[string]string
	_ = json.Unmarshal([]byte(payload), &got)
	// sts:GetCallerIdentity needs no permission, as on AWS.
	if fe != "" || got["body"] != "secret" || got["caller"] != "arn:aws:sts::000000000000:assumed-role/reader/reader" {
		t.Errorf("reader function = %q %s, want the object, read as its role's session", fe, payload)
	}
	if fe, payload := invoke("reader-denied", denied); fe == "" || !strings.Contains(payload, "explicit deny") {
		t.Errorf("explicitly denied function = %q %s, want AccessDenied with an explicit deny", fe, payload)
	}
}

// TestAssumeRoleAndPassRole checks STS AssumeRole's session (identity,
// policies) and iam:PassRole on CreateStateMachine, for a principal
// configured as a role.
func TestAssumeRoleAndPassRole(t *testing.T) {
	dev, err := local.ParseCredential("AKIDDEVROLE:devsecret:arn:aws:iam::000000000000:role/developer")
	if err != nil {
		t.Fatal(err)
	}
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{dev}})
	ctx := context.Background()
	acct := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`
	createRole(t, c, "developer", acct,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","states:*"],"Resource":"*"}]}`)
	machineRole := createRole(t, c, "machine", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, "")
	auditor := createRole(t, c, "auditor", acct, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)

	devCfg := localtest.Config(c)
	devCfg.Credentials = credentials.NewStaticCredentialsProvider("AKIDDEVROLE", "devsecret", "")
	id, err := sts.NewFromConfig(devCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:sts::000000000000:assumed-role/developer/AKIDDEVROLE" {
		t.Errorf("GetCallerIdentity as the developer key = %v, %v", id, err)
	}
	// The developer may not pass the machine role: no iam:PassRole.
	_, err = sfn.NewFromConfig(devCfg).CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("m"), RoleArn: aws.String(machineRole),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`),
	})
	if err == nil || !strings.Contains(err.Error(), "iam:PassRole") {
		t.Errorf("CreateStateMachine without iam:PassRole = %v, want AccessDeniedException naming iam:PassRole", err)
	}

	out, err := sts.NewFromConfig(devCfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(auditor), RoleSessionName: aws.String("audit")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::000000000000:assumed-role/auditor/audit" || out.Credentials.Expiration.Before(time.Now()) {
		t.Errorf("AssumeRole = %+v", out.AssumedRoleUser)
	}
	audCfg := localtest.Config(c)
	audCfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(out.Credentials.AccessKeyId), aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken))
	aud := s3.NewFromConfig(audCfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := aud.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Errorf("ListBuckets as the auditor = %v", err)
	}
	if _, err := aud.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("nope")}); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("CreateBucket as the auditor = %v, want AccessDenied", err)
	}
	// Without its session token the session key is refused.
	audCfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(out.Credentials.AccessKeyId), aws.ToString(out.Credentials.SecretAccessKey), "")
	if _, err := s3.NewFromConfig(audCfg, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{}); err == nil {
		t.Error("ListBuckets with a session key but no token succeeded")
	}
	// A role that does not trust the caller cannot be assumed.
	if _, err := sts.NewFromConfig(devCfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(machineRole), RoleSessionName: aws.String("x1")}); err == nil {
		t.Error("AssumeRole of a role trusting only states.amazonaws.com succeeded")
	}
}
