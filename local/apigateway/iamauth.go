package apigateway

import (
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
)

// authorizeIAM enforces a method's AWS_IAM authorization: the request
// must carry a SigV4 signature for the service execute-api by a key the
// local cloud knows, and the principal's IAM policies must allow
// execute-api:Invoke on the method's ARN. The refusals are API Gateway's:
// see https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
// and https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
func (x *exchange) authorizeIAM() bool {
	r := x.r
	q := r.URL.Query()
	if r.Header.Get("Authorization") == "" && !q.Has("X-Amz-Signature") && !q.Has("X-Amz-Credential") {
		x.gatewayError(http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
		return false
	}
	if sc, ok := core.ScopeFromRequest(r); ok && sc.Service != "execute-api" {
		// AWS's wording, for a request signed for another service.
		x.gatewayError(http.StatusForbidden, "InvalidSignatureException", "Credential should be scoped to correct service: 'execute-api'. ")
		return false
	}
	v, aerr := core.VerifyRequest(r, "execute-api", x.s.env.Keys, x.s.env.Clock.Now())
	if aerr != nil {
		e := aerr.For(core.ProtocolRESTJSON)
		if aerr.Kind == core.AuthUnknownKey || aerr.Kind == core.AuthBadToken {
			// API Gateway types an unknown key as an access denial.
			e.Code = "AccessDeniedException"
		}
		x.gatewayError(e.Status, e.Code, e.Message)
		return false
	}
	p := v.Principal
	methodARN := x.executeAPIARN()
	decision := iam.Allow
	switch {
	case p.IsRoot():
	case p.RoleARN != "":
		isvc, _ := x.s.env.Lookup("iam")
		ims, ok := isvc.(*iam.Service)
		if !ok {
			x.gatewayError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
			return false
		}
		session := p.ARN[strings.LastIndexByte(p.ARN, '/')+1:]
		if err := ims.Authorize(p.RoleARN, session, iam.Request{Action: "execute-api:Invoke", Resource: methodARN}); err != nil {
			decision = iam.ImplicitDeny
			if ad, ok := err.(*iam.AccessDeniedError); ok && ad.Decision == iam.ExplicitDeny {
				decision = iam.ExplicitDeny
			}
		}
	default:
		// An IAM user has no policies in the local cloud.
		decision = iam.ImplicitDeny
	}
	if decision != iam.Allow {
		// API Gateway answers with "Message" and masks the account:
		// {"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/"}
		// (https://github.com/ASFHyP3/hyp3/issues/2283).
		msg := "User: " + p.ARN + " is not authorized to perform: execute-api:Invoke on resource: " + maskAccount(methodARN)
		if decision == iam.ExplicitDeny {
			msg += " with an explicit deny"
		}
		x.w.Header().Set("x-amzn-ErrorType", "AccessDeniedException")
		x.writeJSON(http.StatusForbidden, map[string]string{"Message": msg})
		return false
	}
	x.caller = &p
	return true
}

// maskAccount hides all but the last four digits of an ARN's account, as
// API Gateway's denials do.
func maskAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && len(parts[4]) > 4 {
		parts[4] = strings.Repeat("*", len(parts[4])-4) + parts[4][len(parts[4])-4:]
	}
	return strings.Join(parts, ":")
}
