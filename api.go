package sparta

import "github.com/sparta-go/sparta/service"

// API is an API Gateway REST API passed to Main/MainEx.
type API = service.API

// Stage is the stage an API deploys to.
type Stage = service.Stage

// Resource is one URL path of an API.
type Resource = service.Resource

// Method is one HTTP method of a resource.
type Method = service.Method

// Model is a request model (JSON Schema).
type Model = service.Model

// Integration tunes what a method calls.
type Integration = service.Integration

// Authorizer is a Lambda authorizer of an API (API.NewLambdaAuthorizer).
type Authorizer = service.Authorizer

// Lambda authorizer types.
const (
	AuthorizerToken   = service.AuthorizerToken
	AuthorizerRequest = service.AuthorizerRequest
)

// Lambda authorizer caching (Authorizer.ResultTTLInSeconds).
const (
	AuthorizerNoCache          = service.AuthorizerNoCache
	DefaultAuthorizerResultTTL = service.DefaultAuthorizerResultTTL
)

// Method authorization types (Method.AuthorizationType).
const (
	AuthorizationNone = service.AuthorizationNone
	AuthorizationIAM  = service.AuthorizationIAM
)

// APIKey is an API key of an API's usage plans (API.NewAPIKey).
type APIKey = service.APIKey

// UsagePlan is a usage plan of an API's stage (API.NewUsagePlan).
type UsagePlan = service.UsagePlan

// ThrottleSettings is a usage plan's request rate and burst.
type ThrottleSettings = service.ThrottleSettings

// QuotaSettings is a usage plan's number of requests per period.
type QuotaSettings = service.QuotaSettings

// Usage plan quota periods.
const (
	QuotaDay   = service.QuotaDay
	QuotaWeek  = service.QuotaWeek
	QuotaMonth = service.QuotaMonth
)

// CORSOptions are the CORS preflight headers of an API.
type CORSOptions = service.CORSOptions

// S3Site is a static website bucket passed to Main/MainEx: its folder is
// uploaded to a public website bucket after each provision.
type S3Site = service.S3Site

// S3WebsiteConfiguration sets a site's index and error documents.
type S3WebsiteConfiguration = service.S3WebsiteConfiguration

// S3ErrorDocument names a site's error page.
type S3ErrorDocument = service.S3ErrorDocument

// S3IndexDocument names a site's folder index page.
type S3IndexDocument = service.S3IndexDocument

// OutputS3SiteURL is the stack output holding the site's website URL, as
// Sparta names it.
const OutputS3SiteURL = "S3SiteURL"

// NewAPIGateway declares a REST API named name, deployed to stage.
func NewAPIGateway(name string, stage *Stage) *API { return service.NewAPIGateway(name, stage) }

// NewStage declares an API Gateway stage.
func NewStage(name string) *Stage { return service.NewStage(name) }

// NewS3Site declares a static website whose files are the folder resources.
func NewS3Site(resources string) (*S3Site, error) { return service.NewS3Site(resources) }
