//go:build !lambdabinary

package apigateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	gapi "github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// ValuesKey is the ServiceContext.Values key under which the decorator
// records what it added (an *Added), for describe and the summary.
const ValuesKey = "apigateway.API"

// machinesKey is where the state machine decorators record their machines
// (step.ValuesKey; named here so that this package does not import step).
const machinesKey = "step.StateMachines"

// Output keys of the stack.
const (
	URLOutput       = "APIGatewayURL"
	RestAPIIDOutput = "APIGatewayRestApiId"
)

// Added names what the decorator put in the template.
type Added struct {
	RestAPI    string
	Deployment string
	Stage      string
	// Routes are "METHOD /path" in order, with the logical ID of each method.
	Routes []Route
}

// Route is one method of the API in the template.
type Route struct {
	Method, Path string
	LogicalID    string
	// Target is "function NAME" or "state machine NAME" or "CORS".
	Target string
}

// Decorator adds api to the service's template. The provision workflow
// runs it after the user's decorators, so that the state machines an API
// starts are already in the template.
func Decorator(api *service.API) service.ServiceDecoratorHookHandler {
	return service.NamedDecorator(fmt.Sprintf("API Gateway %q", api.Name()), &decorator{api: api})
}

type decorator struct{ api *service.API }

// Validate lets provisioning check the API before anything is built.
func (d *decorator) Validate() error { return d.api.Validate() }

// DecorateService implements service.ServiceDecoratorHookHandler.
func (d *decorator) DecorateService(_ context.Context, sc *service.ServiceContext) error {
	machines, _ := sc.Values[machinesKey].(map[string]string)
	added, err := Add(sc.Template, sc.Service, d.api, sc.Lambdas, machines)
	if err != nil {
		return err
	}
	if sc.Values == nil {
		sc.Values = map[string]any{}
	}
	sc.Values[ValuesKey] = added
	return nil
}

// emitter accumulates one API's resources.
type emitter struct {
	t          *cloudformation.Template
	api        *service.API
	restID     string
	resources  map[string]any // logical ID -> resource of the API, hashed for the deployment
	methodIDs  []string
	validators map[string]string
	added      *Added
}

// Add adds the API to t. lambdas are the service's functions (a resource's
// function must be one of them) and machines maps state machine names to
// the logical IDs of their AWS::StepFunctions::StateMachine.
func Add(t *cloudformation.Template, serviceName string, api *service.API, lambdas []*service.LambdaAWSInfo, machines map[string]string) (*Added, error) {
	if err := api.Validate(); err != nil {
		return nil, err
	}
	known := map[*service.LambdaAWSInfo]bool{}
	for _, l := range lambdas {
		known[l] = true
	}
	var errs []error
	for _, r := range api.Resources() {
		if fn := r.Lambda(); fn != nil && !known[fn] {
			errs = append(errs, fmt.Errorf("API %q: resource %s: function %q is not one of the service's functions; pass it to sparta.Main with the others", api.Name(), r.Path(), fn.Name))
		}
		for _, m := range r.SortedMethods() {
			if au := m.Authorizer; au != nil && !known[au.Lambda()] {
				errs = append(errs, fmt.Errorf("API %q: authorizer %q: function %q is not one of the service's functions; pass it to sparta.Main with the others", api.Name(), au.Name(), au.Lambda().Name))
			}
		}
		if m := r.StateMachine(); m != nil {
			if _, ok := machines[m.Name()]; !ok {
				errs = append(errs, fmt.Errorf("API %q: resource %s: state machine %q is not in the template; pass its StateMachineDecorator() to sparta.MainEx in WorkflowHooks.ServiceDecorators", api.Name(), r.Path(), m.Name()))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	e := &emitter{t: t, api: api, restID: cfn.LogicalID(api.Name(), "RestApi"), resources: map[string]any{},
		validators: map[string]string{}, added: &Added{}}
	e.added.RestAPI = e.restID
	rest := &gapi.RestApi{Name: cloudformation.String(serviceName + "-" + api.Name())}
	if api.Description != "" {
		rest.Description = cloudformation.String(api.Description)
	}
	e.put(e.restID, rest)
	for _, au := range api.Authorizers() {
		e.authorizer(au)
	}

	// Resources and methods, sorted by path then method so that the
	// template does not depend on declaration order.
	rs := append([]*service.Resource(nil), api.Resources()...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Path() < rs[j].Path() })
	corsDone := map[string]bool{}
	for _, r := range rs {
		resourceID := e.resourceTree(r.Path())
		for _, m := range r.SortedMethods() {
			var err error
			if r.Lambda() != nil {
				err = e.lambdaMethod(r, m, resourceID)
			} else {
				err = e.machineMethod(r, m, resourceID, t.Resources[machines[r.StateMachine().Name()]], machines[r.StateMachine().Name()])
			}
			if err != nil {
				return nil, fmt.Errorf("API %q: %s %s: %w", api.Name(), m.HTTPMethod(), r.Path(), err)
			}
		}
		if h := api.CORSHeaders(); h != nil && !corsDone[r.Path()] {
			corsDone[r.Path()] = true
			e.corsMethod(r.Path(), resourceID, h)
		}
	}

	stage := api.Stage()
	if stage == nil {
		return e.added, nil
	}
	// The deployment's logical ID carries a hash of every API resource:
	// CloudFormation does not redeploy an unchanged Deployment, so a new
	// ID is what makes a changed API reach its stage.
	b, err := json.Marshal(e.resources)
	if err != nil {
		return nil, fmt.Errorf("API %q: hashing the API: %w", api.Name(), err)
	}
	sum := sha256.Sum256(b)
	depID := cfn.LogicalID(api.Name(), "Deployment") + hex.EncodeToString(sum[:])[:10]
	t.Resources[depID] = &gapi.Deployment{
		RestApiId:                  cfn.Ref(e.restID),
		Description:                cloudformation.String("Deployed by Sparta for stage " + stage.Name()),
		AWSCloudFormationDependsOn: append([]string(nil), e.methodIDs...),
	}
	stageID := cfn.LogicalID(api.Name(), "Stage", stage.Name())
	st := &gapi.Stage{
		RestApiId:    cfn.Ref(e.restID),
		DeploymentId: cloudformation.String(cfn.Ref(depID)),
		StageName:    cloudformation.String(stage.Name()),
	}
	if stage.Description != "" {
		st.Description = cloudformation.String(stage.Description)
	}
	if len(stage.Variables) > 0 {
		st.Variables = stage.Variables
	}
	if stage.AccessLogging {
		logID := cfn.LogicalID(api.Name(), "AccessLogs", stage.Name())
		t.Resources[logID] = &logs.LogGroup{RetentionInDays: cloudformation.Int(30)}
		format := stage.AccessLogFormat
		if format == "" {
			format = service.DefaultAccessLogFormat
		}
		st.AccessLogSetting = &gapi.Stage_AccessLogSetting{
			DestinationArn: cloudformation.String(cfn.GetAtt(logID, "Arn")),
			Format:         cloudformation.String(format),
		}
	}
	t.Resources[stageID] = st
	e.added.Deployment, e.added.Stage = depID, stageID
	e.usagePlans(stageID)
	t.Outputs[URLOutput] = cloudformation.Output{
		Description: cloudformation.String(fmt.Sprintf("Invoke URL of API %s, stage %s", api.Name(), stage.Name())),
		Value:       cfn.Sub("https://${" + e.restID + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + stage.Name()),
	}
	t.Outputs[RestAPIIDOutput] = cloudformation.Output{
		Description: cloudformation.String(fmt.Sprintf("ID of API %s", api.Name())),
		Value:       cfn.Ref(e.restID),
	}
	return e.added, nil
}

func (e *emitter) put(id string, r cloudformation.Resource) {
	e.t.Resources[id] = r
	e.resources[id] = r
}

// resourceTree adds the AWS::ApiGateway::Resource of every part of path
// that is not there yet and returns the ResourceId of the last one.
func (e *emitter) resourceTree(path string) string {
	parent := cfn.GetAtt(e.restID, "RootResourceId")
	if path == "/" {
		return parent
	}
	prefix := ""
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		prefix += "/" + part
		id := cfn.LogicalID(e.api.Name(), "Resource", prefix)
		if _, ok := e.resources[id]; !ok {
			e.put(id, &gapi.Resource{RestApiId: cfn.Ref(e.restID), ParentId: parent, PathPart: part})
		}
		parent = cfn.Ref(id)
	}
	return parent
}

// base is what every method shares: parameters, models and validator.
func (e *emitter) base(r *service.Resource, m *service.Method, resourceID string) *gapi.Method {
	gm := &gapi.Method{
		RestApiId:         cfn.Ref(e.restID),
		ResourceId:        resourceID,
		HttpMethod:        m.HTTPMethod(),
		AuthorizationType: cloudformation.String(m.Authorization()),
	}
	if au := m.Authorizer; au != nil {
		gm.AuthorizerId = cloudformation.String(cfn.Ref(authorizerID(e.api, au)))
	}
	if m.APIKeyRequired {
		gm.ApiKeyRequired = cloudformation.Bool(true)
	}
	required := false
	if len(m.Parameters) > 0 {
		gm.RequestParameters = map[string]string{}
		for k, req := range m.Parameters {
			gm.RequestParameters[k] = strconv.FormatBool(req)
			required = required || req
		}
	}
	if len(m.Models) > 0 {
		gm.RequestModels = map[string]string{}
		for _, ct := range service.SortedKeys(m.Models) {
			model := m.Models[ct]
			name := model.Name
			if name == "" {
				name = cfn.LogicalID(r.Path(), m.HTTPMethod(), ct)
			}
			id := cfn.LogicalID(e.api.Name(), "Model", name)
			var schema any
			_ = json.Unmarshal([]byte(model.Schema), &schema) // validated by service.API.Validate
			gmodel := &gapi.Model{RestApiId: cfn.Ref(e.restID), ContentType: cloudformation.String(ct), Name: cloudformation.String(name), Schema: schema}
			if model.Description != "" {
				gmodel.Description = cloudformation.String(model.Description)
			}
			e.put(id, gmodel)
			gm.RequestModels[ct] = cfn.Ref(id)
		}
	}
	if body := len(m.Models) > 0; body || required {
		gm.RequestValidatorId = cloudformation.String(e.validator(body, required))
	}
	return gm
}

// validator returns the Ref of the request validator checking the body,
// the parameters or both, adding it on first use.
func (e *emitter) validator(body, params bool) string {
	name := map[[2]bool]string{{true, false}: "Body", {false, true}: "Parameters", {true, true}: "BodyAndParameters"}[[2]bool{body, params}]
	if ref, ok := e.validators[name]; ok {
		return ref
	}
	id := cfn.LogicalID(e.api.Name(), "Validator", name)
	e.put(id, &gapi.RequestValidator{RestApiId: cfn.Ref(e.restID), Name: cloudformation.String(name),
		ValidateRequestBody: cloudformation.Bool(body), ValidateRequestParameters: cloudformation.Bool(params)})
	e.validators[name] = cfn.Ref(id)
	return e.validators[name]
}

func (e *emitter) addMethod(r *service.Resource, m *service.Method, gm *gapi.Method, target string) {
	id := cfn.LogicalID(e.api.Name(), "Method", r.Path(), m.HTTPMethod())
	e.put(id, gm)
	e.methodIDs = append(e.methodIDs, id)
	e.added.Routes = append(e.added.Routes, Route{Method: m.HTTPMethod(), Path: r.Path(), LogicalID: id, Target: target})
}

// lambdaMethod: AWS_PROXY for proxy handlers, AWS (the body in, the output
// out) for typed ones, and the function's permission scoped to this method.
func (e *emitter) lambdaMethod(r *service.Resource, m *service.Method, resourceID string) error {
	fn := r.Lambda()
	fnID := cfn.FunctionLogicalID(fn.Name)
	gm := e.base(r, m, resourceID)
	uri := cfn.Sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${" + fnID + ".Arn}/invocations")
	if service.UsesProxyIntegration(fn) {
		gm.Integration = &gapi.Method_Integration{Type: "AWS_PROXY", IntegrationHttpMethod: cloudformation.String("POST"), Uri: cloudformation.String(uri)}
	} else {
		status := strconv.Itoa(m.DefaultStatus())
		gm.Integration = &gapi.Method_Integration{
			Type: "AWS", IntegrationHttpMethod: cloudformation.String("POST"), Uri: cloudformation.String(uri),
			PassthroughBehavior: cloudformation.String("WHEN_NO_TEMPLATES"),
			RequestTemplates:    map[string]string{"application/json": "$input.json('$')"},
			IntegrationResponses: []gapi.Method_IntegrationResponse{
				e.integrationResponse(status, ""),
				// A function error's errorMessage is matched against the
				// selection pattern: any error is a 500.
				e.integrationResponse("500", ".+"),
			},
		}
		gm.MethodResponses = e.methodResponses(status, "500")
	}
	e.addMethod(r, m, gm, fmt.Sprintf("function %s", fn.Name))
	permID := cfn.LogicalID(e.api.Name(), "Permission", r.Path(), m.HTTPMethod())
	e.t.Resources[permID] = &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		FunctionName: cfn.GetAtt(fnID, "Arn"),
		Principal:    "apigateway.amazonaws.com",
		SourceArn:    cloudformation.String(SourceARN(e.restID, m.HTTPMethod(), r.Path())),
	}
	return nil
}

// SourceARN is the execute-api ARN of one method: any stage, the method
// (ANY is *), the path with each parameter as *. A function's permission
// names it so that only this method of this API can invoke the function.
func SourceARN(restAPIID, method, path string) string {
	if method == "ANY" {
		method = "*"
	}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") {
			parts[i] = "*"
		}
	}
	return cfn.Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + restAPIID + "}/*/" + method + strings.Join(parts, "/"))
}

// machineMethod: an AWS integration calling StartExecution (or
// StartSyncExecution for an EXPRESS machine) with a role of its own.
func (e *emitter) machineMethod(r *service.Resource, m *service.Method, resourceID string, machineRes cloudformation.Resource, machineID string) error {
	express := false
	if sm, ok := machineRes.(*stepfunctions.StateMachine); ok && sm.StateMachineType != nil && *sm.StateMachineType == "EXPRESS" {
		express = true
	}
	action := "StartExecution"
	if express {
		action = "StartSyncExecution"
	}
	roleID := cfn.LogicalID(e.api.Name(), "Role", r.Path(), m.HTTPMethod())
	e.t.Resources[roleID] = &iam.Role{
		AssumeRolePolicyDocument: cfn.AssumeRolePolicy("apigateway.amazonaws.com"),
		Policies: []iam.Role_Policy{{PolicyName: "StartExecution", PolicyDocument: map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect": "Allow", "Action": []string{"states:" + action}, "Resource": cfn.Ref(machineID),
			}},
		}}},
	}
	templates := m.Integration.RequestTemplates
	if len(templates) == 0 {
		templates = map[string]string{"application/json": service.DefaultStateMachineTemplate}
	}
	gm := e.base(r, m, resourceID)
	status := strconv.Itoa(m.DefaultStatus())
	integ := &gapi.Method_Integration{
		Type:                  "AWS",
		IntegrationHttpMethod: cloudformation.String("POST"),
		Uri:                   cloudformation.String(cfn.Sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/" + action)),
		Credentials:           cloudformation.String(cfn.GetAtt(roleID, "Arn")),
		// NEVER: a content type without a template is refused with 415
		// rather than passed to Step Functions unshaped.
		PassthroughBehavior: cloudformation.String("NEVER"),
		RequestTemplates:    map[string]string{},
	}
	for _, ct := range service.SortedKeys(templates) {
		integ.RequestTemplates[ct] = injectARN(templates[ct], machineID)
	}
	ok := e.integrationResponse(status, "")
	if express {
		ok.ResponseTemplates = map[string]string{"application/json": SyncResponseTemplate}
	}
	integ.IntegrationResponses = []gapi.Method_IntegrationResponse{ok,
		e.integrationResponse("400", "4\\d{2}"), e.integrationResponse("500", "5\\d{2}")}
	gm.Integration = integ
	gm.MethodResponses = e.methodResponses(status, "400", "500")
	e.addMethod(r, m, gm, fmt.Sprintf("state machine %s", r.StateMachine().Name()))
	return nil
}

// SyncResponseTemplate answers a StartSyncExecution with the execution's
// output when it succeeded, and otherwise with its error and cause under
// 500 (FAILED, ABORTED) or 504 (TIMED_OUT).
const SyncResponseTemplate = `#set($out = $input.path('$'))
#if($out.status == "SUCCEEDED")
$out.output
#else
#if($out.status == "TIMED_OUT")
#set($context.responseOverride.status = 504)
#else
#set($context.responseOverride.status = 500)
#end
{"status": "$out.status", "error": "$util.escapeJavaScript($out.error)", "cause": "$util.escapeJavaScript($out.cause)"}
#end`

// injectARN replaces each StateMachineARNPlaceholder with a Ref to the
// machine: an Fn::Join, since the template's own ${...} (VTL formal
// references) must not be read by Fn::Sub.
func injectARN(template, machineID string) string {
	pieces := strings.Split(template, service.StateMachineARNPlaceholder)
	values := make([]string, 0, 2*len(pieces))
	for i, p := range pieces {
		if i > 0 {
			values = append(values, cfn.Ref(machineID))
		}
		if p != "" {
			values = append(values, p)
		}
	}
	return cfn.Join("", values...)
}

func (e *emitter) corsHeaders() map[string]any { return e.api.CORSHeaders() }

// integrationResponse maps a backend answer to a status, adding the CORS
// headers when CORS is on.
func (e *emitter) integrationResponse(status, pattern string) gapi.Method_IntegrationResponse {
	ir := gapi.Method_IntegrationResponse{StatusCode: status}
	if pattern != "" {
		ir.SelectionPattern = cloudformation.String(pattern)
	}
	if h := e.corsHeaders(); h != nil {
		ir.ResponseParameters = map[string]string{}
		for _, k := range service.SortedKeys(h) {
			ir.ResponseParameters["method.response.header."+k] = "'" + fmt.Sprint(h[k]) + "'"
		}
	}
	return ir
}

func (e *emitter) methodResponses(statuses ...string) []gapi.Method_MethodResponse {
	out := make([]gapi.Method_MethodResponse, 0, len(statuses))
	for _, s := range statuses {
		mr := gapi.Method_MethodResponse{StatusCode: s}
		if h := e.corsHeaders(); h != nil {
			mr.ResponseParameters = map[string]string{}
			for _, k := range service.SortedKeys(h) {
				mr.ResponseParameters["method.response.header."+k] = "false"
			}
		}
		out = append(out, mr)
	}
	return out
}

// corsMethod is the MOCK OPTIONS method answering preflight requests with
// the CORS headers, as the console's "Enable CORS" creates it.
func (e *emitter) corsMethod(path, resourceID string, _ map[string]any) {
	id := cfn.LogicalID(e.api.Name(), "Method", path, http.MethodOptions)
	gm := &gapi.Method{
		RestApiId: cfn.Ref(e.restID), ResourceId: resourceID, HttpMethod: http.MethodOptions,
		AuthorizationType: cloudformation.String("NONE"),
		Integration: &gapi.Method_Integration{
			Type:                 "MOCK",
			RequestTemplates:     map[string]string{"application/json": `{"statusCode": 200}`},
			IntegrationResponses: []gapi.Method_IntegrationResponse{e.integrationResponse("200", "")},
		},
		MethodResponses: e.methodResponses("200"),
	}
	e.put(id, gm)
	e.methodIDs = append(e.methodIDs, id)
	e.added.Routes = append(e.added.Routes, Route{Method: http.MethodOptions, Path: path, LogicalID: id, Target: "CORS"})
}

func authorizerID(api *service.API, au *service.Authorizer) string {
	return cfn.LogicalID(api.Name(), "Authorizer", au.Name())
}

// authorizer adds a Lambda authorizer and the permission letting this
// API's authorizer (only) invoke its function.
func (e *emitter) authorizer(au *service.Authorizer) {
	id := authorizerID(e.api, au)
	fnID := cfn.FunctionLogicalID(au.Lambda().Name)
	ga := &gapi.Authorizer{
		RestApiId:                    cfn.Ref(e.restID),
		Name:                         au.Name(),
		Type:                         au.Type(),
		AuthorizerUri:                cloudformation.String(cfn.Sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${" + fnID + ".Arn}/invocations")),
		AuthorizerResultTtlInSeconds: cloudformation.Int(au.ResultTTL()),
	}
	if au.IdentitySource != "" {
		ga.IdentitySource = cloudformation.String(au.IdentitySource)
	}
	e.put(id, ga)
	e.t.Resources[cfn.LogicalID(e.api.Name(), "AuthorizerPermission", au.Name())] = &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		FunctionName: cfn.GetAtt(fnID, "Arn"),
		Principal:    "apigateway.amazonaws.com",
		SourceArn:    cloudformation.String(cfn.Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + e.restID + "}/authorizers/${" + id + "}")),
	}
}

// APIKeyOutput is the stack output holding the ID of an API key, for
// `aws apigateway get-api-key --api-key ID --include-value`.
func APIKeyOutput(api *service.API, key *service.APIKey) string {
	return cfn.LogicalID(api.Name(), "APIKey", key.Name()) + "Id"
}

// usagePlans adds the API keys, the usage plans of the stage and the
// UsagePlanKeys that put each key in its plans.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
func (e *emitter) usagePlans(stageID string) {
	keyIDs := map[*service.APIKey]string{}
	for _, k := range e.api.APIKeys() {
		id := cfn.LogicalID(e.api.Name(), "APIKey", k.Name())
		keyIDs[k] = id
		gk := &gapi.ApiKey{Name: cloudformation.String(cfn.Sub("${AWS::StackName}-" + e.api.Name() + "-" + k.Name())), Enabled: cloudformation.Bool(!k.Disabled)}
		if k.Description != "" {
			gk.Description = cloudformation.String(k.Description)
		}
		if k.Value != "" {
			gk.Value = cloudformation.String(k.Value)
		}
		e.t.Resources[id] = gk
		e.t.Outputs[APIKeyOutput(e.api, k)] = cloudformation.Output{
			Description: cloudformation.String(fmt.Sprintf("ID of API key %s of API %s", k.Name(), e.api.Name())),
			Value:       cfn.Ref(id),
		}
	}
	for _, p := range e.api.UsagePlans() {
		id := cfn.LogicalID(e.api.Name(), "UsagePlan", p.Name())
		gp := &gapi.UsagePlan{
			UsagePlanName: cloudformation.String(cfn.Sub("${AWS::StackName}-" + e.api.Name() + "-" + p.Name())),
			// The stage's Ref is its name, so the plan waits for it.
			ApiStages: []gapi.UsagePlan_ApiStage{{ApiId: cloudformation.String(cfn.Ref(e.restID)), Stage: cloudformation.String(cfn.Ref(stageID))}},
		}
		if p.Description != "" {
			gp.Description = cloudformation.String(p.Description)
		}
		if t := p.Throttle; t != nil {
			burst := t.BurstLimit
			if burst == 0 {
				burst = int(t.RateLimit)
				if float64(burst) < t.RateLimit {
					burst++
				}
			}
			gp.Throttle = &gapi.UsagePlan_ThrottleSettings{RateLimit: cloudformation.Float64(t.RateLimit), BurstLimit: cloudformation.Int(burst)}
		}
		if q := p.Quota; q != nil {
			gp.Quota = &gapi.UsagePlan_QuotaSettings{Limit: cloudformation.Int(q.Limit), Period: cloudformation.String(q.Period)}
			if q.Offset > 0 {
				gp.Quota.Offset = cloudformation.Int(q.Offset)
			}
		}
		e.t.Resources[id] = gp
		for _, k := range p.Keys() {
			e.t.Resources[cfn.LogicalID(e.api.Name(), "UsagePlanKey", p.Name(), k.Name())] = &gapi.UsagePlanKey{
				KeyId: cfn.Ref(keyIDs[k]), KeyType: "API_KEY", UsagePlanId: cfn.Ref(id),
			}
		}
	}
}
