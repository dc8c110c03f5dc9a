package local_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

// BenchmarkRoutedStartExecution is StartExecution through aws-sdk-go-v2
// and the cloud's router, signature verification and authorization
// included: what the security checks cost a client (compare with the
// same benchmark on a cloud without them; goal: under 10 % more).
func BenchmarkRoutedStartExecution(b *testing.B) {
	c := localtest.Start(b)
	s, _ := c.Service("iam")
	role, err := s.(*iam.Service).CreateRole(iam.RoleInput{RoleName: "m",
		AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	client := sfn.NewFromConfig(localtest.Config(c))
	m, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("pass"), RoleArn: aws.String(role.Arn),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoutedWarmInvoke is a warm Lambda invocation through
// aws-sdk-go-v2 and the cloud's router, checks included.
func BenchmarkRoutedWarmInvoke(b *testing.B) {
	c := localtest.Start(b)
	ctx := context.Background()
	dir := b.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/lambda/testdata/echo", Dir: "..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
		b.Fatal(err)
	}
	zipPath := filepath.Join(dir, "echo.zip")
	if _, err := build.Zip(bin, zipPath); err != nil {
		b.Fatal(err)
	}
	zipBytes, err := os.ReadFile(zipPath)
	if err != nil {
		b.Fatal(err)
	}
	cfg := localtest.Config(c)
	arch := lambdatypes.ArchitectureX8664
	if runtime.GOARCH == "arm64" {
		arch = lambdatypes.ArchitectureArm64
	}
	lc := lambdasdk.NewFromConfig(cfg)
	if _, err := lc.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{
		FunctionName: aws.String("echo"), Role: aws.String("arn:aws:iam::000000000000:role/echo"), Runtime: lambdatypes.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Architectures: []lambdatypes.Architecture{arch}, Code: &lambdatypes.FunctionCode{ZipFile: zipBytes},
	}); err != nil {
		b.Fatal(err)
	}
	in := &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"say":"hi"}`)}
	if _, err := lc.Invoke(ctx, in); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if out, err := lc.Invoke(ctx, in); err != nil || out.FunctionError != nil {
			b.Fatalf("Invoke = %v, %v", out, err)
		}
	}
}
