//go:build !lambdabinary

package sparta

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func helloProxy(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200}, nil
}

// TestAPIIsValidatedAndAssembled: an API passed to MainEx is validated
// with the rest of the service (every problem named) and added to the
// template after the state machines it starts.
func TestAPIIsValidatedAndAssembled(t *testing.T) {
	fn, err := NewAWSLambda("hello", helloProxy, IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	bad := NewAPIGateway("front", NewStage("v1"))
	r, _ := bad.NewResource("/hello/{name}", fn)
	m, _ := r.NewMethod(http.MethodGet, http.StatusOK)
	m.Parameters["method.request.path.nope"] = true
	err = validateService(&serviceDefinition{name: "svc", lambdas: []*LambdaAWSInfo{fn}, api: bad})
	if err == nil || !strings.Contains(err.Error(), `API Gateway "front"`) || !strings.Contains(err.Error(), `path parameter "nope"`) {
		t.Fatalf("validateService = %v", err)
	}

	machine := step.NewStateMachine("flow", step.NewPassState("accept"))
	api := NewAPIGateway("front", NewStage("v1"))
	r, _ = api.NewResource("/hello/{name}", fn)
	r.NewMethod(http.MethodGet, http.StatusOK)
	sr, _ := api.NewStateMachineResource("/flows", machine)
	sr.NewMethod(http.MethodPost, http.StatusOK)
	svc := &serviceDefinition{name: "svc", description: "d", lambdas: []*LambdaAWSInfo{fn}, api: api,
		hooks: &WorkflowHooks{ServiceDecorators: []ServiceDecoratorHookHandler{machine.StateMachineDecorator()}}}
	if err := validateService(svc); err != nil {
		t.Fatal(err)
	}
	tpl, err := assembleTemplate(context.Background(), svc, templateInputs{
		artifacts:   map[service.Architecture]service.Artifact{service.ArchARM64: {Bucket: "artifacts-bucket", Key: "code.zip"}},
		defaultArch: service.ArchARM64, buildID: "b1", noop: true, log: logrus.NewEntry(logrus.New()),
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := cfn.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfn.ValidateTemplate(b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"AWS::ApiGateway::RestApi"`, `"AWS::ApiGateway::Deployment"`, `states:action/StartExecution`, `"APIGatewayURL"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("template lacks %s", want)
		}
	}
}
