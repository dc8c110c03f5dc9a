//go:build !lambdabinary

package step_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func newServiceContext(t testing.TB, lambdas ...*service.LambdaAWSInfo) *service.ServiceContext {
	log := logrus.New()
	log.SetOutput(testWriter{t})
	return &service.ServiceContext{
		Service:  "RollDieService",
		Template: cloudformation.NewTemplate(),
		Lambdas:  lambdas,
		Values:   map[string]any{},
		Log:      log,
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// templateJSON renders the template as CloudFormation sees it, intrinsics
// decoded.
func templateJSON(t testing.TB, tmpl *cloudformation.Template) map[string]any {
	t.Helper()
	b, err := tmpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func decorate(t testing.TB, sm *step.StateMachine, sc *service.ServiceContext) {
	t.Helper()
	if err := sm.StateMachineDecorator().DecorateService(context.Background(), sc); err != nil {
		t.Fatalf("DecorateService() = %v", err)
	}
}

func TestDecorateRollDie(t *testing.T) {
	sm := rollDieMachine(t)
	fn := sm.StartAt().(*step.TaskState).LambdaFunction()
	sc := newServiceContext(t, fn)
	decorate(t, sm, sc)

	machineID := step.StateMachineLogicalID("RollDie")
	res, ok := sc.Template.Resources[machineID].(*stepfunctions.StateMachine)
	if !ok {
		t.Fatalf("no AWS::StepFunctions::StateMachine %s in %v", machineID, sc.Template.Resources)
	}
	if got := *res.StateMachineType; got != "STANDARD" {
		t.Errorf("StateMachineType = %q, want STANDARD", got)
	}
	def, _ := sm.MarshalJSON()
	if *res.DefinitionString != string(def) {
		t.Errorf("DefinitionString = %s, want %s", *res.DefinitionString, def)
	}
	key := cfn.FunctionARNSubstitution("StepRollDie")
	if got, want := res.DefinitionSubstitutions[key], cfn.GetAtt(cfn.FunctionLogicalID("StepRollDie"), "Arn"); got != want {
		t.Errorf("DefinitionSubstitutions[%s] = %v, want %v", key, got, want)
	}
	if len(res.DefinitionSubstitutions) != 1 {
		t.Errorf("DefinitionSubstitutions = %v, want only the function", res.DefinitionSubstitutions)
	}
	if got := sc.Values[step.ValuesKey].(map[string]string)["RollDie"]; got != machineID {
		t.Errorf("Values[%s][RollDie] = %q, want %q", step.ValuesKey, got, machineID)
	}

	// The role: trusted by states.amazonaws.com for this account only, and
	// allowed exactly one action on exactly one function.
	out := templateJSON(t, sc.Template)
	role := out["Resources"].(map[string]any)[step.StateMachineRoleLogicalID("RollDie")].(map[string]any)["Properties"].(map[string]any)
	trust, _ := json.Marshal(role["AssumeRolePolicyDocument"])
	for _, want := range []string{`"Service":"states.amazonaws.com"`, `"aws:SourceAccount":{"Ref":"AWS::AccountId"}`, `"sts:AssumeRole"`} {
		if !strings.Contains(string(trust), want) {
			t.Errorf("AssumeRolePolicyDocument = %s, want %s", trust, want)
		}
	}
	policies := role["Policies"].([]any)
	statements := policies[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	if len(policies) != 1 || len(statements) != 1 {
		t.Fatalf("policy = %v, want one statement", policies)
	}
	st := statements[0].(map[string]any)
	if got, _ := json.Marshal(st["Action"]); string(got) != `["lambda:InvokeFunction"]` {
		t.Errorf("Action = %s, want exactly lambda:InvokeFunction", got)
	}
	resources, _ := json.Marshal(st["Resource"])
	fnID := cfn.FunctionLogicalID("StepRollDie")
	want := `[{"Fn::GetAtt":["` + fnID + `","Arn"]},{"Fn::Sub":"${` + fnID + `.Arn}:*"}]`
	if string(resources) != want {
		t.Errorf("Resource = %s, want the one function (ARN and ARN:*) %s", resources, want)
	}

	outputs := out["Outputs"].(map[string]any)
	arn, _ := json.Marshal(outputs[step.StateMachineARNOutput("RollDie")].(map[string]any)["Value"])
	name, _ := json.Marshal(outputs[step.StateMachineNameOutput("RollDie")].(map[string]any)["Value"])
	if string(arn) != `{"Ref":"`+machineID+`"}` || string(name) != `{"Fn::GetAtt":["`+machineID+`","Name"]}` {
		t.Errorf("Outputs = %s, %s; want Ref and GetAtt Name of %s", arn, name, machineID)
	}
}

func TestDecorateIsDeterministic(t *testing.T) {
	render := func() string {
		sm := integrationsMachine(t).WithLogging(step.Logging{Level: step.LogAll}).WithTracing(true)
		sc := newServiceContext(t, rollDieLambda(t))
		decorate(t, sm, sc)
		b, err := sc.Template.JSON()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if a, b := render(), render(); a != b {
		t.Errorf("two decorations of the same machine differ:\n%s\n%s", a, b)
	}
}

// TestDecorateIntegrationsPolicy checks the derived policy statement by
// statement: exact actions, exact resources, wildcards only where AWS
// offers nothing narrower.
func TestDecorateIntegrationsPolicy(t *testing.T) {
	sm := integrationsMachine(t).WithType(step.Express).WithLogging(step.Logging{Level: step.LogError}).WithTracing(true)
	sc := newServiceContext(t, rollDieLambda(t))
	decorate(t, sm, sc)
	out := templateJSON(t, sc.Template)
	resources := out["Resources"].(map[string]any)
	role := resources[step.StateMachineRoleLogicalID("Integrations")].(map[string]any)["Properties"].(map[string]any)
	statements := role["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	got := map[string]string{}
	for _, s := range statements {
		st := s.(map[string]any)
		res, _ := json.Marshal(st["Resource"])
		for _, a := range st["Action"].([]any) {
			got[a.(string)] = string(res)
			if a.(string) == "*" || strings.HasSuffix(a.(string), ":*") {
				t.Errorf("wildcard action %q", a)
			}
		}
	}
	want := map[string]string{
		"sns:Publish":                   `["arn:aws:sns:us-east-1:123456789012:alerts"]`,
		"sqs:SendMessage":               `[{"Fn::Sub":"arn:${AWS::Partition}:sqs:us-east-1:123456789012:work"}]`,
		"dynamodb:GetItem":              `[{"Fn::Sub":"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Orders"}]`,
		"dynamodb:PutItem":              `[{"Fn::Sub":"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Orders"}]`,
		"states:StartExecution":         `["arn:aws:states:us-east-1:123456789012:stateMachine:Child"]`,
		"states:DescribeExecution":      `["arn:aws:states:us-east-1:123456789012:execution:Child:*"]`,
		"states:StopExecution":          `["arn:aws:states:us-east-1:123456789012:execution:Child:*"]`,
		"ecs:RunTask":                   `["arn:aws:ecs:us-east-1:123456789012:task-definition/job:1"]`,
		"iam:PassRole":                  `["arn:aws:iam::123456789012:role/jobTask"]`,
		"ecs:StopTask":                  `[{"Fn::Sub":"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/*"}]`,
		"ecs:DescribeTasks":             `[{"Fn::Sub":"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/*"}]`,
		"logs:CreateLogDelivery":        `["*"]`,
		"xray:PutTraceSegments":         `["*"]`,
		"lambda:InvokeFunction":         "",
		"events:PutRule":                "",
		"events:PutTargets":             "",
		"events:DescribeRule":           "",
		"logs:GetLogDelivery":           `["*"]`,
		"logs:UpdateLogDelivery":        `["*"]`,
		"logs:DeleteLogDelivery":        `["*"]`,
		"logs:ListLogDeliveries":        `["*"]`,
		"logs:PutResourcePolicy":        `["*"]`,
		"logs:DescribeResourcePolicies": `["*"]`,
		"logs:DescribeLogGroups":        `["*"]`,
		"xray:PutTelemetryRecords":      `["*"]`,
		"xray:GetSamplingRules":         `["*"]`,
		"xray:GetSamplingTargets":       `["*"]`,
	}
	for action, res := range want {
		g, ok := got[action]
		if !ok {
			t.Errorf("policy lacks %s", action)
		} else if res != "" && g != res {
			t.Errorf("%s on %s, want %s", action, g, res)
		}
	}
	for action := range got {
		if _, ok := want[action]; !ok {
			t.Errorf("policy has unexpected action %s", action)
		}
	}
	events := got["events:PutRule"]
	if !strings.Contains(events, "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule") || !strings.Contains(events, "rule/StepFunctionsGetEventsForECSTaskRule") {
		t.Errorf("events:PutRule on %s, want the two managed rules", events)
	}

	machine := resources[step.StateMachineLogicalID("Integrations")].(map[string]any)["Properties"].(map[string]any)
	if machine["StateMachineType"] != "EXPRESS" {
		t.Errorf("StateMachineType = %v, want EXPRESS", machine["StateMachineType"])
	}
	logging, _ := json.Marshal(machine["LoggingConfiguration"])
	if !strings.Contains(string(logging), `"Level":"ERROR"`) || !strings.Contains(string(logging), step.StateMachineLogGroupLogicalID("Integrations")) {
		t.Errorf("LoggingConfiguration = %s", logging)
	}
	if tracing, _ := json.Marshal(machine["TracingConfiguration"]); string(tracing) != `{"Enabled":true}` {
		t.Errorf("TracingConfiguration = %s", tracing)
	}
}

// TestDecorateNoLoggingNoTracing wants no log or X-Ray actions when they
// are off.
func TestDecorateNoLoggingNoTracing(t *testing.T) {
	sm := rollDieMachine(t)
	sc := newServiceContext(t, sm.StartAt().(*step.TaskState).LambdaFunction())
	decorate(t, sm, sc)
	b, _ := sc.Template.JSON()
	for _, action := range []string{"logs:", "xray:"} {
		if strings.Contains(string(b), action) {
			t.Errorf("template mentions %s with logging and tracing off", action)
		}
	}
}

func TestDecorateSeveralMachines(t *testing.T) {
	fn := rollDieLambda(t)
	sc := newServiceContext(t, fn)
	a := step.NewStateMachine("First", step.NewLambdaTaskState("roll", fn))
	b := step.NewStateMachine("Second", step.NewPassState("p"))
	decorate(t, a, sc)
	decorate(t, b, sc)
	machines := sc.Values[step.ValuesKey].(map[string]string)
	if len(machines) != 2 || machines["First"] == machines["Second"] {
		t.Errorf("Values[%s] = %v, want two machines", step.ValuesKey, machines)
	}
	// A Pass-only machine needs no permissions at all.
	role := sc.Template.Resources[step.StateMachineRoleLogicalID("Second")].(*iam.Role)
	if len(role.Policies) != 0 {
		t.Errorf("Pass-only machine role has policies %v, want none", role.Policies)
	}
	if err := a.StateMachineDecorator().DecorateService(context.Background(), sc); err == nil {
		t.Error("decorating the same machine twice succeeded, want a duplicate logical ID error")
	}
}

func TestDecorateTemplateReferences(t *testing.T) {
	topic := cfn.Ref("AlertsTopic")
	sm := step.NewStateMachine("Alerts", step.NewSNSPublishState("Notify", topic, map[string]any{"Message": "hi"}))
	sc := newServiceContext(t)
	decorate(t, sm, sc)
	res := sc.Template.Resources[step.StateMachineLogicalID("Alerts")].(*stepfunctions.StateMachine)
	if len(res.DefinitionSubstitutions) != 1 {
		t.Fatalf("DefinitionSubstitutions = %v, want the topic", res.DefinitionSubstitutions)
	}
	for key, v := range res.DefinitionSubstitutions {
		if v != topic || !strings.Contains(*res.DefinitionString, `"TopicArn":"${`+key+`}"`) {
			t.Errorf("substitution %s = %v in %s, want the topic reference", key, v, *res.DefinitionString)
		}
	}
	b, _ := sc.Template.JSON()
	if !strings.Contains(string(b), `"sns:Publish"`) || !strings.Contains(compact(b), `"Resource":[{"Ref":"AlertsTopic"}]`) {
		t.Errorf("policy does not name the topic:\n%s", b)
	}
}

func TestDecorateFunctionNotInService(t *testing.T) {
	sm := rollDieMachine(t)
	err := sm.StateMachineDecorator().DecorateService(context.Background(), newServiceContext(t))
	if err == nil || !strings.Contains(err.Error(), `function "StepRollDie" is not one of the service's functions`) {
		t.Errorf("DecorateService() = %v, want the missing function named", err)
	}
}

// TestDecorateParsedDefinition binds a placeholder of a definition read
// with FromJSON to the service function of the same key.
func TestDecorateParsedDefinition(t *testing.T) {
	fn := rollDieLambda(t)
	asl := `{"StartAt":"Roll","States":{"Roll":{"Type":"Task","Resource":"` + step.FunctionPlaceholder(fn.Name) + `","End":true}}}`
	sm, err := step.FromJSON([]byte(asl))
	if err != nil {
		t.Fatal(err)
	}
	sc := newServiceContext(t, fn)
	decorate(t, sm.WithName("Parsed"), sc)
	b, _ := sc.Template.JSON()
	if !strings.Contains(compact(b), `"Action":["lambda:InvokeFunction"]`) {
		t.Errorf("no lambda:InvokeFunction for the parsed function:\n%s", b)
	}
}

func compact(b []byte) string {
	var v any
	_ = json.Unmarshal(b, &v)
	out, _ := json.Marshal(v)
	return string(out)
}

// TestDecoratorRefusesInvalidMachine wants the decorator to add nothing
// when the machine does not validate.
func TestDecoratorRefusesInvalidMachine(t *testing.T) {
	sm := step.NewStateMachine("Orders", step.NewChoiceState("Empty"))
	sc := newServiceContext(t)
	err := sm.StateMachineDecorator().DecorateService(context.Background(), sc)
	if err == nil || !strings.Contains(err.Error(), `state "Empty" (Choice)`) {
		t.Fatalf("DecorateService() = %v, want the Choice error", err)
	}
	if len(sc.Template.Resources) != 0 {
		t.Errorf("template has %d resources after a failed decoration, want 0", len(sc.Template.Resources))
	}
}

// BenchmarkDecorateRolldie synthesizes rolldie's template: validation,
// ASL, role and policy, state machine resource, outputs, and the template
// JSON CloudFormation receives.
func BenchmarkDecorateRolldie(b *testing.B) {
	fn := rollDieLambda(b)
	b.ReportAllocs()
	for b.Loop() {
		sm := rollDieMachine(b)
		sc := newServiceContext(b, fn)
		sc.Log = nil
		if err := sm.StateMachineDecorator().DecorateService(context.Background(), sc); err != nil {
			b.Fatal(err)
		}
		if _, err := sc.Template.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}
