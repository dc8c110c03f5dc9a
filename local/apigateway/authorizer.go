package apigateway

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/iam"
)

// authorize runs the method's Lambda authorizer and evaluates the policy
// it returns for execute-api:Invoke on the method's ARN, answering as AWS
// does: 401 Unauthorized without the identity or when the function says
// "Unauthorized", 403 when the policy does not allow the call.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-output.html
func (x *exchange) authorize(ctx context.Context) bool {
	au := x.rt.authorizers[x.m.AuthorizerID]
	if au == nil {
		x.gatewayError(http.StatusInternalServerError, "AuthorizerConfigurationException", "Internal server error")
		return false
	}
	methodARN := x.executeAPIARN()
	var payload []byte
	switch au.Type {
	case "TOKEN":
		token := x.identity(au.IdentitySource)
		if token == "" {
			x.gatewayError(http.StatusUnauthorized, "UnauthorizedException", "Unauthorized")
			return false
		}
		payload, _ = json.Marshal(map[string]string{"type": "TOKEN", "authorizationToken": token, "methodArn": methodARN})
	default:
		for _, src := range strings.Split(au.IdentitySource, ",") {
			if src = strings.TrimSpace(src); src != "" && x.identity(src) == "" {
				x.gatewayError(http.StatusUnauthorized, "UnauthorizedException", "Unauthorized")
				return false
			}
		}
		ev := x.proxyEvent()
		b, _ := json.Marshal(ev)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		m["type"], m["methodArn"] = "REQUEST", methodARN
		delete(m, "body")
		delete(m, "isBase64Encoded")
		payload, _ = json.Marshal(m)
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
	switch iam.Evaluate(iam.Request{Action: "execute-api:Invoke", Resource: methodARN}, policy) {
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
	x.authorizerContext = map[string]any{"principalId": out.PrincipalID}
	for k, v := range out.Context {
		x.authorizerContext[k] = v
	}
	return true
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
