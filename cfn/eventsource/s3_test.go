//go:build !lambdabinary

package eventsource_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/cfn/eventsource"
	"github.com/sparta-go/sparta/internal/cfnlint"
	"github.com/sparta-go/sparta/service"
)

func handler(context.Context, map[string]any) error { return nil }

func newFn(t *testing.T, name string) *service.LambdaAWSInfo {
	t.Helper()
	fn, err := service.NewAWSLambda(name, handler, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

// assemble builds a template as provision does: functions and their event
// sources, then the decorators, then the S3 notifications.
func assemble(t *testing.T, fns []*service.LambdaAWSInfo, buckets ...*service.S3Bucket) (map[string]any, []byte, error) {
	t.Helper()
	tmpl := cfn.NewServiceTemplate("test", "build", "test")
	var res []cfn.FunctionResources
	for _, fn := range fns {
		r := cfn.AddFunction(tmpl, "Uploads", fn, service.Artifact{Bucket: "code", Key: "code.zip"})
		if err := eventsource.Add(tmpl, "Uploads", fn, r); err != nil {
			return nil, nil, err
		}
		res = append(res, r)
	}
	sc := &service.ServiceContext{Service: "Uploads", Template: tmpl}
	if err := cfn.S3BucketDecorator(buckets...).DecorateService(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	if err := eventsource.AttachS3(tmpl, "Uploads", fns, res); err != nil {
		return nil, nil, err
	}
	b, err := cfn.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc, b, nil
}

func resourcesOfType(doc map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range doc["Resources"].(map[string]any) {
		if m := r.(map[string]any); m["Type"] == typ {
			out[id] = m
		}
	}
	return out
}

func TestS3PermissionOnDeclaredBucket(t *testing.T) {
	bucket := service.NewS3Bucket("Uploads")
	fn := newFn(t, "onUpload")
	suffix := ".csv"
	fn.Permissions = append(fn.Permissions, service.S3Permission{
		BasePermission: service.BasePermission{SourceArn: bucket.ARN()},
		Events:         []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*"},
		Filter:         service.S3NotificationFilter{Key: &service.S3KeyFilter{FilterRules: []service.S3FilterRule{{Name: "suffix", Value: &suffix}}}},
	})
	if err := bucket.Allow(fn, "s3:GetObject"); err != nil {
		t.Fatal(err)
	}
	doc, raw, err := assemble(t, []*service.LambdaAWSInfo{fn}, bucket)
	if err != nil {
		t.Fatal(err)
	}
	perms := resourcesOfType(doc, "AWS::Lambda::Permission")
	if len(perms) != 1 {
		t.Fatalf("permissions = %v", perms)
	}
	var permID string
	for id, p := range perms {
		permID = id
		props := p["Properties"].(map[string]any)
		arn, _ := json.Marshal(props["SourceArn"])
		// Scoped to the bucket's name, not its GetAtt: no cycle.
		if !strings.Contains(string(arn), `"arn:aws:s3:::"`) || !strings.Contains(string(arn), `"Fn::Sub":"uploads-uploads-${AWS::AccountId}-${AWS::Region}"`) ||
			strings.Contains(string(arn), "GetAtt") {
			t.Errorf("SourceArn = %s", arn)
		}
		if props["Principal"] != "s3.amazonaws.com" || props["SourceAccount"] == nil {
			t.Errorf("permission = %v", props)
		}
	}
	b := doc["Resources"].(map[string]any)["Uploads"].(map[string]any)
	if deps, _ := json.Marshal(b["DependsOn"]); !strings.Contains(string(deps), permID) {
		t.Errorf("bucket DependsOn = %s, want %s", deps, permID)
	}
	nc, _ := json.Marshal(b["Properties"].(map[string]any)["NotificationConfiguration"])
	for _, want := range []string{`"Event":"s3:ObjectCreated:*"`, `"Event":"s3:ObjectRemoved:*"`, `"Name":"suffix","Value":".csv"`, `Fn::GetAtt`} {
		if !strings.Contains(string(nc), want) {
			t.Errorf("NotificationConfiguration = %s, want %s", nc, want)
		}
	}
	path := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	cfnlint.Check(t, path)
}

func TestS3PermissionOnLiteralNamedBucket(t *testing.T) {
	bucket := &service.S3Bucket{LogicalID: "Inbox", BucketName: "my-inbox"}
	fn := newFn(t, "onMail")
	fn.Permissions = append(fn.Permissions, &service.S3Permission{
		BasePermission: service.BasePermission{SourceArn: "arn:aws:s3:::my-inbox"}, Events: []string{"s3:ObjectCreated:Put"}})
	if err := eventsource.ValidateS3Sources([]*service.LambdaAWSInfo{fn}, []*service.S3Bucket{bucket}); err != nil {
		t.Fatalf("ValidateS3Sources = %v", err)
	}
	doc, _, err := assemble(t, []*service.LambdaAWSInfo{fn}, bucket)
	if err != nil {
		t.Fatal(err)
	}
	b := doc["Resources"].(map[string]any)["Inbox"].(map[string]any)
	if b["Properties"].(map[string]any)["NotificationConfiguration"] == nil {
		t.Errorf("bucket Inbox has no notification: %v", b)
	}
}

func TestS3PermissionExternalBucketRefused(t *testing.T) {
	fn := newFn(t, "onOther")
	fn.Permissions = append(fn.Permissions, service.S3Permission{
		BasePermission: service.BasePermission{SourceArn: "arn:aws:s3:::someone-elses"}, Events: []string{"s3:ObjectCreated:*"}})
	err := eventsource.ValidateS3Sources([]*service.LambdaAWSInfo{fn}, nil)
	if err == nil || !strings.Contains(err.Error(), `function "onOther": Permissions[0]: S3Permission: bucket someone-elses is not declared in this service`) ||
		!strings.Contains(err.Error(), "sparta.NewS3Bucket") {
		t.Errorf("ValidateS3Sources(external) = %v", err)
	}
	if _, _, err := assemble(t, []*service.LambdaAWSInfo{fn}); err == nil || !strings.Contains(err.Error(), "someone-elses") {
		t.Errorf("AttachS3(external) = %v", err)
	}
	// An intrinsic naming something that is not a bucket.
	fn2 := newFn(t, "onQueue")
	fn2.Permissions = append(fn2.Permissions, service.S3Permission{
		BasePermission: service.BasePermission{SourceArn: cfn.GetAtt("NotABucket", "Arn")}, Events: []string{"s3:ObjectCreated:*"}})
	if _, _, err := assemble(t, []*service.LambdaAWSInfo{fn2}); err == nil || !strings.Contains(err.Error(), `"NotABucket", which is not an AWS::S3::Bucket`) {
		t.Errorf("AttachS3(not a bucket) = %v", err)
	}
}
