package cloudformation_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/cloudformation"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/s3"
)

// TestRollDieWithTheCloudsProviders deploys rolldie's template with the
// real providers of the other services, wired by local.Start, its code zip
// put in the local S3 first.
func TestRollDieWithTheCloudsProviders(t *testing.T) {
	c, err := local.Start(context.Background(), local.Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	services := map[string]core.Service{}
	for _, n := range []string{"s3", "cloudformation"} {
		svc, ok := c.Service(n)
		if !ok {
			t.Fatalf("the cloud runs no %s", n)
		}
		services[n] = svc
	}
	s3svc := services["s3"].(*s3.Service)
	if err := s3svc.CreateBucket("artifacts", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "bootstrap", Method: zip.Deflate})
	_, _ = w.Write([]byte("#!/bin/sh\nexit 1\n"))
	_ = zw.Close()
	key := "sparta/RollDie-root/arm64-4894732cd61e778bd1d67b31fb47fbae145a4ebe923838fef988e4f3a4f81ef5.zip"
	if _, err := s3svc.PutObject("artifacts", key, "application/zip", &zipped); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(rolldieTemplate)
	if _, err := s3svc.PutObject("artifacts", "rolldie.json", "application/json", bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	cfn := services["cloudformation"].(*cloudformation.Service)
	client := newClientFor(t, cfn)
	ctx := context.Background()
	if _, err := client.CreateStack(ctx, createFromURL("RollDie-root", "https://artifacts.s3.amazonaws.com/rolldie.json")); err != nil {
		t.Fatalf("CreateStack(TemplateURL) = %v", err)
	}
	s, err := cfn.WaitStable(ctx, "RollDie-root")
	if err != nil || s.Status != "CREATE_COMPLETE" {
		evs, _ := cfn.Events("RollDie-root")
		for _, ev := range evs {
			t.Logf("%s %s %s", ev.LogicalID, ev.Status, ev.Reason)
		}
		t.Fatalf("rolldie with the cloud's providers = %s %s, %v", s.Status, s.StatusReason, err)
	}
	if s.Outputs["RollDieStateMachineArnf30cfb33"] == "" || s.Outputs["RollDieLambdacbf9b6caArn"] == "" {
		t.Errorf("rolldie outputs = %v", s.Outputs)
	}
	if _, err := client.DeleteStack(ctx, &cfnsdk.DeleteStackInput{StackName: aws.String("RollDie-root")}); err != nil {
		t.Fatal(err)
	}
	if s, err := cfn.WaitStable(ctx, "RollDie-root"); err != nil || s.Status != "DELETE_COMPLETE" {
		t.Errorf("DeleteStack(rolldie) = %s %s, %v", s.Status, s.StatusReason, err)
	}
}
