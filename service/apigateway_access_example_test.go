package service_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/events"

	"github.com/sparta-go/sparta/service"
)

func echo(_ context.Context, r events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: r.Body}, nil
}

// A method under IAM authorization: callers sign with SigV4 for
// execute-api, and their IAM policies must allow execute-api:Invoke on it.
func ExampleResource_NewAuthorizedMethod() {
	fn, _ := service.NewAWSLambda("admin", echo, service.IAMRoleDefinition{})
	api := service.NewAPIGateway("ops", service.NewStage("v1"))
	r, _ := api.NewResource("/admin", fn)
	m, err := r.NewAuthorizedMethod("GET", service.AuthorizationIAM, 200)
	fmt.Println(m.Authorization(), err, api.Validate())
	// Output: AWS_IAM <nil> <nil>
}

// A method that requires an API key, and the usage plan that gives the key
// 10 requests per second (bursts of 20) and 10,000 a month.
func ExampleAPI_NewUsagePlan() {
	fn, _ := service.NewAWSLambda("report", echo, service.IAMRoleDefinition{})
	api := service.NewAPIGateway("partners", service.NewStage("v1"))
	r, _ := api.NewResource("/report", fn)
	m, _ := r.NewMethod("GET", 200)
	m.APIKeyRequired = true

	key, _ := api.NewAPIKey("acme")
	plan, _ := api.NewUsagePlan("standard", key)
	plan.Throttle = &service.ThrottleSettings{RateLimit: 10, BurstLimit: 20}
	plan.Quota = &service.QuotaSettings{Limit: 10000, Period: service.QuotaMonth}
	fmt.Println(plan.Name(), len(plan.Keys()), api.Validate())
	// Output: standard 1 <nil>
}

// A Lambda authorizer whose results API Gateway caches for a minute by
// the Authorization header's value.
func ExampleAuthorizer_ResultTTL() {
	fn, _ := service.NewAWSLambda("auth", echo, service.IAMRoleDefinition{})
	api := service.NewAPIGateway("shop", service.NewStage("v1"))
	au, _ := api.NewLambdaAuthorizer("tokens", fn, service.AuthorizerToken)
	fmt.Println(au.ResultTTL())
	au.ResultTTLInSeconds = 60
	fmt.Println(au.ResultTTL())
	au.ResultTTLInSeconds = service.AuthorizerNoCache
	fmt.Println(au.ResultTTL())
	// Output:
	// 300
	// 60
	// 0
}
