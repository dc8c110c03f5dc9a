package service

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

type machineRef string

func (m machineRef) Name() string { return string(m) }

func TestAPIDeclarationErrors(t *testing.T) {
	proxy := func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{}, nil
	}
	fn, err := NewAWSLambda("hello", proxy, IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	if !UsesProxyIntegration(fn) {
		t.Error("a proxy handler should use the proxy integration")
	}
	api := NewAPIGateway("api", NewStage("v1"))
	for _, bad := range []string{"hello", "/a//b", "/{p+}/x", "/{a}/{a}", "/a b"} {
		if _, err := api.NewResource(bad, fn); err == nil {
			t.Errorf("path %q accepted", bad)
		}
	}
	r, err := api.NewResource("/hello/{name}", fn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.NewMethod("FETCH", 200); err == nil {
		t.Error("FETCH accepted")
	}
	if _, err := r.NewMethod("GET", 999); err == nil {
		t.Error("status 999 accepted")
	}
	m, err := r.NewMethod("get", 200)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.NewMethod("GET", 200); err == nil {
		t.Error("duplicate GET accepted")
	}
	m.Parameters["method.request.path.nope"] = true
	m.Parameters["querystring.x"] = true
	m.Models["application/json"] = &Model{Schema: "not json"}
	m.Integration.RequestTemplates["application/json"] = "{}"
	sm, _ := api.NewStateMachineResource("/run", machineRef("flow"))
	post, _ := sm.NewMethod("POST", 200)
	post.Integration.RequestTemplates["application/json"] = `{"input": "$input.body"}`
	api.CORSEnabled = true
	opt, _ := sm.NewMethod("OPTIONS", 200)
	_ = opt
	err = api.Validate()
	for _, want := range []string{
		`path parameter "nope" is not in the path /hello/{name}`,
		`parameter "querystring.x" is not method.request`,
		`the schema is not a JSON object`,
		`request templates apply to state machine methods only`,
		`does not contain ${StateMachineArn}`,
		`CORS is enabled, so the API answers OPTIONS itself`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	if err := NewAPIGateway("empty", nil).Validate(); err == nil || !strings.Contains(err.Error(), "has no methods") {
		t.Errorf("empty API: %v", err)
	}
}

func TestAuthorizerDeclarationErrors(t *testing.T) {
	fn, _ := NewAWSLambda("auth", func(context.Context) error { return nil }, IAMRoleDefinition{})
	api := NewAPIGateway("api", NewStage("v1"))
	if _, err := api.NewLambdaAuthorizer("bad name", fn, AuthorizerToken); err == nil {
		t.Error("bad name accepted")
	}
	if _, err := api.NewLambdaAuthorizer("a", fn, "COGNITO"); err == nil {
		t.Error("COGNITO accepted")
	}
	au, err := api.NewLambdaAuthorizer("a", fn, AuthorizerToken)
	if err != nil || au.IdentitySource != "method.request.header.Authorization" {
		t.Fatalf("%v %v", au, err)
	}
	if _, err := api.NewLambdaAuthorizer("a", fn, AuthorizerRequest); err == nil {
		t.Error("duplicate authorizer accepted")
	}
	other := NewAPIGateway("other", NewStage("v1"))
	foreign, _ := other.NewLambdaAuthorizer("f", fn, AuthorizerRequest)
	r, _ := api.NewResource("/x", fn)
	m, _ := r.NewMethod("GET", 200)
	m.Authorizer = foreign
	if err := api.Validate(); err == nil || !strings.Contains(err.Error(), `authorizer "f" belongs to another API`) {
		t.Errorf("foreign authorizer: %v", err)
	}
}
