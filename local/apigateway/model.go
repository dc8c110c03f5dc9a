package apigateway

import (
	"crypto/rand"
	"time"
)

// restAPI is one REST API with everything in it, stored as one document:
// the API is small and changes rarely, and a deployment snapshots it whole.
type restAPI struct {
	ID             string                  `json:"id"`
	Name           string                  `json:"name"`
	Description    string                  `json:"description,omitempty"`
	CreatedDate    time.Time               `json:"createdDate"`
	RootResourceID string                  `json:"rootResourceId"`
	Resources      map[string]*apiResource `json:"resources"`
	Models         map[string]*model       `json:"models"`
	Validators     map[string]*validator   `json:"validators"`
	Authorizers    map[string]*authorizer  `json:"authorizers,omitempty"`
	Deployments    map[string]*deployment  `json:"deployments"`
	Stages         map[string]*stage       `json:"stages"`
}

type apiResource struct {
	ID       string             `json:"id"`
	ParentID string             `json:"parentId,omitempty"`
	PathPart string             `json:"pathPart,omitempty"`
	Path     string             `json:"path"`
	Methods  map[string]*method `json:"methods,omitempty"`
}

type method struct {
	HTTPMethod         string                     `json:"httpMethod"`
	AuthorizationType  string                     `json:"authorizationType"`
	APIKeyRequired     bool                       `json:"apiKeyRequired"`
	AuthorizerID       string                     `json:"authorizerId,omitempty"`
	RequestParameters  map[string]bool            `json:"requestParameters,omitempty"`
	RequestModels      map[string]string          `json:"requestModels,omitempty"`
	RequestValidatorID string                     `json:"requestValidatorId,omitempty"`
	Integration        *integration               `json:"methodIntegration,omitempty"`
	MethodResponses    map[string]*methodResponse `json:"methodResponses,omitempty"`
}

type methodResponse struct {
	StatusCode         string            `json:"statusCode"`
	ResponseParameters map[string]bool   `json:"responseParameters,omitempty"`
	ResponseModels     map[string]string `json:"responseModels,omitempty"`
}

type integration struct {
	Type                 string                          `json:"type"`
	HTTPMethod           string                          `json:"httpMethod,omitempty"`
	URI                  string                          `json:"uri,omitempty"`
	Credentials          string                          `json:"credentials,omitempty"`
	PassthroughBehavior  string                          `json:"passthroughBehavior,omitempty"`
	RequestParameters    map[string]string               `json:"requestParameters,omitempty"`
	RequestTemplates     map[string]string               `json:"requestTemplates,omitempty"`
	TimeoutInMillis      int                             `json:"timeoutInMillis,omitempty"`
	IntegrationResponses map[string]*integrationResponse `json:"integrationResponses,omitempty"`
}

type integrationResponse struct {
	StatusCode         string            `json:"statusCode"`
	SelectionPattern   string            `json:"selectionPattern,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitempty"`
}

type model struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ContentType string `json:"contentType"`
	Schema      string `json:"schema"`
}

type validator struct {
	ID                        string `json:"id"`
	Name                      string `json:"name,omitempty"`
	ValidateRequestBody       bool   `json:"validateRequestBody"`
	ValidateRequestParameters bool   `json:"validateRequestParameters"`
}

// deployment is a snapshot of the API's resources, models and validators
// at the time it was made: stages serve the snapshot, so that changing the
// API reaches clients only through a new deployment, as on AWS.
type deployment struct {
	ID          string                  `json:"id"`
	Description string                  `json:"description,omitempty"`
	CreatedDate time.Time               `json:"createdDate"`
	Resources   map[string]*apiResource `json:"resources"`
	Models      map[string]*model       `json:"models"`
	Validators  map[string]*validator   `json:"validators"`
	Authorizers map[string]*authorizer  `json:"authorizers,omitempty"`
}

type authorizer struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	AuthorizerURI  string `json:"authorizerUri"`
	IdentitySource string `json:"identitySource,omitempty"`
	// ResultTTL is AuthorizerResultTtlInSeconds: 0 caches nothing.
	ResultTTL int `json:"authorizerResultTtlInSeconds"`
}

type stage struct {
	StageName         string            `json:"stageName"`
	DeploymentID      string            `json:"deploymentId"`
	Description       string            `json:"description,omitempty"`
	Variables         map[string]string `json:"variables,omitempty"`
	AccessLogSettings *accessLogSetting `json:"accessLogSettings,omitempty"`
	CreatedDate       time.Time         `json:"createdDate"`
	LastUpdatedDate   time.Time         `json:"lastUpdatedDate"`
}

type accessLogSetting struct {
	DestinationARN string `json:"destinationArn"`
	Format         string `json:"format"`
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns an identifier in API Gateway's shape: n lowercase letters
// and digits (10 for APIs and root resources, 6 for the rest).
func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}
