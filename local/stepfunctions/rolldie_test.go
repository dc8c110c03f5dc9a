package stepfunctions_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/sparta-go/sparta/local/resource"
)

// rolldieTemplate builds examples/rolldie and returns the template that
// `provision --noop` writes, decoded.
func rolldieTemplate(t *testing.T) map[string]any {
	t.Helper()
	if testing.Short() {
		t.Skip("builds examples/rolldie and its Lambda binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rolldie")
	build := exec.Command("go", "build", "-o", bin, "./examples/rolldie")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/rolldie: %v\n%s", err, out)
	}
	work := filepath.Join(dir, "work")
	run := exec.Command(bin, "provision", "--noop", "--s3Bucket", "artifacts", "--work-dir", work)
	run.Dir = "../.." // the Lambda build compiles the package in its module
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("rolldie provision --noop: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(work, "*-cftemplate.json"))
	if len(files) != 1 {
		t.Fatalf("provision --noop wrote templates %v, want one", files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	return tmpl
}

// resolver evaluates the few intrinsics rolldie's template uses, standing
// in for the CloudFormation engine.
type resolver struct {
	t     *testing.T
	attrs map[string]map[string]any // logical ID -> attribute -> value
	refs  map[string]any
}

func (r *resolver) resolve(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			if ref, ok := x["Ref"].(string); ok {
				if val, ok := r.refs[ref]; ok {
					return val
				}
				r.t.Fatalf("unresolved Ref %s", ref)
			}
			if ga, ok := x["Fn::GetAtt"].([]any); ok {
				return r.attrs[ga[0].(string)][ga[1].(string)]
			}
			if sub, ok := x["Fn::Sub"].(string); ok {
				for id, attrs := range r.attrs {
					for k, val := range attrs {
						sub = strings.ReplaceAll(sub, "${"+id+"."+k+"}", val.(string))
					}
				}
				sub = strings.NewReplacer("${AWS::Partition}", "aws", "${AWS::Region}", region, "${AWS::AccountId}", account).Replace(sub)
				if strings.Contains(sub, "${") {
					r.t.Fatalf("unresolved Fn::Sub %s", sub)
				}
				return sub
			}
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = r.resolve(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.resolve(e)
		}
		return out
	}
	return v
}

// TestRolldieTemplate deploys the IAM role and the state machine of the
// template the framework generates for examples/rolldie through their
// providers, and runs the machine: the role policy the framework writes
// must allow the machine's Lambda call, and its trust policy must let
// Step Functions assume it.
func TestRolldieTemplate(t *testing.T) {
	tmpl := rolldieTemplate(t)
	f := newFixture(t)
	resources := tmpl["Resources"].(map[string]any)
	r := &resolver{t: t, attrs: map[string]map[string]any{}, refs: map[string]any{"AWS::AccountId": account, "AWS::Region": region}}
	var fnName, roleID, machineID string
	for id, res := range resources {
		m := res.(map[string]any)
		props, _ := m["Properties"].(map[string]any)
		switch m["Type"] {
		case "AWS::Lambda::Function":
			fnName = props["FunctionName"].(string)
			r.attrs[id] = map[string]any{"Arn": fnARN(fnName)}
		case "AWS::StepFunctions::StateMachine":
			machineID = id
			arn, _ := props["RoleArn"].(map[string]any)["Fn::GetAtt"].([]any)
			roleID = arn[0].(string)
		}
	}
	if fnName == "" || machineID == "" {
		t.Fatalf("template has no function or machine: %v", resources)
	}
	f.lambda.add(fnName, dice(1, 3, 6))

	ctx := context.Background()
	req := func(id string) resource.Request {
		m := resources[id].(map[string]any)
		return resource.Request{StackName: "RollDie-root", LogicalID: id, Type: m["Type"].(string),
			Properties: r.resolve(m["Properties"]).(map[string]any), Region: region, AccountID: account}
	}
	role, err := f.iam.Providers()["AWS::IAM::Role"].Create(ctx, req(roleID))
	if err != nil {
		t.Fatalf("creating %s: %v", roleID, err)
	}
	r.attrs[roleID] = role.Attributes
	sm, err := f.provider().Create(ctx, req(machineID))
	if err != nil {
		t.Fatalf("creating %s: %v", machineID, err)
	}
	out := f.run(sm.PhysicalID, `{}`)
	if out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `{"roll":6}` {
		t.Fatalf("rolldie execution = %s %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	if n := f.lambda.count(fnName); n != 3 {
		t.Errorf("rollDie ran %d times, want 3 (1, 3, then 6)", n)
	}

	// Without the framework's policy, the same machine fails as on AWS.
	props := req(roleID).Properties
	delete(props, "Policies")
	bare, err := f.iam.Providers()["AWS::IAM::Role"].Create(ctx, resource.Request{StackName: "RollDie-root", LogicalID: "Bare", Properties: props})
	if err != nil {
		t.Fatal(err)
	}
	mreq := req(machineID)
	mreq.Properties["RoleArn"] = bare.Attributes["Arn"]
	mreq.LogicalID = "BareMachine"
	bareSM, err := f.provider().Create(ctx, mreq)
	if err != nil {
		t.Fatal(err)
	}
	out = f.run(bareSM.PhysicalID, `{}`)
	if aws.ToString(out.Error) != "Lambda.AWSLambdaException" || !strings.Contains(aws.ToString(out.Cause), "lambda:InvokeFunction on resource: "+fnARN(fnName)) {
		t.Errorf("execution without the policy = %s %q %q", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
}
