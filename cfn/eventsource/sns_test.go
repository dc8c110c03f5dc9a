//go:build !lambdabinary

package eventsource_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cfnlint"
	"github.com/sparta-go/sparta/internal/golden"
	"github.com/sparta-go/sparta/service"
)

// TestSNSTemplate: an SNSPermission becomes a lambda subscription of the
// topic and a permission for sns.amazonaws.com scoped to that topic, which
// cfn-lint accepts.
func TestSNSTemplate(t *testing.T) {
	fn := newFunction(t, "notify")
	fn.Permissions = append(fn.Permissions,
		service.SNSPermission{BasePermission: service.BasePermission{SourceArn: cfn.Ref("Alerts")}},
		&service.SNSPermission{BasePermission: service.BasePermission{SourceArn: "arn:aws:sns:us-east-1:123456789012:other", SourceAccount: "123456789012"}})
	got, err := buildTemplate(t, fn, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The topic the first permission refers to, so the template lints.
	var doc map[string]any
	_ = json.Unmarshal(got, &doc)
	doc["Resources"].(map[string]any)["Alerts"] = map[string]any{"Type": "AWS::SNS::Topic"}
	got, _ = json.MarshalIndent(doc, "", "  ")
	path := filepath.Join("testdata", "sns.golden.json")
	golden.JSON(t, path, got)
	cfnlint.Check(t, path)

	res := doc["Resources"].(map[string]any)
	sub := res[cfn.LogicalID("notify", "SNS", "0", "Subscription")].(map[string]any)
	perm := res[cfn.LogicalID("notify", "SNS", "0", "Permission")].(map[string]any)
	subJSON, _ := json.Marshal(sub)
	permJSON, _ := json.Marshal(perm)
	if !strings.Contains(string(subJSON), `"Protocol":"lambda"`) || !strings.Contains(string(subJSON), `"TopicArn":{"Ref":"Alerts"}`) {
		t.Errorf("subscription = %s", subJSON)
	}
	if !strings.Contains(string(permJSON), `"Principal":"sns.amazonaws.com"`) || !strings.Contains(string(permJSON), `"SourceArn":{"Ref":"Alerts"}`) {
		t.Errorf("permission = %s, want sns.amazonaws.com scoped to the topic", permJSON)
	}
	if _, err := buildTemplate(t, &service.LambdaAWSInfo{Name: "bad", Permissions: []service.LambdaPermissionExporter{service.SNSPermission{}}}, nil, nil); err == nil ||
		!strings.Contains(err.Error(), "SNSPermission: SourceArn is empty") {
		t.Errorf("an SNSPermission without a topic = %v", err)
	}
}
