package lambda_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/resource"
)

// functionProps are properties as the CloudFormation engine hands them
// over for a function of cfn.AddFunction's template.
func functionProps(zip string) map[string]any {
	return map[string]any{
		"FunctionName":  "stack-rollDie",
		"Handler":       "rollDie",
		"Runtime":       "provided.al2023",
		"Architectures": []any{string(hostArchitecture())},
		"Code":          map[string]any{"S3Bucket": bucket, "S3Key": zip + ".zip"},
		"Role":          role,
		"MemorySize":    float64(128),
		"Timeout":       json.Number("5"),
		"Environment":   map[string]any{"Variables": map[string]any{"GREETING": "hi", "COUNT": float64(3)}},
		"Tags":          []any{map[string]any{"Key": "sparta:service", "Value": "stack"}},
	}
}

func TestFunctionProvider(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.svc.Providers()["AWS::Lambda::Function"]
	req := resource.Request{StackName: "stack", LogicalID: "RollDieFunction", Type: "AWS::Lambda::Function",
		Properties: functionProps("rolldie"), Region: region, AccountID: account}
	res, err := p.Create(ctx, req)
	if err != nil {
		t.Fatalf("Create = %v", err)
	}
	if res.PhysicalID != "stack-rollDie" || res.Attributes["Arn"] != "arn:aws:lambda:us-east-1:000000000000:function:stack-rollDie" {
		t.Errorf("Create = %+v, want the function's name and ARN", res)
	}
	out, err := f.svc.Invoke(ctx, res.PhysicalID, nil)
	if err != nil || out.FunctionError != "" || !strings.Contains(string(out.Payload), `"roll"`) {
		t.Fatalf("Invoke after Create = %+v, %v", out, err)
	}
	got, _ := f.svc.GetFunction(ctx, "stack-rollDie")
	if got.Configuration.Timeout != 5 || got.Configuration.Environment.Variables["COUNT"] != "3" || got.Tags["sparta:service"] != "stack" {
		t.Errorf("configuration after Create = %+v", got)
	}

	// In place: new code and configuration.
	next := functionProps("failing")
	next["Timeout"] = float64(9)
	delete(next, "Environment")
	req.OldProperties, req.Properties, req.PhysicalID = req.Properties, next, res.PhysicalID
	if p.RequiresReplacement(req.OldProperties, req.Properties) {
		t.Fatal("a code and timeout change requires replacement, want an update in place")
	}
	if _, err := p.Update(ctx, req); err != nil {
		t.Fatalf("Update = %v", err)
	}
	got, _ = f.svc.GetFunction(ctx, "stack-rollDie")
	if got.Configuration.Timeout != 9 || got.Configuration.Environment != nil {
		t.Errorf("configuration after Update = %+v, want Timeout 9 and no environment", got.Configuration)
	}
	if out, _ := f.svc.Invoke(ctx, "stack-rollDie", nil); out.FunctionError != "Unhandled" {
		t.Errorf("Invoke after the code update = %s, want the failing function's error", out.Payload)
	}

	for _, tt := range []struct {
		name     string
		old, new map[string]any
		want     bool
	}{
		{"renamed", map[string]any{"FunctionName": "a"}, map[string]any{"FunctionName": "b"}, true},
		{"named", map[string]any{}, map[string]any{"FunctionName": "b"}, true},
		{"memory", map[string]any{"FunctionName": "a", "MemorySize": 128.0}, map[string]any{"FunctionName": "a", "MemorySize": json.Number("256")}, false},
	} {
		if got := p.RequiresReplacement(tt.old, tt.new); got != tt.want {
			t.Errorf("RequiresReplacement(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}

	if err := p.Delete(ctx, req); err != nil {
		t.Fatalf("Delete = %v", err)
	}
	if err := p.Delete(ctx, req); err != nil {
		t.Errorf("Delete of a deleted function = %v, want nil", err)
	}
}

func TestGeneratedFunctionName(t *testing.T) {
	f := newFixture(t)
	props := functionProps("rolldie")
	delete(props, "FunctionName")
	res, err := f.svc.Providers()["AWS::Lambda::Function"].Create(context.Background(), resource.Request{
		StackName: strings.Repeat("LongStackName", 5), LogicalID: "RollDieFunction", Properties: props})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.PhysicalID) > 64 || !strings.HasPrefix(res.PhysicalID, "LongStackName") {
		t.Errorf("generated name %q, want CloudFormation's stack-logical-RANDOM within 64 characters", res.PhysicalID)
	}
}

func TestVersionAliasPermissionProviders(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	providers := f.svc.Providers()
	fn, err := providers["AWS::Lambda::Function"].Create(ctx, resource.Request{StackName: "s", LogicalID: "F", Properties: functionProps("echo")})
	if err != nil {
		t.Fatal(err)
	}
	ver, err := providers["AWS::Lambda::Version"].Create(ctx, resource.Request{StackName: "s", LogicalID: "V",
		Properties: map[string]any{"FunctionName": fn.Attributes["Arn"], "Description": "first"}})
	if err != nil {
		t.Fatal(err)
	}
	if ver.Attributes["Version"] != "1" || ver.PhysicalID != "arn:aws:lambda:us-east-1:000000000000:function:stack-rollDie:1" {
		t.Errorf("Version Create = %+v", ver)
	}
	aliasReq := resource.Request{StackName: "s", LogicalID: "A",
		Properties: map[string]any{"FunctionName": fn.PhysicalID, "Name": "live", "FunctionVersion": ver.Attributes["Version"]}}
	alias, err := providers["AWS::Lambda::Alias"].Create(ctx, aliasReq)
	if err != nil {
		t.Fatal(err)
	}
	if alias.Attributes["AliasArn"] != "arn:aws:lambda:us-east-1:000000000000:function:stack-rollDie:live" {
		t.Errorf("Alias Create = %+v", alias)
	}
	out, err := f.svc.Invoke(ctx, alias.PhysicalID, nil)
	if err != nil || out.ExecutedVersion != "1" {
		t.Errorf("Invoke(alias) = %+v, %v, want version 1", out, err)
	}
	permReq := resource.Request{StackName: "s", LogicalID: "P", Properties: map[string]any{
		"FunctionName": alias.PhysicalID, "Action": "lambda:InvokeFunction", "Principal": "states.amazonaws.com"}}
	perm, err := providers["AWS::Lambda::Permission"].Create(ctx, permReq)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := f.svc.GetPolicy(ctx, fn.PhysicalID)
	if err != nil || !strings.Contains(policy, perm.PhysicalID) || !strings.Contains(policy, ":live") {
		t.Errorf("GetPolicy = %s, %v, want the statement %s on the alias", policy, err, perm.PhysicalID)
	}
	permReq.PhysicalID = perm.PhysicalID
	if err := providers["AWS::Lambda::Permission"].Delete(ctx, permReq); err != nil {
		t.Error(err)
	}
	aliasReq.PhysicalID = alias.PhysicalID
	if err := providers["AWS::Lambda::Alias"].Delete(ctx, aliasReq); err != nil {
		t.Error(err)
	}
	if err := providers["AWS::Lambda::Version"].Delete(ctx, resource.Request{PhysicalID: ver.PhysicalID}); err != nil {
		t.Error(err)
	}
	versions, _ := f.svc.ListVersions(ctx, fn.PhysicalID)
	if len(versions) != 1 {
		t.Errorf("%d versions left after deleting version 1, want $LATEST only", len(versions))
	}
}
