//go:build !lambdabinary

package apigateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/cfn/apigateway"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

const dragonSchema = `{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
 "required": ["dragonName"], "properties": {"dragonName": {"type": "string"}}}`

func proxyHandler(_ context.Context, r events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: r.Body}, nil
}

type greeting struct{ Name string }

func typedHandler(_ context.Context, g greeting) (greeting, error) { return g, nil }

// fixture is a service with a proxy function, a typed function and a
// state machine, all behind one API with CORS, a model and access logs.
func fixture(t testing.TB, express bool) (*service.ServiceContext, *service.API) {
	t.Helper()
	list, err := service.NewAWSLambda("listDragons", proxyHandler, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	greet, err := service.NewAWSLambda("greet", typedHandler, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	sm := step.NewStateMachine("dragons", step.NewPassState("accept"))
	if express {
		sm.WithType(step.Express)
	}
	stage := service.NewStage("v1")
	stage.AccessLogging = true
	stage.Variables["color"] = "green"
	api := service.NewAPIGateway("dragonsAPI", stage)
	api.CORSEnabled = true
	r, _ := api.NewResource("/dragons", list)
	get, _ := r.NewMethod("GET", 200)
	get.Parameters["method.request.querystring.family"] = false
	au, err := api.NewLambdaAuthorizer("tokens", list, service.AuthorizerToken)
	if err != nil {
		t.Fatal(err)
	}
	get.Authorizer = au
	one, _ := api.NewResource("/dragons/{name}", list)
	m, _ := one.NewMethod("GET", 200)
	m.Parameters["method.request.path.name"] = true
	g, _ := api.NewResource("/greet", greet)
	if _, err := g.NewMethod("POST", 201); err != nil {
		t.Fatal(err)
	}
	sr, err := api.NewStateMachineResource("/dragons", sm)
	if err != nil {
		t.Fatal(err)
	}
	post, _ := sr.NewMethod("POST", 200)
	post.Models["application/json"] = &service.Model{Name: "Dragon", Schema: dragonSchema}

	tpl := cfn.NewServiceTemplate("test", "b1", "dev")
	lambdas := []*service.LambdaAWSInfo{list, greet}
	for _, l := range lambdas {
		cfn.AddFunction(tpl, "svc", l, service.Artifact{Bucket: "artifacts-bucket", Key: "code.zip"})
	}
	sc := &service.ServiceContext{Service: "svc", Template: tpl, Lambdas: lambdas, Values: map[string]any{}}
	if err := sm.StateMachineDecorator().DecorateService(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	return sc, api
}

func render(t testing.TB, sc *service.ServiceContext, api *service.API) map[string]any {
	t.Helper()
	if err := apigateway.Decorator(api).DecorateService(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	b, err := cfn.Marshal(sc.Template)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfn.ValidateTemplate(b); err != nil {
		t.Fatal(err)
	}
	doc, err := cfn.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func resourcesOf(doc map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range doc["Resources"].(map[string]any) {
		m := r.(map[string]any)
		if m["Type"] == typ {
			props, _ := m["Properties"].(map[string]any)
			out[id] = props
		}
	}
	return out
}

// TestTemplatePassesCfnLint runs cfn-lint, which checks every resource
// against CloudFormation's own resource schemas.
func TestTemplatePassesCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed")
	}
	for _, express := range []bool{false, true} {
		sc, api := fixture(t, express)
		render(t, sc, api)
		b, _ := cfn.Marshal(sc.Template)
		path := filepath.Join(t.TempDir(), "template.json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(lint, "--regions", "us-east-1", "--", path).CombinedOutput()
		if err != nil {
			t.Fatalf("cfn-lint (express=%v): %v\n%s", express, err, out)
		}
	}
}

// TestRequiredProperties checks, for each ApiGateway resource type, the
// properties the CloudFormation reference marks Required, and the wiring
// between them.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
func TestRequiredProperties(t *testing.T) {
	sc, api := fixture(t, false)
	doc := render(t, sc, api)
	required := map[string][]string{
		"AWS::ApiGateway::RestApi":          {"Name"},
		"AWS::ApiGateway::Resource":         {"ParentId", "PathPart", "RestApiId"},
		"AWS::ApiGateway::Method":           {"HttpMethod", "ResourceId", "RestApiId"},
		"AWS::ApiGateway::Deployment":       {"RestApiId"},
		"AWS::ApiGateway::Stage":            {"RestApiId"},
		"AWS::ApiGateway::Model":            {"RestApiId"},
		"AWS::ApiGateway::RequestValidator": {"RestApiId"},
		"AWS::Lambda::Permission":           {"Action", "FunctionName", "Principal"},
		"AWS::ApiGateway::Authorizer":       {"Name", "RestApiId", "Type"},
	}
	for typ, props := range required {
		rs := resourcesOf(doc, typ)
		if len(rs) == 0 {
			t.Errorf("no %s in the template", typ)
		}
		for id, p := range rs {
			for _, k := range props {
				if _, ok := p[k]; !ok {
					t.Errorf("%s %s lacks required %s", typ, id, k)
				}
			}
		}
	}
	// Resources: /dragons and /dragons/{name} and /greet, a tree.
	if n := len(resourcesOf(doc, "AWS::ApiGateway::Resource")); n != 3 {
		t.Errorf("%d resources, want 3", n)
	}
	methods := resourcesOf(doc, "AWS::ApiGateway::Method")
	kinds := map[string]int{}
	for _, m := range methods {
		in := m["Integration"].(map[string]any)
		kinds[in["Type"].(string)]++
	}
	// GET /dragons, GET /dragons/{name} (proxy), POST /greet (typed),
	// POST /dragons (Step Functions), and 3 OPTIONS for CORS.
	if kinds["AWS_PROXY"] != 2 || kinds["AWS"] != 2 || kinds["MOCK"] != 3 {
		t.Errorf("integration types %v", kinds)
	}
	for id, p := range resourcesOf(doc, "AWS::Lambda::Permission") {
		src, _ := json.Marshal(p["SourceArn"])
		if !strings.Contains(string(src), "/*/GET/dragons") && !strings.Contains(string(src), "/*/POST/greet") && !strings.Contains(string(src), "/authorizers/") {
			t.Errorf("permission %s SourceArn %s is not scoped to a method and path", id, src)
		}
	}
	// The state machine method injects the machine's ARN with a Ref.
	found := false
	for _, m := range methods {
		in := m["Integration"].(map[string]any)
		if in["Type"] == "AWS" && strings.Contains(toJSON(in["Uri"]), "states:action/StartExecution") {
			found = true
			tpl := toJSON(in["RequestTemplates"])
			if !strings.Contains(tpl, `"Ref":"DragonsStateMachine`) {
				t.Errorf("request template does not reference the machine: %s", tpl)
			}
			if m["RequestValidatorId"] == nil || m["RequestModels"] == nil {
				t.Errorf("state machine method has no validator or model: %v", m)
			}
		}
	}
	if !found {
		t.Error("no StartExecution integration")
	}
	if _, ok := doc["Outputs"].(map[string]any)[apigateway.URLOutput]; !ok {
		t.Error("no invoke URL output")
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestDeploymentIDChangesWithTheAPI: a changed API gets a new Deployment
// logical ID (so CloudFormation deploys it); an unchanged one keeps it.
func TestDeploymentIDChangesWithTheAPI(t *testing.T) {
	ids := func(mutate func(*service.API)) string {
		sc, api := fixture(t, false)
		if mutate != nil {
			mutate(api)
		}
		render(t, sc, api)
		return sc.Values[apigateway.ValuesKey].(*apigateway.Added).Deployment
	}
	a, b := ids(nil), ids(nil)
	c := ids(func(api *service.API) { api.Description = "changed" })
	if a != b || a == c {
		t.Errorf("deployment IDs: same API %s vs %s, changed %s", a, b, c)
	}
}

func TestUnknownTargetsAreRefused(t *testing.T) {
	sc, _ := fixture(t, false)
	other, _ := service.NewAWSLambda("other", proxyHandler, service.IAMRoleDefinition{})
	api := service.NewAPIGateway("x", service.NewStage("v1"))
	r, _ := api.NewResource("/o", other)
	r.NewMethod("GET", 200)
	r2, _ := api.NewStateMachineResource("/m", step.NewStateMachine("missing", step.NewPassState("p")))
	r2.NewMethod("POST", 200)
	err := apigateway.Decorator(api).DecorateService(context.Background(), sc)
	if err == nil || !strings.Contains(err.Error(), `function "other" is not one of the service's functions`) ||
		!strings.Contains(err.Error(), `state machine "missing" is not in the template`) {
		t.Fatalf("got %v", err)
	}
}

// BenchmarkSynthesis100Routes: the template of an API with 100 routes (50
// paths, GET and POST each, to one proxy function), rendered to JSON.
func BenchmarkSynthesis100Routes(b *testing.B) {
	fn, err := service.NewAWSLambda("handler", proxyHandler, service.IAMRoleDefinition{})
	if err != nil {
		b.Fatal(err)
	}
	api := service.NewAPIGateway("big", service.NewStage("v1"))
	for i := 0; i < 50; i++ {
		r, err := api.NewResource(fmt.Sprintf("/things%d/{id}", i), fn)
		if err != nil {
			b.Fatal(err)
		}
		r.NewMethod("GET", 200)
		r.NewMethod("POST", 201)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tpl := cfn.NewServiceTemplate("bench", "b1", "dev")
		cfn.AddFunction(tpl, "svc", fn, service.Artifact{Bucket: "artifacts-bucket", Key: "code.zip"})
		sc := &service.ServiceContext{Service: "svc", Template: tpl, Lambdas: []*service.LambdaAWSInfo{fn}, Values: map[string]any{}}
		if err := apigateway.Decorator(api).DecorateService(context.Background(), sc); err != nil {
			b.Fatal(err)
		}
		if _, err := cfn.Marshal(tpl); err != nil {
			b.Fatal(err)
		}
	}
}
