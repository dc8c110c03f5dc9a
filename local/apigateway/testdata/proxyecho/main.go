// Command proxyecho is a test function for the Lambda proxy integration:
// it answers 200 with the event it received as the body, so that tests can
// compare the event with AWS's documented shape. A path ending in /fail
// makes it return an error (API Gateway then answers 502).
//
// It is also a TOKEN authorizer: for the token "allow" it allows the
// method (principal "ana-principal", context user=ana), "deny" denies it
// explicitly, "nobody" allows only another resource, and "unauthorized"
// fails with "Unauthorized".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &probe)
	if probe.Type == "TOKEN" {
		var req events.APIGatewayCustomAuthorizerRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, err
		}
		return authorize(req)
	}
	var req events.APIGatewayProxyRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	return proxy(req)
}

func authorize(req events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	policy := func(effect, resource string) events.APIGatewayCustomAuthorizerResponse {
		return events.APIGatewayCustomAuthorizerResponse{
			PrincipalID: "ana-principal",
			PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{
				{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: []string{resource}},
			}},
			Context: map[string]any{"user": "ana"},
		}
	}
	switch req.AuthorizationToken {
	case "allow":
		return policy("Allow", req.MethodArn), nil
	case "deny":
		return policy("Deny", req.MethodArn), nil
	case "nobody":
		return policy("Allow", "arn:aws:execute-api:us-east-1:000000000000:other/*"), nil
	}
	return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
}

func proxy(req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
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
