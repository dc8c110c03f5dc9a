package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Resource is one URL path of an API, bound to a Lambda function or to a
// state machine, as Sparta's sparta.Resource.
type Resource struct {
	path    string
	lambda  *LambdaAWSInfo
	machine StateMachineReference
	// Methods are the resource's HTTP methods by name ("GET", "POST").
	Methods map[string]*Method
}

// Path is the resource's URL path ("/dragons/{name}").
func (r *Resource) Path() string { return r.path }

// Lambda is the function behind the resource, or nil.
func (r *Resource) Lambda() *LambdaAWSInfo { return r.lambda }

// StateMachine is the state machine behind the resource, or nil.
func (r *Resource) StateMachine() StateMachineReference { return r.machine }

func (r *Resource) target() string {
	if r.lambda != nil {
		return fmt.Sprintf("function %q", r.lambda.Name)
	}
	return fmt.Sprintf("state machine %q", r.machine.Name())
}

// SortedMethods are the resource's methods ordered by HTTP method.
func (r *Resource) SortedMethods() []*Method {
	out := make([]*Method, 0, len(r.Methods))
	for _, k := range SortedKeys(r.Methods) {
		out = append(out, r.Methods[k])
	}
	return out
}

// httpMethods are the methods API Gateway accepts (ANY matches them all).
var httpMethods = []string{"ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// NewMethod declares an HTTP method (GET, POST, ..., or ANY) on the
// resource, answering defaultHTTPStatusCode on success. As in Sparta, the
// possible status codes are optional: a proxy handler returns any status
// in its APIGatewayProxyResponse.
func (r *Resource) NewMethod(httpMethod string, defaultHTTPStatusCode int, possibleHTTPStatusCodeResponses ...int) (*Method, error) {
	m := strings.ToUpper(httpMethod)
	if !slices.Contains(httpMethods, m) {
		return nil, fmt.Errorf("resource %s: HTTP method %q is not one of %s", r.path, httpMethod, strings.Join(httpMethods, ", "))
	}
	if _, dup := r.Methods[m]; dup {
		return nil, fmt.Errorf("resource %s: method %s is already declared", r.path, m)
	}
	for _, code := range append([]int{defaultHTTPStatusCode}, possibleHTTPStatusCodeResponses...) {
		if http.StatusText(code) == "" || code < 100 || code > 599 {
			return nil, fmt.Errorf("resource %s: method %s: %d is not an HTTP status code", r.path, m, code)
		}
	}
	method := &Method{
		httpMethod:    m,
		defaultStatus: defaultHTTPStatusCode,
		statuses:      possibleHTTPStatusCodeResponses,
		Parameters:    map[string]bool{},
		Models:        map[string]*Model{},
		Integration:   Integration{RequestTemplates: map[string]string{}},
	}
	r.Methods[m] = method
	return method, nil
}

// Method is one HTTP method of a resource, as Sparta's sparta.Method.
type Method struct {
	httpMethod    string
	defaultStatus int
	statuses      []int

	// Parameters are the method's request parameters, keyed as API Gateway
	// names them, each marked required or not:
	// "method.request.querystring.limit", "method.request.header.X-Trace",
	// "method.request.path.name". A required parameter that is missing is
	// refused with 400 before the integration runs.
	Parameters map[string]bool
	// Models are the JSON Schemas (draft 4) a request body must satisfy,
	// by content type ("application/json"). A body that fails its model is
	// refused with 400 {"message": "Invalid request body"} before the
	// integration runs.
	Models map[string]*Model
	// Integration tunes the backend call.
	Integration Integration
	// Authorizer, when set, must allow a request before the integration
	// runs (declare it with API.NewLambdaAuthorizer).
	Authorizer *Authorizer
	// AuthorizationType is "" (no authorization, or CUSTOM when Authorizer
	// is set) or AuthorizationIAM: the request must then be signed with
	// SigV4 (service "execute-api") by a principal whose IAM policies allow
	// execute-api:Invoke on the method's ARN.
	// See https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
	AuthorizationType string
	// APIKeyRequired makes clients send, in the x-api-key header, an API
	// key of a usage plan of this API's stage (API.NewUsagePlan); a request
	// without one is refused with 403 {"message":"Forbidden"}, as Sparta's
	// Method.APIKeyRequired.
	APIKeyRequired bool
}

// Method authorization types (Method.AuthorizationType).
const (
	// AuthorizationNone lets anyone call the method (the default).
	AuthorizationNone = "NONE"
	// AuthorizationIAM requires a SigV4 signature by a principal allowed
	// execute-api:Invoke on the method.
	AuthorizationIAM = "AWS_IAM"
)

// NewAuthorizedMethod declares a method as NewMethod does, with the given
// authorization type (AuthorizationIAM), as Sparta's
// Resource.NewAuthorizedMethod. For a Lambda authorizer use NewMethod and
// set Method.Authorizer.
func (r *Resource) NewAuthorizedMethod(httpMethod, authorizationType string, defaultHTTPStatusCode int, possibleHTTPStatusCodeResponses ...int) (*Method, error) {
	if authorizationType != AuthorizationIAM && authorizationType != AuthorizationNone {
		return nil, fmt.Errorf("resource %s: method %s: authorization type %q is neither %s nor %s (for a Lambda authorizer, set Method.Authorizer)",
			r.path, httpMethod, authorizationType, AuthorizationIAM, AuthorizationNone)
	}
	m, err := r.NewMethod(httpMethod, defaultHTTPStatusCode, possibleHTTPStatusCodeResponses...)
	if err != nil {
		return nil, err
	}
	m.AuthorizationType = authorizationType
	return m, nil
}

// Authorization is the method's AuthorizationType as API Gateway names
// it: NONE, AWS_IAM or CUSTOM (a Lambda authorizer).
func (m *Method) Authorization() string {
	switch {
	case m.Authorizer != nil:
		return "CUSTOM"
	case m.AuthorizationType == "":
		return AuthorizationNone
	}
	return m.AuthorizationType
}

// HTTPMethod is the method's verb.
func (m *Method) HTTPMethod() string { return m.httpMethod }

// DefaultStatus is the status of a successful response of a non-proxy
// integration (a state machine, a typed handler).
func (m *Method) DefaultStatus() int { return m.defaultStatus }

// Statuses are the declared possible status codes besides the default.
func (m *Method) Statuses() []int { return m.statuses }

// Integration is what a method calls, as Sparta's sparta.Integration.
type Integration struct {
	// RequestTemplates are VTL mapping templates by content type that
	// shape the integration request. For a state machine method the
	// template must produce a StartExecution request; write
	// StateMachineARNPlaceholder where the machine's ARN goes. Empty means
	// the default template (DefaultStateMachineTemplate).
	RequestTemplates map[string]string
}

// StateMachineARNPlaceholder is replaced, in a state machine method's
// request template, by the machine's ARN, so that clients never see or
// supply it.
const StateMachineARNPlaceholder = "${StateMachineArn}"

// DefaultStateMachineTemplate is the request template of a state machine
// method without one of its own: the whole JSON body is the execution's
// input.
const DefaultStateMachineTemplate = `{"input": "$util.escapeJavaScript($input.json('$'))", "stateMachineArn": "` + StateMachineARNPlaceholder + `"}`

// Model is a request model: a JSON Schema (draft 4, as API Gateway uses),
// as Sparta's sparta.Model.
type Model struct {
	Description string `json:",omitempty"`
	// Name is the model's name, alphanumeric; empty derives one from the
	// resource and method.
	Name string `json:",omitempty"`
	// Schema is the JSON Schema document.
	Schema string `json:",omitempty"`
}

var (
	parameterPattern = regexp.MustCompile(`^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.([A-Za-z0-9._-]+)$`)
	modelNamePattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)
)

// ParseParameter splits "method.request.querystring.limit" into its
// location and name.
func ParseParameter(key string) (location, name string, ok bool) {
	m := parameterPattern.FindStringSubmatch(key)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

func (m *Method) validate(r *Resource) []error {
	var errs []error
	for _, k := range SortedKeys(m.Parameters) {
		loc, name, ok := ParseParameter(k)
		if !ok {
			errs = append(errs, fmt.Errorf("parameter %q is not method.request.{querystring,header,path}.NAME", k))
			continue
		}
		if loc == "path" && !strings.Contains(r.path, "{"+name+"}") && !strings.Contains(r.path, "{"+name+"+}") {
			errs = append(errs, fmt.Errorf("path parameter %q is not in the path %s", name, r.path))
		}
	}
	for _, ct := range SortedKeys(m.Models) {
		model := m.Models[ct]
		if model == nil {
			errs = append(errs, fmt.Errorf("model for %s is nil", ct))
			continue
		}
		if model.Name != "" && !modelNamePattern.MatchString(model.Name) {
			errs = append(errs, fmt.Errorf("model name %q must be alphanumeric", model.Name))
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(model.Schema), &doc); err != nil {
			errs = append(errs, fmt.Errorf("model for %s: the schema is not a JSON object: %v", ct, err))
		}
	}
	switch m.AuthorizationType {
	case "", AuthorizationNone:
	case AuthorizationIAM:
		if m.Authorizer != nil {
			errs = append(errs, fmt.Errorf("both AuthorizationType %s and authorizer %q are set: a method has one authorization; drop one", AuthorizationIAM, m.Authorizer.name))
		}
	default:
		errs = append(errs, fmt.Errorf("AuthorizationType %q is neither %s nor %s (for a Lambda authorizer, set Method.Authorizer)", m.AuthorizationType, AuthorizationIAM, AuthorizationNone))
	}
	if r.lambda != nil && len(m.Integration.RequestTemplates) > 0 {
		errs = append(errs, errors.New("request templates apply to state machine methods only; a Lambda method receives the request as its event"))
	}
	for ct, tpl := range m.Integration.RequestTemplates {
		if r.machine != nil && !strings.Contains(tpl, StateMachineARNPlaceholder) {
			errs = append(errs, fmt.Errorf("request template for %s does not contain %s, where the state machine's ARN goes", ct, StateMachineARNPlaceholder))
		}
	}
	return errs
}

// Stage is an API Gateway stage: a named deployment of the API that
// clients call, as Sparta's sparta.NewStage declares it.
type Stage struct {
	name string
	// Description is the stage's description.
	Description string
	// Variables are stage variables, read by templates as $stageVariables.
	Variables map[string]string
	// AccessLogging writes one line per request to a CloudWatch Logs group
	// the stage owns (API-Gateway-Access-Logs_<api>/<stage>), in
	// AccessLogFormat or DefaultAccessLogFormat.
	AccessLogging bool
	// AccessLogFormat is the access log line, with $context variables.
	AccessLogFormat string
}

// DefaultAccessLogFormat is a JSON access log line with the fields AWS's
// console proposes.
const DefaultAccessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",` +
	`"httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}`

// NewStage declares a stage named name ("v1", "prod").
func NewStage(name string) *Stage { return &Stage{name: name, Variables: map[string]string{}} }

// Name is the stage's name.
func (s *Stage) Name() string { return s.name }

var stageNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

func (s *Stage) validate() error {
	if !stageNamePattern.MatchString(s.name) {
		return fmt.Errorf("stage name %q: use letters, digits, - and _ (1 to 128)", s.name)
	}
	for k := range s.Variables {
		if !regexp.MustCompile(`^[A-Za-z0-9_]+$`).MatchString(k) {
			return fmt.Errorf("stage %q: variable name %q: use letters, digits and _", s.name, k)
		}
	}
	return nil
}

// proxyRequestType is the event of the Lambda proxy integration.
var proxyRequestType = reflect.TypeFor[events.APIGatewayProxyRequest]()

// UsesProxyIntegration reports whether fn's handler takes
// events.APIGatewayProxyRequest, so that its methods use the Lambda proxy
// integration (AWS_PROXY); other handlers get a Lambda integration (AWS)
// that passes the JSON body as their input.
func UsesProxyIntegration(fn *LambdaAWSInfo) bool {
	in := fn.Shape().In
	return in == proxyRequestType || (in != nil && in.Kind() == reflect.Pointer && in.Elem() == proxyRequestType)
}
