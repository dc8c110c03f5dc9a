package local_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/local/resource"
)

// The S3, Logs and SNS services give their CloudFormation types real
// behaviour: what a provider creates is there through the service's API.
func TestServiceProviders(t *testing.T) {
	cloud := localtest.Start(t)
	ctx := context.Background()
	req := func(typ, id string, props map[string]any) resource.Request {
		return resource.Request{StackName: "Stack", LogicalID: id, Type: typ, Properties: props, Region: cloud.Region(), AccountID: cloud.AccountID()}
	}

	bucket := cloud.S3().Providers()["AWS::S3::Bucket"]
	res, err := bucket.Create(ctx, req("AWS::S3::Bucket", "Artifacts", map[string]any{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.PhysicalID, "stack-artifacts-") || res.Attributes["Arn"] != "arn:aws:s3:::"+res.PhysicalID {
		t.Errorf("bucket = %+v, want a generated lower-case name and its ARN", res)
	}
	if _, err := bucket.Create(ctx, req("AWS::S3::Bucket", "Again", map[string]any{"BucketName": res.PhysicalID})); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("creating an existing bucket = %v, want already exists", err)
	}
	if !bucket.RequiresReplacement(map[string]any{"BucketName": "a"}, map[string]any{"BucketName": "b"}) {
		t.Error("renaming a bucket does not require replacement")
	}
	if err := bucket.Delete(ctx, resource.Request{PhysicalID: res.PhysicalID}); err != nil {
		t.Fatal(err)
	}
	if err := bucket.Delete(ctx, resource.Request{PhysicalID: res.PhysicalID}); err != nil {
		t.Errorf("deleting a deleted bucket = %v, want nil", err)
	}

	group := cloud.Logs().Providers()["AWS::Logs::LogGroup"]
	g, err := group.Create(ctx, req("AWS::Logs::LogGroup", "Logs", map[string]any{"LogGroupName": "/aws/lambda/fn", "RetentionInDays": 7.0}))
	if err != nil {
		t.Fatal(err)
	}
	if g.PhysicalID != "/aws/lambda/fn" || !strings.HasSuffix(g.Attributes["Arn"].(string), ":log-group:/aws/lambda/fn:*") {
		t.Errorf("log group = %+v", g)
	}
	if _, err := group.Create(ctx, req("AWS::Logs::LogGroup", "Logs2", map[string]any{"LogGroupName": "/aws/lambda/fn"})); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("creating an existing log group = %v, want AWS's already exists", err)
	}
	if _, err := group.Update(ctx, resource.Request{PhysicalID: g.PhysicalID, Properties: map[string]any{"RetentionInDays": 2.0}}); err == nil {
		t.Error("RetentionInDays 2 accepted; CloudWatch Logs refuses it")
	}
	if err := group.Delete(ctx, resource.Request{PhysicalID: g.PhysicalID}); err != nil {
		t.Fatal(err)
	}

	topic := cloud.SNS().Providers()["AWS::SNS::Topic"]
	tp, err := topic.Create(ctx, req("AWS::SNS::Topic", "Alerts", map[string]any{"DisplayName": "Alerts"}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tp.PhysicalID, "arn:aws:sns:us-east-1:000000000000:Stack-Alerts-") || tp.Attributes["TopicArn"] != tp.PhysicalID {
		t.Errorf("topic = %+v, want its ARN as Ref", tp)
	}
	found := false
	for _, arn := range cloud.SNS().Topics() {
		found = found || arn == tp.PhysicalID
	}
	if !found {
		t.Errorf("topic %s is not listed by SNS", tp.PhysicalID)
	}
	subscription := cloud.SNS().Providers()["AWS::SNS::Subscription"]
	sp, err := subscription.Create(ctx, req("AWS::SNS::Subscription", "Sub", map[string]any{
		"TopicArn": tp.PhysicalID, "Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:000000000000:function:f"}))
	if err != nil || !strings.HasPrefix(sp.PhysicalID, tp.PhysicalID+":") {
		t.Fatalf("subscription = %+v, %v; want an ARN under the topic's", sp, err)
	}
	// Every protocol SNS accepts is created as on AWS (issue 16); email
	// stays pending confirmation. Those the local cloud cannot reach are
	// refused, naming why.
	if mail, err := subscription.Create(ctx, req("AWS::SNS::Subscription", "Mail", map[string]any{
		"TopicArn": tp.PhysicalID, "Protocol": "email", "Endpoint": "a@example.com"})); err != nil || !strings.HasPrefix(mail.PhysicalID, tp.PhysicalID+":") {
		t.Errorf("an email subscription = %+v, %v, want it created (pending confirmation)", mail, err)
	}
	if _, err := subscription.Create(ctx, req("AWS::SNS::Subscription", "Push", map[string]any{
		"TopicArn": tp.PhysicalID, "Protocol": "application", "Endpoint": "arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1"})); err == nil || !strings.Contains(err.Error(), "mobile push") {
		t.Errorf("an application subscription = %v, want a refusal that says why", err)
	}
	if err := subscription.Delete(ctx, resource.Request{PhysicalID: sp.PhysicalID}); err != nil {
		t.Fatal(err)
	}
	if err := topic.Delete(ctx, resource.Request{PhysicalID: tp.PhysicalID}); err != nil {
		t.Fatal(err)
	}
}
