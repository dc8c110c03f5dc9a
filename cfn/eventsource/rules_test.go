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

func report(context.Context, map[string]any) (string, error) { return "ok", nil }

// template emits fn with its permissions and returns the template's
// resources as JSON values.
func template(t *testing.T, perms ...service.LambdaPermissionExporter) (map[string]map[string]any, []byte, error) {
	t.Helper()
	fn, err := service.NewAWSLambda("report", report, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	fn.Permissions = perms
	tmpl := cfn.NewServiceTemplate("Reports", "build-1", "test")
	res := cfn.AddFunction(tmpl, "Reports", fn, service.Artifact{Bucket: "bucket", Key: "k.zip"})
	if err := eventsource.Add(tmpl, "Reports", fn, res); err != nil {
		return nil, nil, err
	}
	b, err := cfn.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Resources, b, nil
}

func lint(t *testing.T, b []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cfnlint.Check(t, p)
}

// Each rule of a CloudWatchEventsPermission is an AWS::Events::Rule
// targeting the function, with its own AWS::Lambda::Permission scoped to
// that rule's ARN; the template passes cfn-lint.
func TestCloudWatchEventsRules(t *testing.T) {
	perm := service.CloudWatchEventsPermission{Rules: map[string]service.CloudWatchEventsRule{
		"nightly": {Description: "nightly report", ScheduleExpression: "cron(0 2 * * ? *)", RuleTarget: &service.CloudWatchEventsRuleTarget{Input: `{"kind":"nightly"}`}},
		"sightings": {EventPattern: map[string]any{"source": []string{"dragons"}, "detail": map[string]any{"size": []any{map[string]any{"numeric": []any{">", 10}}}}},
			RuleTarget: &service.CloudWatchEventsRuleTarget{InputPath: "$.detail"}},
	}}
	res, b, err := template(t, perm)
	if err != nil {
		t.Fatal(err)
	}
	if _, again, _ := template(t, perm); string(again) != string(b) {
		t.Error("rendering the same rules twice gave different bytes")
	}
	lint(t, b)
	fnID := cfn.FunctionLogicalID("report")
	for _, name := range []string{"nightly", "sightings"} {
		id := eventsource.RuleLogicalID("report", 0, name)
		rule := res[id]
		if rule["Type"] != "AWS::Events::Rule" {
			t.Fatalf("no rule %s in %v", id, res)
		}
		props := rule["Properties"].(map[string]any)
		target := props["Targets"].([]any)[0].(map[string]any)
		if arn, _ := json.Marshal(target["Arn"]); string(arn) != `{"Fn::GetAtt":["`+fnID+`","Arn"]}` {
			t.Errorf("rule %s targets %s", name, arn)
		}
		var perm map[string]any
		for _, r := range res {
			if r["Type"] == "AWS::Lambda::Permission" {
				p := r["Properties"].(map[string]any)
				if src, _ := json.Marshal(p["SourceArn"]); string(src) == `{"Fn::GetAtt":["`+id+`","Arn"]}` {
					perm = p
				}
			}
		}
		if perm == nil || perm["Principal"] != "events.amazonaws.com" || perm["Action"] != "lambda:InvokeFunction" {
			t.Errorf("rule %s: no permission scoped to its ARN (%v)", name, perm)
		}
	}
	nightly := res[eventsource.RuleLogicalID("report", 0, "nightly")]["Properties"].(map[string]any)
	if nightly["ScheduleExpression"] != "cron(0 2 * * ? *)" || nightly["Targets"].([]any)[0].(map[string]any)["Input"] != `{"kind":"nightly"}` {
		t.Errorf("nightly rule = %v", nightly)
	}
	sightings := res[eventsource.RuleLogicalID("report", 0, "sightings")]["Properties"].(map[string]any)
	if sightings["Targets"].([]any)[0].(map[string]any)["InputPath"] != "$.detail" || sightings["EventPattern"] == nil {
		t.Errorf("sightings rule = %v", sightings)
	}
}

// An EventBridgePermission is one rule on its bus and its permission.
func TestEventBridgeRule(t *testing.T) {
	res, b, err := template(t, &service.EventBridgePermission{Rule: &service.EventBridgeRule{EventBusName: "dragons",
		EventPattern: map[string]any{"detail-type": []string{"Sighting"}}}})
	if err != nil {
		t.Fatal(err)
	}
	lint(t, b)
	props := res[eventsource.RuleLogicalID("report", 0, "")]["Properties"].(map[string]any)
	if props["EventBusName"] != "dragons" || props["EventPattern"] == nil {
		t.Errorf("rule = %v", props)
	}
}

// Bad schedules and patterns are refused before anything is deployed,
// naming the function, the permission and the rule.
func TestRulesRefused(t *testing.T) {
	tests := []struct {
		name string
		perm service.LambdaPermissionExporter
		want string
	}{
		{"bad rate", service.CloudWatchEventsPermission{Rules: map[string]service.CloudWatchEventsRule{"r": {ScheduleExpression: "rate(1 minutes)"}}},
			`function "report": CloudWatchEventsPermission rule "r": ScheduleExpression: schedule expression "rate(1 minutes)" is not valid`},
		{"bad cron", &service.EventBridgePermission{Rule: &service.EventBridgeRule{ScheduleExpression: "cron(0 2 * * MON *)"}},
			"one of Day-of-month and Day-of-week must be ?"},
		{"bad pattern", &service.EventBridgePermission{Rule: &service.EventBridgeRule{EventPattern: map[string]any{"source": "x"}}},
			`EventPattern: Event pattern is not valid. Reason: "source" must be an object or an array`},
		{"schedule on a custom bus", &service.EventBridgePermission{Rule: &service.EventBridgeRule{EventBusName: "b", ScheduleExpression: "rate(1 hour)"}},
			"a ScheduleExpression runs on the default event bus only"},
		{"input and path", service.CloudWatchEventsPermission{Rules: map[string]service.CloudWatchEventsRule{"r": {ScheduleExpression: "rate(1 hour)",
			RuleTarget: &service.CloudWatchEventsRuleTarget{Input: "{}", InputPath: "$.detail"}}}}, "sets both Input and InputPath"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := template(t, tt.perm)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Add = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
