package service

import (
	"fmt"
	"regexp"
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
	// default is "method.request.header.Authorization". A request without
	// it is refused with 401 before the function runs.
	IdentitySource string
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
