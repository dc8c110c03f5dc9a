package lambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/localtest"
)

// TestInLocalCloud runs the service the way the local cloud does, through
// Factory: code uploaded to the local S3, logs read back from the local
// CloudWatch Logs, and the AWS CLI as an outside client.
func TestInLocalCloud(t *testing.T) {
	c := localtest.Start(t, local.Options{Services: []core.Factory{lambda.Factory}})
	cfg := localtest.Config(c)
	ctx := context.Background()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("artifacts")}); err != nil {
		t.Fatal(err)
	}
	zip, err := os.ReadFile(filepath.Join(codeRoot, bucket, "rolldie.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("sparta/rolldie.zip"), Body: bytes.NewReader(zip)}); err != nil {
		t.Fatal(err)
	}
	lc := lambdasdk.NewFromConfig(cfg)
	if _, err := lc.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{
		FunctionName: aws.String("rollDie"), Runtime: types.RuntimeProvidedal2023, Role: aws.String(role), Handler: aws.String("rollDie"),
		Architectures: []types.Architecture{hostArchitecture()},
		Code:          &types.FunctionCode{S3Bucket: aws.String("artifacts"), S3Key: aws.String("sparta/rolldie.zip")},
	}); err != nil {
		t.Fatal(err)
	}
	out, err := lc.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("rollDie")})
	if err != nil || out.FunctionError != nil || !strings.Contains(string(out.Payload), `"roll"`) {
		t.Fatalf("Invoke = %+v, %v", out, err)
	}
	events, err := cloudwatchlogs.NewFromConfig(cfg).FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/rollDie")})
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	for _, e := range events.Events {
		log.WriteString(aws.ToString(e.Message))
	}
	if !strings.Contains(log.String(), "START RequestId:") || !strings.Contains(log.String(), "REPORT RequestId:") {
		t.Errorf("CloudWatch Logs /aws/lambda/rollDie:\n%s\nwant START and REPORT lines", log.String())
	}

	outFile := filepath.Join(t.TempDir(), "out.json")
	printed := localtest.CLI(t, c, "lambda", "invoke", "--function-name", "rollDie", "--log-type", "Tail",
		"--cli-binary-format", "raw-in-base64-out", "--payload", "{}", outFile)
	var status struct {
		StatusCode      int
		ExecutedVersion string
		LogResult       string
	}
	if err := json.Unmarshal([]byte(printed), &status); err != nil || status.StatusCode != 200 || status.ExecutedVersion != "$LATEST" || status.LogResult == "" {
		t.Errorf("aws lambda invoke printed %s (%v)", printed, err)
	}
	if payload, _ := os.ReadFile(outFile); !strings.Contains(string(payload), `"roll"`) {
		t.Errorf("aws lambda invoke wrote %s, want a roll", payload)
	}
	var list struct {
		Functions []struct{ FunctionName string }
	}
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "lambda", "list-functions")), &list); err != nil || len(list.Functions) != 1 || list.Functions[0].FunctionName != "rollDie" {
		t.Errorf("aws lambda list-functions = %+v, %v", list, err)
	}
	if _, err := localtest.RunCLI(t, c, "lambda", "get-function", "--function-name", "nope"); err == nil {
		t.Error("aws lambda get-function of a missing function succeeded")
	}
}
