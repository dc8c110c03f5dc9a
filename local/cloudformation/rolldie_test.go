package cloudformation_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/resource"
)

// rolldieTemplate is what `go run ./examples/rolldie provision --noop
// --s3Bucket artifacts` writes to .sparta/RollDie-root-cftemplate.json;
// refresh it by running that and copying the file here.
const rolldieTemplate = "testdata/rolldie-cftemplate.json"

func TestRollDieTemplateParsesOrdersValidates(t *testing.T) {
	body, err := os.ReadFile(rolldieTemplate)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Parse(body)
	if err != nil {
		t.Fatalf("Parse(rolldie) = %v", err)
	}
	order, err := template.Order(tpl.Deps)
	if err != nil {
		t.Fatalf("Order(rolldie) = %v", err)
	}
	pos := map[string]int{}
	for i, id := range order {
		pos[tpl.Resources[id].Type] = i
	}
	for _, before := range [][2]string{
		{"AWS::Logs::LogGroup", "AWS::Lambda::Function"},
		{"AWS::Lambda::Function", "AWS::StepFunctions::StateMachine"},
	} {
		if pos[before[0]] > pos[before[1]] {
			t.Errorf("Order(rolldie) = %v, want %s before %s", order, before[0], before[1])
		}
	}
	e := newEnv(t)
	v, err := e.client.ValidateTemplate(context.Background(), &cfnsdk.ValidateTemplateInput{TemplateBody: aws.String(string(body))})
	if err != nil {
		t.Fatalf("ValidateTemplate(rolldie) = %v", err)
	}
	if len(v.Capabilities) != 1 || v.Capabilities[0] != types.CapabilityCapabilityIam {
		t.Errorf("ValidateTemplate(rolldie) capabilities = %v, want CAPABILITY_IAM", v.Capabilities)
	}
}

// arnProviderFake stands in for the Lambda, Logs, IAM and Step Functions
// providers that their services own, to deploy rolldie's template through
// the engine: it names resources as CloudFormation does and answers Arn
// and Name.
type arnProviderFake struct {
	service string
	mu      *sync.Mutex
	order   *[]string
}

func (p *arnProviderFake) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	name := req.StackName + "-" + req.LogicalID
	if n, ok := req.Properties["FunctionName"].(string); ok {
		name = n
	}
	arn := fmt.Sprintf("arn:aws:%s:%s:%s:%s", p.service, req.Region, req.AccountID, name)
	p.mu.Lock()
	*p.order = append(*p.order, req.LogicalID)
	p.mu.Unlock()
	res := resource.Result{PhysicalID: name, Attributes: map[string]any{"Arn": arn, "Name": name}}
	if p.service == "states" {
		res.Ref = arn
	}
	return res, nil
}

func (p *arnProviderFake) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return resource.Result{PhysicalID: req.PhysicalID}, nil
}
func (p *arnProviderFake) Delete(context.Context, resource.Request) error   { return nil }
func (p *arnProviderFake) RequiresReplacement(old, new map[string]any) bool { return false }

func TestRollDieDeploysInDependencyOrder(t *testing.T) {
	var mu sync.Mutex
	var order []string
	fake := func(svc string) *arnProviderFake { return &arnProviderFake{service: svc, mu: &mu, order: &order} }
	e := newEnv(t, resource.Registry{
		"AWS::Lambda::Function": fake("lambda"), "AWS::Logs::LogGroup": fake("logs"),
		"AWS::IAM::Role": fake("iam"), "AWS::StepFunctions::StateMachine": fake("states"),
	})
	body, err := os.ReadFile(rolldieTemplate)
	if err != nil {
		t.Fatal(err)
	}
	e.create("RollDie-root", string(body), func(in *cfnsdk.CreateStackInput) {
		in.Capabilities = []types.Capability{types.CapabilityCapabilityIam}
	})
	st := e.wait("RollDie-root")
	if st.StackStatus != types.StackStatusCreateComplete {
		t.Fatalf("rolldie stack = %s (%v)", st.StackStatus, e.events("RollDie-root"))
	}
	mu.Lock()
	defer mu.Unlock()
	if order[len(order)-1] != "RollDieStateMachinebe2150b6" {
		t.Errorf("creation order = %v, want the state machine last", order)
	}
	outs := outputs(st)
	if !strings.HasPrefix(outs["RollDieStateMachineArnf30cfb33"], "arn:aws:states:us-east-1:000000000000:") || outs["RollDieLambdacbf9b6caArn"] == "" {
		t.Errorf("rolldie outputs = %v", outs)
	}
}
