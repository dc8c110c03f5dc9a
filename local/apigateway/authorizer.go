package apigateway

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/sparta-go/sparta/local/iam"
)

// authResult is what a Lambda authorizer returned for an identity: kept
// in the cache for the authorizer's TTL and evaluated against the method
// of each request, as API Gateway applies a cached policy.
type authResult struct {
	principalID string
	policy      *iam.Policy
	context     map[string]any
	expires     time.Time
}

// authCache holds authorizer results by stage, authorizer and identity
// source values.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
type authCache struct {
	mu      sync.Mutex
	entries map[string]*authResult
}

// maxAuthCache bounds the cache: a flood of distinct tokens must not grow
// it without end.
const maxAuthCache = 10000

func (c *authCache) get(key string, now time.Time) *authResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e != nil && !now.Before(e.expires) {
		delete(c.entries, key)
		return nil
	}
	return e
}

func (c *authCache) put(key string, e *authResult, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxAuthCache {
		for k, old := range c.entries {
			if !now.Before(old.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxAuthCache {
			clear(c.entries)
		}
	}
	c.entries[key] = e
}

// authorize runs the method's Lambda authorizer, or takes its cached
// result, and evaluates the policy for execute-api:Invoke on the method's
// ARN, answering as AWS does: 401 Unauthorized without the identity or
// when the function says "Unauthorized", 403 when the policy does not
// allow the call.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-output.html
func (x *exchange) authorize(ctx context.Context) bool {
	au := x.rt.authorizers[x.m.AuthorizerID]
	if au == nil {
		x.gatewayError(http.StatusInternalServerError, "AuthorizerConfigurationException", "Internal server error")
		return false
	}
	methodARN := x.executeAPIARN()
	var values []string
	for _, src := range strings.Split(au.IdentitySource, ",") {
		if src = strings.TrimSpace(src); src == "" {
			continue
		}
		v := x.identity(src)
		if v == "" {
			x.gatewayError(http.StatusUnauthorized, "UnauthorizedException", "Unauthorized")
			return false
		}
		values = append(values, v)
	}
	if au.Type == "TOKEN" && len(values) == 0 {
		x.gatewayError(http.StatusUnauthorized, "UnauthorizedException", "Unauthorized")
		return false
	}
	cacheKey := ""
	now := x.s.env.Clock.Now()
	if au.ResultTTL > 0 && len(values) > 0 {
		cacheKey = x.api.ID + "/" + x.stage.StageName + "/" + x.stage.DeploymentID + "/" + au.ID + "\x00" + strings.Join(values, "\x00")
		if e := x.s.authCache.get(cacheKey, now); e != nil {
			return x.applyAuthResult(e, methodARN)
		}
	}
	var payload []byte
	if au.Type == "TOKEN" {
		payload, _ = json.Marshal(events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: values[0], MethodArn: methodARN})
	} else {
		payload, _ = json.Marshal(x.requestAuthorizerEvent(methodARN))
	}
	res, ok := x.invoke(ctx, au.AuthorizerURI, x.s.env.ARN("execute-api", x.api.ID+"/authorizers/"+au.ID), payload)
	if !ok {
		return false
	}
	if res.FunctionError != "" {
		var fe struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(res.Payload, &fe) == nil && fe.ErrorMessage == "Unauthorized" {
			x.gatewayError(http.StatusUnauthorized, "UnauthorizedException", "Unauthorized")
			return false
		}
		x.gatewayError(http.StatusInternalServerError, "AuthorizerConfigurationException", "Internal server error")
		return false
	}
	var out struct {
		PrincipalID    string         `json:"principalId"`
		PolicyDocument any            `json:"policyDocument"`
		Context        map[string]any `json:"context"`
	}
	if err := json.Unmarshal(res.Payload, &out); err != nil || out.PolicyDocument == nil {
		x.s.log.WithField("authorizer", au.Name).Warn("Execution failed due to configuration error: the authorizer's answer has no policyDocument")
		x.gatewayError(http.StatusInternalServerError, "AuthorizerConfigurationException", "Internal server error")
		return false
	}
	policy, err := iam.ParsePolicy(out.PolicyDocument)
	if err != nil {
		x.s.log.WithField("authorizer", au.Name).WithError(err).Warn("Execution failed due to configuration error: invalid policy document")
		x.gatewayError(http.StatusInternalServerError, "AuthorizerConfigurationException", "Internal server error")
		return false
	}
	e := &authResult{principalID: out.PrincipalID, policy: policy, context: out.Context}
	if cacheKey != "" {
		e.expires = now.Add(time.Duration(au.ResultTTL) * time.Second)
		x.s.authCache.put(cacheKey, e, now)
	}
	return x.applyAuthResult(e, methodARN)
}

// applyAuthResult evaluates an authorizer's policy for this method.
func (x *exchange) applyAuthResult(e *authResult, methodARN string) bool {
	switch iam.Evaluate(iam.Request{Action: "execute-api:Invoke", Resource: methodARN}, e.policy) {
	case iam.Allow:
	case iam.ExplicitDeny:
		x.w.Header().Set("x-amzn-ErrorType", "AccessDeniedException")
		x.writeJSON(http.StatusForbidden, map[string]string{"Message": "User is not authorized to access this resource with an explicit deny"})
		return false
	default:
		x.w.Header().Set("x-amzn-ErrorType", "AccessDeniedException")
		x.writeJSON(http.StatusForbidden, map[string]string{"Message": "User is not authorized to access this resource"})
		return false
	}
	x.authorizerContext = make(map[string]any, len(e.context)+1)
	x.authorizerContext["principalId"] = e.principalID
	for k, v := range e.context {
		x.authorizerContext[k] = v
	}
	return true
}

// requestAuthorizerEvent is the input of a REQUEST authorizer, in the
// shape of events.APIGatewayCustomAuthorizerRequestTypeRequest.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
func (x *exchange) requestAuthorizerEvent(methodARN string) events.APIGatewayCustomAuthorizerRequestTypeRequest {
	ev := x.proxyEvent()
	rc := ev.RequestContext
	return events.APIGatewayCustomAuthorizerRequestTypeRequest{
		Type:                            "REQUEST",
		MethodArn:                       methodARN,
		Resource:                        ev.Resource,
		Path:                            ev.Path,
		HTTPMethod:                      ev.HTTPMethod,
		Headers:                         ev.Headers,
		MultiValueHeaders:               ev.MultiValueHeaders,
		QueryStringParameters:           ev.QueryStringParameters,
		MultiValueQueryStringParameters: ev.MultiValueQueryStringParameters,
		PathParameters:                  ev.PathParameters,
		StageVariables:                  ev.StageVariables,
		RequestContext: events.APIGatewayCustomAuthorizerRequestTypeRequestContext{
			Path: rc.Path, AccountID: rc.AccountID, ResourceID: rc.ResourceID, Stage: rc.Stage, RequestID: rc.RequestID,
			Identity:     events.APIGatewayCustomAuthorizerRequestTypeRequestIdentity{APIKey: rc.Identity.APIKey, SourceIP: rc.Identity.SourceIP},
			ResourcePath: rc.ResourcePath, HTTPMethod: rc.HTTPMethod, APIID: rc.APIID,
		},
	}
}

// identity reads an identity source: method.request.header.NAME or
// method.request.querystring.NAME.
func (x *exchange) identity(source string) string {
	parts := strings.SplitN(source, ".", 4)
	if len(parts) != 4 {
		return ""
	}
	switch parts[2] {
	case "header":
		return x.r.Header.Get(parts[3])
	case "querystring":
		return x.r.URL.Query().Get(parts[3])
	}
	return ""
}
