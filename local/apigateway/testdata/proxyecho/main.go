// Command proxyecho is a test function for the Lambda proxy integration:
// it answers 200 with the event it received as the body, so that tests can
// compare the event with AWS's documented shape. A path ending in /fail
// makes it return an error (API Gateway then answers 502).
//
// It is also a TOKEN authorizer: for the token "allow" it allows the
// method (principal "ana-principal", context user=ana), "deny" denies it
// explicitly, "nobody" allows only another resource, and "unauthorized"
// fails with "Unauthorized".
//
// As a REQUEST authorizer it allows the caller whose X-User header is
// "ana" (context: the tenant query parameter and the whole event it
// received, as JSON), denies "bob" explicitly, and fails the others with
// "Unauthorized". Every authorizer answer carries, in its context, an
// invocation ID unique to that invocation, so that tests see whether a
// result came from API Gateway's cache.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &probe)
	switch probe.Type {
	case "TOKEN":
		var req events.APIGatewayCustomAuthorizerRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, err
		}
		return stamp(authorize(req))
	case "REQUEST":
		var req events.APIGatewayCustomAuthorizerRequestTypeRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, err
		}
		return stamp(authorizeRequest(req, string(raw)))
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

var invocations atomic.Int64

// stamp adds the invocation ID to an authorizer's context.
func stamp(res events.APIGatewayCustomAuthorizerResponse, err error) (events.APIGatewayCustomAuthorizerResponse, error) {
	if err == nil {
		if res.Context == nil {
			res.Context = map[string]any{}
		}
		res.Context["invocation"] = fmt.Sprintf("%d-%d", time.Now().UnixNano(), invocations.Add(1))
	}
	return res, err
}

func authorizeRequest(req events.APIGatewayCustomAuthorizerRequestTypeRequest, raw string) (events.APIGatewayCustomAuthorizerResponse, error) {
	effect := ""
	switch req.Headers["X-User"] {
	case "ana":
		effect = "Allow"
	case "bob":
		effect = "Deny"
	default:
		return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
	}
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: req.Headers["X-User"],
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{
			{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: []string{req.MethodArn}},
		}},
		Context: map[string]any{"tenant": req.QueryStringParameters["tenant"], "event": raw},
	}, nil
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
