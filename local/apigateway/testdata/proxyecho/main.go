// Command proxyecho is a test function for the Lambda proxy integration:
// it answers 200 with the event it received as the body, so that tests can
// compare the event with AWS's documented shape. A path ending in /fail makes it
// return an error (API Gateway then answers 502).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	if strings.HasSuffix(req.Path, "/fail") {
		return events.APIGatewayProxyResponse{}, errors.New("proxyecho: asked to fail")
	}
	b, err := json.Marshal(req)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{
		StatusCode:        200,
		Headers:           map[string]string{"Content-Type": "application/json"},
		MultiValueHeaders: map[string][]string{"X-Echo": {"a", "b"}},
		Body:              string(b),
	}, nil
}

func main() { lambda.Start(handle) }
