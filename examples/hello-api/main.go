// Command hello-api is Sparta's getting-started service with an HTTP front
// door: one Lambda function answering GET /hello through API Gateway's
// Lambda proxy integration.
//
//	go run ./examples/hello-api provision --local
//	go run ./examples/hello-api local serve   # then, in another shell:
//	curl -H "Host: API-ID.execute-api.localhost" http://127.0.0.1:4566/v1/hello?name=Ana
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/cfn"
)

// helloWorld greets the caller named by the name query parameter.
func helloWorld(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	name := req.QueryStringParameters["name"]
	if name == "" {
		name = "World"
	}
	body, err := json.Marshal(map[string]string{"message": "Hello, " + name + "!", "requestId": req.RequestContext.RequestID})
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{StatusCode: http.StatusOK, Body: string(body),
		Headers: map[string]string{"Content-Type": "application/json"}}, nil
}

func main() {
	fn, err := sparta.NewAWSLambda("helloWorld", helloWorld, sparta.IAMRoleDefinition{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	api := sparta.NewAPIGateway("hello", sparta.NewStage("v1"))
	resource, err := api.NewResource("/hello", fn)
	if err == nil {
		_, err = resource.NewMethod(http.MethodGet, http.StatusOK)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := sparta.Main(cfn.UserScopedStackName("HelloAPI"), "Hello World, over HTTP", []*sparta.LambdaAWSInfo{fn}, api, nil); err != nil {
		os.Exit(1)
	}
}
