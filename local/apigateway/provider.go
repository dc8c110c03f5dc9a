package apigateway

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives the AWS::ApiGateway types their behaviour in the local
// cloud's CloudFormation: RestApi, Resource, Method, Model,
// RequestValidator, Deployment and Stage.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::ApiGateway::RestApi":          restAPIProvider{s},
		"AWS::ApiGateway::Resource":         resourceProvider{s},
		"AWS::ApiGateway::Method":           methodProvider{s},
		"AWS::ApiGateway::Model":            modelProvider{s},
		"AWS::ApiGateway::RequestValidator": validatorProvider{s},
		"AWS::ApiGateway::Authorizer":       authorizerProvider{s},
		"AWS::ApiGateway::Deployment":       deploymentProvider{s},
		"AWS::ApiGateway::Stage":            stageProvider{s},
		"AWS::ApiGateway::ApiKey":           apiKeyProvider{s},
		"AWS::ApiGateway::UsagePlan":        usagePlanProvider{s},
		"AWS::ApiGateway::UsagePlanKey":     usagePlanKeyProvider{s},
	}
}

// Child resources have physical IDs "API-ID|ID" so that Delete knows the
// API; their Ref is the bare ID, as on AWS.
func childID(apiID, id string) string { return apiID + "|" + id }

func splitChild(physical string) (apiID, id string) {
	apiID, id, _ = strings.Cut(physical, "|")
	return apiID, id
}

type restAPIProvider struct{ s *Service }

// Create makes the API; Ref is its ID, RootResourceId the ID of "/".
func (p restAPIProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	name := resource.String(req.Properties, "Name")
	if name == "" {
		name = resource.PhysicalName(req.StackName, req.LogicalID, 255)
	}
	if _, ok := req.Properties["Body"]; ok {
		return resource.Result{}, fmt.Errorf("RestApi %s: an OpenAPI Body is not supported by the local API Gateway; declare Resource and Method resources", req.LogicalID)
	}
	id, root, err := p.s.CreateRestAPI(name, resource.String(req.Properties, "Description"))
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: id, Attributes: map[string]any{"RestApiId": id, "RootResourceId": root}}, nil
}

// Update renames the API in place.
func (p restAPIProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	name := resource.String(req.Properties, "Name")
	if name == "" {
		name = resource.PhysicalName(req.StackName, req.LogicalID, 255)
	}
	if err := p.s.UpdateRestAPI(req.PhysicalID, name, resource.String(req.Properties, "Description")); err != nil {
		return resource.Result{}, err
	}
	p.s.mu.RLock()
	root := ""
	if a, ok := p.s.apis[req.PhysicalID]; ok {
		root = a.RootResourceID
	}
	p.s.mu.RUnlock()
	return resource.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"RestApiId": req.PhysicalID, "RootResourceId": root}}, nil
}

func (p restAPIProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.DeleteRestAPI(req.PhysicalID)
}

func (restAPIProvider) RequiresReplacement(_, _ map[string]any) bool { return false }

type resourceProvider struct{ s *Service }

func (p resourceProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID := resource.String(req.Properties, "RestApiId")
	id, err := p.s.CreateResource(apiID, resource.String(req.Properties, "ParentId"), resource.String(req.Properties, "PathPart"))
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: childID(apiID, id), Ref: id, Attributes: map[string]any{"ResourceId": id}}, nil
}

func (p resourceProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	_, id := splitChild(req.PhysicalID)
	return resource.Result{PhysicalID: req.PhysicalID, Ref: id, Attributes: map[string]any{"ResourceId": id}}, nil
}

func (p resourceProvider) Delete(_ context.Context, req resource.Request) error {
	apiID, id := splitChild(req.PhysicalID)
	return p.s.DeleteResource(apiID, id)
}

func (resourceProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RestApiId", "ParentId", "PathPart")
}

type methodProvider struct{ s *Service }

func (p methodProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID := resource.String(req.Properties, "RestApiId")
	resID := resource.String(req.Properties, "ResourceId")
	m, err := methodFromProperties(req.Properties)
	if err != nil {
		return resource.Result{}, fmt.Errorf("Method %s: %w", req.LogicalID, err)
	}
	if err := p.s.putMethod(apiID, resID, m); err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: apiID + "|" + resID + "|" + m.HTTPMethod}, nil
}

func (p methodProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	return p.Create(ctx, req)
}

func (p methodProvider) Delete(_ context.Context, req resource.Request) error {
	parts := strings.SplitN(req.PhysicalID, "|", 3)
	if len(parts) != 3 {
		return nil
	}
	return p.s.deleteMethod(parts[0], parts[1], parts[2])
}

func (methodProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RestApiId", "ResourceId", "HttpMethod")
}

// methodFromProperties reads an AWS::ApiGateway::Method's properties.
func methodFromProperties(props map[string]any) (*method, error) {
	m := &method{
		HTTPMethod:         strings.ToUpper(resource.String(props, "HttpMethod")),
		AuthorizationType:  resource.String(props, "AuthorizationType"),
		RequestValidatorID: resource.String(props, "RequestValidatorId"),
		RequestModels:      stringMap(props["RequestModels"]),
		APIKeyRequired:     boolOf(props["ApiKeyRequired"]),
	}
	if m.AuthorizationType == "" {
		m.AuthorizationType = "NONE"
	}
	switch m.AuthorizationType {
	case "NONE", "AWS_IAM":
	case "CUSTOM":
		if m.AuthorizerID = resource.String(props, "AuthorizerId"); m.AuthorizerID == "" {
			return nil, fmt.Errorf("AuthorizationType CUSTOM needs an AuthorizerId")
		}
	default:
		return nil, fmt.Errorf("AuthorizationType %s is not supported by the local API Gateway (NONE, AWS_IAM, or CUSTOM with a Lambda authorizer)", m.AuthorizationType)
	}
	if params := stringMap(props["RequestParameters"]); len(params) > 0 {
		m.RequestParameters = map[string]bool{}
		for k, v := range params {
			m.RequestParameters[k] = boolOf(v)
		}
	}
	if raw, ok := props["Integration"].(map[string]any); ok {
		in := &integration{
			Type:                strings.ToUpper(resource.String(raw, "Type")),
			HTTPMethod:          resource.String(raw, "IntegrationHttpMethod"),
			URI:                 resource.String(raw, "Uri"),
			Credentials:         resource.String(raw, "Credentials"),
			PassthroughBehavior: resource.String(raw, "PassthroughBehavior"),
			RequestParameters:   stringMap(raw["RequestParameters"]),
			RequestTemplates:    stringMap(raw["RequestTemplates"]),
		}
		if n, ok, err := resource.Int(raw, "TimeoutInMillis"); err == nil && ok {
			in.TimeoutInMillis = n
		}
		switch in.Type {
		case "AWS", "AWS_PROXY", "MOCK":
		default:
			return nil, fmt.Errorf("integration type %s is not supported by the local API Gateway (AWS, AWS_PROXY, MOCK)", in.Type)
		}
		if list, ok := raw["IntegrationResponses"].([]any); ok {
			in.IntegrationResponses = map[string]*integrationResponse{}
			for _, item := range list {
				r, _ := item.(map[string]any)
				ir := &integrationResponse{
					StatusCode:         resource.String(r, "StatusCode"),
					SelectionPattern:   resource.String(r, "SelectionPattern"),
					ResponseParameters: stringMap(r["ResponseParameters"]),
					ResponseTemplates:  stringMap(r["ResponseTemplates"]),
				}
				in.IntegrationResponses[ir.StatusCode] = ir
			}
		}
		m.Integration = in
	} else {
		return nil, fmt.Errorf("the method has no Integration")
	}
	if list, ok := props["MethodResponses"].([]any); ok {
		m.MethodResponses = map[string]*methodResponse{}
		for _, item := range list {
			r, _ := item.(map[string]any)
			mr := &methodResponse{StatusCode: resource.String(r, "StatusCode"), ResponseModels: stringMap(r["ResponseModels"])}
			if ps := stringMap(r["ResponseParameters"]); len(ps) > 0 {
				mr.ResponseParameters = map[string]bool{}
				for k, v := range ps {
					mr.ResponseParameters[k] = boolOf(v)
				}
			}
			m.MethodResponses[mr.StatusCode] = mr
		}
	}
	return m, nil
}

// stringMap reads a map property whose values are strings (or booleans
// and numbers, rendered as strings).
func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		switch t := x.(type) {
		case string:
			out[k] = t
		default:
			out[k] = fmt.Sprint(t)
		}
	}
	return out
}

func boolOf(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		b, _ := strconv.ParseBool(t)
		return b
	}
	return false
}

type modelProvider struct{ s *Service }

// Create stores the model; Ref is its name.
func (p modelProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID := resource.String(req.Properties, "RestApiId")
	name := resource.String(req.Properties, "Name")
	if name == "" {
		name = strings.ReplaceAll(resource.PhysicalName(req.StackName, req.LogicalID, 128), "-", "")
	}
	schema, err := schemaString(req.Properties["Schema"])
	if err != nil {
		return resource.Result{}, fmt.Errorf("Model %s: %w", req.LogicalID, err)
	}
	m := &model{Name: name, Description: resource.String(req.Properties, "Description"),
		ContentType: resource.String(req.Properties, "ContentType"), Schema: schema}
	if m.ContentType == "" {
		m.ContentType = "application/json"
	}
	if err := p.s.putModel(apiID, m); err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: childID(apiID, name), Ref: name}, nil
}

func (p modelProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	return p.Create(ctx, req)
}

func (p modelProvider) Delete(_ context.Context, req resource.Request) error {
	apiID, name := splitChild(req.PhysicalID)
	return p.s.deleteModel(apiID, name)
}

func (modelProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RestApiId", "Name", "ContentType")
}

type validatorProvider struct{ s *Service }

func (p validatorProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID := resource.String(req.Properties, "RestApiId")
	v := &validator{ID: newID(6), Name: resource.String(req.Properties, "Name"),
		ValidateRequestBody: boolOf(req.Properties["ValidateRequestBody"]), ValidateRequestParameters: boolOf(req.Properties["ValidateRequestParameters"])}
	if err := p.s.putValidator(apiID, v); err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: childID(apiID, v.ID), Ref: v.ID, Attributes: map[string]any{"RequestValidatorId": v.ID}}, nil
}

func (p validatorProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID, id := splitChild(req.PhysicalID)
	v := &validator{ID: id, Name: resource.String(req.Properties, "Name"),
		ValidateRequestBody: boolOf(req.Properties["ValidateRequestBody"]), ValidateRequestParameters: boolOf(req.Properties["ValidateRequestParameters"])}
	if err := p.s.putValidator(apiID, v); err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: req.PhysicalID, Ref: id, Attributes: map[string]any{"RequestValidatorId": id}}, nil
}

func (p validatorProvider) Delete(_ context.Context, req resource.Request) error {
	apiID, id := splitChild(req.PhysicalID)
	return p.s.deleteValidator(apiID, id)
}

func (validatorProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RestApiId")
}

type deploymentProvider struct{ s *Service }

// Create snapshots the API; with StageName it also creates that stage.
func (p deploymentProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID := resource.String(req.Properties, "RestApiId")
	id, err := p.s.CreateDeployment(apiID, resource.String(req.Properties, "Description"))
	if err != nil {
		return resource.Result{}, err
	}
	if name := resource.String(req.Properties, "StageName"); name != "" {
		if err := p.s.putStage(apiID, &stage{StageName: name, DeploymentID: id}); err != nil {
			return resource.Result{}, err
		}
	}
	return resource.Result{PhysicalID: childID(apiID, id), Ref: id, Attributes: map[string]any{"DeploymentId": id}}, nil
}

func (p deploymentProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	_, id := splitChild(req.PhysicalID)
	return resource.Result{PhysicalID: req.PhysicalID, Ref: id, Attributes: map[string]any{"DeploymentId": id}}, nil
}

func (p deploymentProvider) Delete(_ context.Context, req resource.Request) error {
	apiID, id := splitChild(req.PhysicalID)
	return p.s.deleteDeployment(apiID, id)
}

func (deploymentProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RestApiId", "StageName")
}

type stageProvider struct{ s *Service }

// Create points the stage at its deployment; Ref is the stage name.
func (p stageProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID := resource.String(req.Properties, "RestApiId")
	st := &stage{StageName: resource.String(req.Properties, "StageName"), DeploymentID: resource.String(req.Properties, "DeploymentId"),
		Description: resource.String(req.Properties, "Description"), Variables: stringMap(req.Properties["Variables"])}
	if st.StageName == "" {
		return resource.Result{}, fmt.Errorf("Stage %s: StageName is required by the local API Gateway", req.LogicalID)
	}
	if als, ok := req.Properties["AccessLogSetting"].(map[string]any); ok {
		st.AccessLogSettings = &accessLogSetting{DestinationARN: resource.String(als, "DestinationArn"), Format: resource.String(als, "Format")}
	}
	if err := p.s.putStage(apiID, st); err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: childID(apiID, st.StageName), Ref: st.StageName}, nil
}

func (p stageProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	return p.Create(ctx, req)
}

func (p stageProvider) Delete(_ context.Context, req resource.Request) error {
	apiID, name := splitChild(req.PhysicalID)
	return p.s.deleteStage(apiID, name)
}

func (stageProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RestApiId", "StageName")
}

type authorizerProvider struct{ s *Service }

// Create stores a Lambda authorizer (TOKEN or REQUEST); Ref is its ID.
func (p authorizerProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	apiID := resource.String(req.Properties, "RestApiId")
	id := newID(6)
	if req.PhysicalID != "" {
		_, id = splitChild(req.PhysicalID)
	}
	au := &authorizer{ID: id, Name: resource.String(req.Properties, "Name"), Type: resource.String(req.Properties, "Type"),
		AuthorizerURI: resource.String(req.Properties, "AuthorizerUri"), IdentitySource: resource.String(req.Properties, "IdentitySource")}
	// Absent, the TTL is API Gateway's default.
	au.ResultTTL = 300
	if n, ok, err := resource.Int(req.Properties, "AuthorizerResultTtlInSeconds"); err != nil || (ok && (n < 0 || n > 3600)) {
		return resource.Result{}, fmt.Errorf("Authorizer %s: AuthorizerResultTtlInSeconds must be a number from 0 to 3600", req.LogicalID)
	} else if ok {
		au.ResultTTL = n
	}
	if au.Type != "TOKEN" && au.Type != "REQUEST" {
		return resource.Result{}, fmt.Errorf("Authorizer %s: type %s is not supported by the local API Gateway (TOKEN, REQUEST)", req.LogicalID, au.Type)
	}
	if err := p.s.putAuthorizer(apiID, au); err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: childID(apiID, id), Ref: id, Attributes: map[string]any{"AuthorizerId": id}}, nil
}

func (p authorizerProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	return p.Create(ctx, req)
}

func (p authorizerProvider) Delete(_ context.Context, req resource.Request) error {
	apiID, id := splitChild(req.PhysicalID)
	return p.s.deleteAuthorizer(apiID, id)
}

func (authorizerProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RestApiId")
}
