package service

import (
	"fmt"
	"regexp"
	"strings"
)

// Authorizer is a Lambda authorizer of an API: a function that decides,
// from a token (TOKEN) or the whole request (REQUEST), whether a caller
// may invoke a method, by returning an IAM policy for execute-api:Invoke.
// Attach it to methods with Method.Authorizer.
//
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
type Authorizer struct {
	name string
	fn   *LambdaAWSInfo
	typ  string
	// IdentitySource is where the identity comes from; for TOKEN the
	// default is "method.request.header.Authorization". A REQUEST
	// authorizer lists its sources separated by commas
	// ("method.request.header.X-User, method.request.querystring.tenant").
	// A request without one of them is refused with 401 before the
	// function runs.
	IdentitySource string
	// ResultTTLInSeconds is how long API Gateway keeps the policy the
	// function returned for an identity, so that further requests with
	// the same identity source values do not invoke it: 0 means API
	// Gateway's default (300 s), AuthorizerNoCache turns caching off, at
	// most 3600. A cached policy applies to every method of the API that
	// uses this authorizer, so a policy for a cached authorizer should
	// name all of them.
	// See https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
	ResultTTLInSeconds int
}

// AuthorizerNoCache, as Authorizer.ResultTTLInSeconds, invokes the
// authorizer for every request.
const AuthorizerNoCache = -1

// DefaultAuthorizerResultTTL is API Gateway's default authorizer cache
// time, in seconds.
const DefaultAuthorizerResultTTL = 300

// ResultTTL is the cache time the template declares: the default for 0,
// 0 for AuthorizerNoCache.
func (au *Authorizer) ResultTTL() int {
	switch {
	case au.ResultTTLInSeconds == 0:
		return DefaultAuthorizerResultTTL
	case au.ResultTTLInSeconds < 0:
		return 0
	}
	return au.ResultTTLInSeconds
}

// IdentitySources are the authorizer's identity sources, split.
func (au *Authorizer) IdentitySources() []string {
	var out []string
	for _, src := range strings.Split(au.IdentitySource, ",") {
		if src = strings.TrimSpace(src); src != "" {
			out = append(out, src)
		}
	}
	return out
}

func (au *Authorizer) validate() []error {
	var errs []error
	for _, src := range au.IdentitySources() {
		loc, _, ok := ParseParameter(src)
		if !ok || (loc != "header" && loc != "querystring") {
			errs = append(errs, fmt.Errorf("authorizer %q: identity source %q is not method.request.{header,querystring}.NAME", au.name, src))
		}
	}
	if au.typ == AuthorizerToken && len(au.IdentitySources()) != 1 {
		errs = append(errs, fmt.Errorf("authorizer %q: a TOKEN authorizer has exactly one identity source, not %q", au.name, au.IdentitySource))
	}
	if au.ResultTTLInSeconds > 3600 || au.ResultTTLInSeconds < AuthorizerNoCache {
		errs = append(errs, fmt.Errorf("authorizer %q: ResultTTLInSeconds %d is not between 0 and 3600 (or AuthorizerNoCache)", au.name, au.ResultTTLInSeconds))
	}
	if au.typ == AuthorizerRequest && au.ResultTTL() > 0 && len(au.IdentitySources()) == 0 {
		errs = append(errs, fmt.Errorf("authorizer %q: a cached REQUEST authorizer needs an IdentitySource, the values its results are cached by; set one, or ResultTTLInSeconds = sparta.AuthorizerNoCache", au.name))
	}
	return errs
}

// Authorizer types.
const (
	AuthorizerToken   = "TOKEN"
	AuthorizerRequest = "REQUEST"
)

var authorizerNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// NewLambdaAuthorizer declares a Lambda authorizer named name, of type
// AuthorizerToken or AuthorizerRequest, whose code is fn (a function also
// passed to sparta.Main). Its handler takes
// events.APIGatewayCustomAuthorizerRequest (TOKEN) or
// events.APIGatewayCustomAuthorizerRequestTypeRequest (REQUEST) and returns
// events.APIGatewayCustomAuthorizerResponse.
func (a *API) NewLambdaAuthorizer(name string, fn *LambdaAWSInfo, authorizerType string) (*Authorizer, error) {
	if !authorizerNamePattern.MatchString(name) {
		return nil, fmt.Errorf("API %q: authorizer name %q: use letters, digits, - and _", a.name, name)
	}
	if fn == nil {
		return nil, fmt.Errorf("API %q: authorizer %q: the function is nil", a.name, name)
	}
	au := &Authorizer{name: name, fn: fn, typ: authorizerType}
	switch authorizerType {
	case AuthorizerToken:
		au.IdentitySource = "method.request.header.Authorization"
	case AuthorizerRequest:
	default:
		return nil, fmt.Errorf("API %q: authorizer %q: type %q is neither TOKEN nor REQUEST", a.name, name, authorizerType)
	}
	for _, o := range a.authorizers {
		if o.name == name {
			return nil, fmt.Errorf("API %q: authorizer %q is already declared", a.name, name)
		}
	}
	a.authorizers = append(a.authorizers, au)
	return au, nil
}

// Name is the authorizer's name.
func (au *Authorizer) Name() string { return au.name }

// Lambda is the authorizer's function.
func (au *Authorizer) Lambda() *LambdaAWSInfo { return au.fn }

// Type is TOKEN or REQUEST.
func (au *Authorizer) Type() string { return au.typ }

// Authorizers are the API's authorizers in declaration order.
func (a *API) Authorizers() []*Authorizer { return a.authorizers }
