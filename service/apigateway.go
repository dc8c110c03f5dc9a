package service

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// API is an Amazon API Gateway REST API that fronts the service's functions
// and state machines, as Sparta's sparta.NewAPIGateway declares it: add
// resources with NewResource (a Lambda function) or NewStateMachineResource,
// methods on them with Resource.NewMethod, and pass the API to
// sparta.Main/MainEx.
//
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-rest-api.html
type API struct {
	name  string
	stage *Stage
	// Description is the REST API's description.
	Description string
	// CORSEnabled adds an OPTIONS method answering CORS preflight requests
	// to every resource, with DefaultCORSHeaders.
	CORSEnabled bool
	// CORSOptions, when non-nil, enables CORS with these headers instead of
	// the defaults (it supersedes CORSEnabled, as in Sparta).
	CORSOptions *CORSOptions

	resources   []*Resource
	authorizers []*Authorizer
	keys        []*APIKey
	plans       []*UsagePlan
}

// CORSOptions are the headers of the CORS preflight responses, as Sparta's
// sparta.CORSOptions: header name to value, e.g.
// "Access-Control-Allow-Origin": "https://example.com".
type CORSOptions struct {
	Headers map[string]any
}

// DefaultCORSHeaders are the preflight headers of an API with CORSEnabled,
// the ones the API Gateway console's "Enable CORS" sets.
//
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
func DefaultCORSHeaders() map[string]any {
	return map[string]any{
		"Access-Control-Allow-Headers": "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
		"Access-Control-Allow-Methods": "*",
		"Access-Control-Allow-Origin":  "*",
	}
}

// NewAPIGateway declares a REST API named name. With a stage the API is
// deployed to it (clients call https://ID.execute-api.REGION.amazonaws.com/STAGE/...);
// without one it is created but not callable.
func NewAPIGateway(name string, stage *Stage) *API {
	return &API{name: name, stage: stage}
}

// Name is the API's name.
func (a *API) Name() string { return a.name }

// Stage is the stage the API deploys to (nil when none was given).
func (a *API) Stage() *Stage { return a.stage }

// Resources are the API's resources in the order they were declared.
func (a *API) Resources() []*Resource { return a.resources }

// CORSHeaders are the preflight headers when CORS is on, or nil.
func (a *API) CORSHeaders() map[string]any {
	switch {
	case a.CORSOptions != nil:
		return a.CORSOptions.Headers
	case a.CORSEnabled:
		return DefaultCORSHeaders()
	}
	return nil
}

// NewResource binds the URL path (e.g. "/hello", "/dragons/{name}",
// "/files/{proxy+}") to a Lambda function; add HTTP methods with NewMethod.
// Methods use the Lambda proxy integration when the handler takes
// events.APIGatewayProxyRequest, and otherwise a Lambda integration that
// passes the JSON body as the typed input and returns the output as the body.
// Several functions may share a path as long as they declare different methods.
func (a *API) NewResource(path string, fn *LambdaAWSInfo) (*Resource, error) {
	if fn == nil {
		return nil, fmt.Errorf("API %q: resource %s: the function is nil: pass one built with sparta.NewAWSLambda", a.name, path)
	}
	return a.addResource(&Resource{path: path, lambda: fn, Methods: map[string]*Method{}})
}

// StateMachineReference is what an API needs of a state machine: its name,
// which finds the AWS::StepFunctions::StateMachine the machine's decorator
// adds (a *step.StateMachine satisfies it).
type StateMachineReference interface {
	Name() string
}

// NewStateMachineResource binds the URL path to a state machine: each
// method declared on it is an AWS-service integration that starts an
// execution (StartExecution; StartSyncExecution for an EXPRESS machine,
// answering with its output) under an execution role allowed only that
// action on that machine. The request body becomes the execution's input
// unless Method.Integration.RequestTemplates supplies a VTL template.
// The machine must also be given to MainEx as a service decorator.
func (a *API) NewStateMachineResource(path string, machine StateMachineReference) (*Resource, error) {
	if machine == nil || machine.Name() == "" {
		return nil, fmt.Errorf("API %q: resource %s: the state machine is nil or unnamed", a.name, path)
	}
	return a.addResource(&Resource{path: path, machine: machine, Methods: map[string]*Method{}})
}

func (a *API) addResource(r *Resource) (*Resource, error) {
	if err := ValidateResourcePath(r.path); err != nil {
		return nil, fmt.Errorf("API %q: %w", a.name, err)
	}
	for _, o := range a.resources {
		if o.path == r.path && o.target() == r.target() {
			return nil, fmt.Errorf("API %q: path %s is already declared for %s", a.name, r.path, r.target())
		}
	}
	a.resources = append(a.resources, r)
	return r, nil
}

// pathPartPattern is what API Gateway accepts as a path part: literal
// characters, a {param} or a greedy {param+}.
var pathPartPattern = regexp.MustCompile(`^(?:[A-Za-z0-9._~:@!$&'()*,;=-]+|\{[A-Za-z0-9._-]+\+?\})$`)

// ValidateResourcePath checks a resource path: it starts with "/", has no
// empty part, each part is literal or a {param}, and only the last part may
// be a greedy {param+}.
func ValidateResourcePath(path string) error {
	if path == "/" {
		return nil
	}
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("resource path %q must start with /", path)
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	names := map[string]bool{}
	for i, p := range parts {
		if !pathPartPattern.MatchString(p) {
			return fmt.Errorf("resource path %q: part %q is neither literal nor a {param}", path, p)
		}
		if strings.HasSuffix(p, "+}") && i != len(parts)-1 {
			return fmt.Errorf("resource path %q: the greedy %s must be the last part", path, p)
		}
		if strings.HasPrefix(p, "{") {
			name := strings.TrimSuffix(strings.Trim(p, "{}"), "+")
			if names[name] {
				return fmt.Errorf("resource path %q: parameter %s appears twice", path, name)
			}
			names[name] = true
		}
	}
	return nil
}

// Validate checks the whole API: a name, at least one method, paths that
// do not overlap in method, parameters and models that make sense.
func (a *API) Validate() error {
	if a == nil {
		return nil
	}
	var errs []error
	if a.name == "" {
		errs = append(errs, errors.New("API has no name: pass one to sparta.NewAPIGateway"))
	}
	if a.stage != nil {
		if err := a.stage.validate(); err != nil {
			errs = append(errs, fmt.Errorf("API %q: %w", a.name, err))
		}
	}
	for _, au := range a.authorizers {
		for _, err := range au.validate() {
			errs = append(errs, fmt.Errorf("API %q: %w", a.name, err))
		}
	}
	errs = append(errs, a.validateUsagePlans()...)
	keyed := false
	seen := map[string]string{}
	methods := 0
	for _, r := range a.resources {
		if err := ValidateResourcePath(r.path); err != nil {
			errs = append(errs, fmt.Errorf("API %q: %w", a.name, err))
		}
		for _, m := range r.SortedMethods() {
			methods++
			key := m.httpMethod + " " + r.path
			if prev, dup := seen[key]; dup {
				errs = append(errs, fmt.Errorf("API %q: %s is declared for both %s and %s", a.name, key, prev, r.target()))
			}
			seen[key] = r.target()
			keyed = keyed || m.APIKeyRequired
			if m.httpMethod == "OPTIONS" && a.CORSHeaders() != nil {
				errs = append(errs, fmt.Errorf("API %q: %s: CORS is enabled, so the API answers OPTIONS itself; remove the method or disable CORS", a.name, key))
			}
			if m.Authorizer != nil && !slices.Contains(a.authorizers, m.Authorizer) {
				errs = append(errs, fmt.Errorf("API %q: %s: authorizer %q belongs to another API: declare it with this API's NewLambdaAuthorizer", a.name, key, m.Authorizer.name))
			}
			for _, err := range m.validate(r) {
				errs = append(errs, fmt.Errorf("API %q: %s: %w", a.name, key, err))
			}
		}
	}
	if keyed && len(a.plans) == 0 {
		errs = append(errs, fmt.Errorf("API %q: methods require an API key but no usage plan gives one: every request would be refused 403; declare a plan with api.NewUsagePlan and a key with api.NewAPIKey", a.name))
	}
	if methods == 0 && a.name != "" {
		errs = append(errs, fmt.Errorf("API %q has no methods: declare one with resource.NewMethod", a.name))
	}
	return errors.Join(errs...)
}
