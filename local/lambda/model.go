package lambda

import (
	"time"
)

// Defaults and limits of Lambda.
// See https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
const (
	// DefaultTimeout is a function's timeout when none is given: 3 seconds.
	DefaultTimeout = 3
	// MaxTimeout is Lambda's largest timeout: 900 seconds.
	MaxTimeout = 900
	// DefaultMemorySize is a function's memory when none is given, in MB.
	DefaultMemorySize = 128
	// DefaultEphemeralStorage is the size of /tmp, in MB.
	DefaultEphemeralStorage = 512
	// MaxSyncPayload bounds request and response payloads of synchronous
	// invocations (6 MB).
	MaxSyncPayload = 6 << 20
	// MaxAsyncPayload bounds the payload of Event invocations (256 KB).
	MaxAsyncPayload = 256 << 10
	// MaxUnzippedCode bounds a function's unzipped code (250 MB).
	MaxUnzippedCode = 250 << 20
	// LatestVersion is the unpublished, mutable version of a function.
	LatestVersion = "$LATEST"
	// DefaultRuntime is the runtime of Go bootstrap binaries.
	DefaultRuntime = "provided.al2023"
)

// lastModifiedLayout is how Lambda formats LastModified:
// 2019-08-14T22:26:11.234+0000.
const lastModifiedLayout = "2006-01-02T15:04:05.000-0700"

// FunctionConfiguration is a function version's configuration, in the JSON
// shape of Lambda's FunctionConfiguration (GetFunctionConfiguration,
// ListFunctions, CreateFunction...).
// See https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
type FunctionConfiguration struct {
	FunctionName     string
	FunctionArn      string
	Runtime          string `json:",omitempty"`
	Role             string
	Handler          string `json:",omitempty"`
	CodeSize         int64
	Description      string
	Timeout          int
	MemorySize       int
	LastModified     string
	CodeSha256       string
	Version          string
	Environment      *EnvironmentResponse `json:",omitempty"`
	TracingConfig    *TracingConfig       `json:",omitempty"`
	RevisionID       string               `json:"RevisionId"`
	State            string
	LastUpdateStatus string
	PackageType      string
	Architectures    []string
	EphemeralStorage *EphemeralStorage `json:",omitempty"`
	LoggingConfig    *LoggingConfig    `json:",omitempty"`
}

// EnvironmentResponse is a function's environment variables as Lambda
// returns them.
type EnvironmentResponse struct {
	Variables map[string]string
}

// Environment is a function's environment variables as clients send them.
type Environment struct {
	Variables map[string]string
}

// TracingConfig is the X-Ray mode; the local cloud records it only.
type TracingConfig struct {
	Mode string
}

// EphemeralStorage is the size of /tmp in MB.
type EphemeralStorage struct {
	Size int
}

// LoggingConfig says where a function's logs go.
type LoggingConfig struct {
	LogFormat string `json:",omitempty"`
	LogGroup  string `json:",omitempty"`
}

// FunctionCode locates the code of CreateFunction: a zip in S3 or inline
// bytes (base64 in JSON, as the SDK sends ZipFile).
type FunctionCode struct {
	S3Bucket        string `json:",omitempty"`
	S3Key           string `json:",omitempty"`
	S3ObjectVersion string `json:",omitempty"`
	ZipFile         []byte `json:",omitempty"`
	ImageURI        string `json:"ImageUri,omitempty"`
}

// FunctionCodeLocation is GetFunction's Code: where the code can be
// downloaded.
type FunctionCodeLocation struct {
	RepositoryType string
	Location       string
}

// Concurrency is a function's reserved concurrency.
type Concurrency struct {
	ReservedConcurrentExecutions *int `json:",omitempty"`
}

// GetFunctionOutput is the result of GetFunction.
// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
type GetFunctionOutput struct {
	Configuration FunctionConfiguration
	Code          FunctionCodeLocation
	Tags          map[string]string `json:",omitempty"`
	Concurrency   *Concurrency      `json:",omitempty"`
}

// AliasConfiguration is an alias, in Lambda's JSON shape.
// See https://docs.aws.amazon.com/lambda/latest/api/API_AliasConfiguration.html
type AliasConfiguration struct {
	AliasArn        string
	Name            string
	FunctionVersion string
	Description     string
	RoutingConfig   *AliasRoutingConfiguration `json:",omitempty"`
	RevisionID      string                     `json:"RevisionId"`
}

// AliasRoutingConfiguration splits an alias's traffic: each extra version
// gets its weight (0 to 1), FunctionVersion the rest.
type AliasRoutingConfiguration struct {
	AdditionalVersionWeights map[string]float64
}

// CreateFunctionInput is the request of CreateFunction.
// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
type CreateFunctionInput struct {
	FunctionName     string
	Runtime          string
	Role             string
	Handler          string
	Description      string
	Code             FunctionCode
	Timeout          *int
	MemorySize       *int
	Environment      *Environment
	Architectures    []string
	EphemeralStorage *EphemeralStorage
	TracingConfig    *TracingConfig
	LoggingConfig    *LoggingConfig
	PackageType      string
	Layers           []string
	Publish          bool
	Tags             map[string]string
	// ReservedConcurrentExecutions is not part of CreateFunction on AWS
	// (it is PutFunctionConcurrency); CloudFormation sets both at once.
	ReservedConcurrentExecutions *int `json:"-"`
}

// UpdateFunctionCodeInput is the request of UpdateFunctionCode.
// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
type UpdateFunctionCodeInput struct {
	FunctionName    string `json:"-"`
	S3Bucket        string
	S3Key           string
	S3ObjectVersion string
	ZipFile         []byte
	ImageURI        string `json:"ImageUri"`
	Architectures   []string
	Publish         bool
	RevisionID      string `json:"RevisionId"`
}

// UpdateFunctionConfigurationInput is the request of
// UpdateFunctionConfiguration: nil fields are left as they are.
// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
type UpdateFunctionConfigurationInput struct {
	FunctionName     string `json:"-"`
	Runtime          *string
	Role             *string
	Handler          *string
	Description      *string
	Timeout          *int
	MemorySize       *int
	Environment      *Environment
	EphemeralStorage *EphemeralStorage
	TracingConfig    *TracingConfig
	LoggingConfig    *LoggingConfig
	Layers           []string
	RevisionID       string `json:"RevisionId"`
}

// CreateAliasInput is the request of CreateAlias and UpdateAlias.
type CreateAliasInput struct {
	FunctionName    string `json:"-"`
	Name            string
	FunctionVersion string
	Description     string
	RoutingConfig   *AliasRoutingConfiguration
}

// AddPermissionInput is the request of AddPermission. The statement is kept
// and returned by GetPolicy; the local cloud does not enforce it.
type AddPermissionInput struct {
	FunctionName        string `json:"-"`
	Qualifier           string `json:"-"`
	StatementID         string `json:"StatementId"`
	Action              string
	Principal           string
	SourceArn           string
	SourceAccount       string
	EventSourceToken    string
	PrincipalOrgID      string
	FunctionURLAuthType string `json:"FunctionUrlAuthType"`
}

// version is one version of a function as stored: its configuration and
// the digest (hex SHA-256) of its code zip.
type version struct {
	Config FunctionConfiguration
	Code   string
	// Source is where the code was copied from, for GetFunction's Location.
	Source codeSource `json:",omitempty"`
}

type codeSource struct {
	Bucket string `json:",omitempty"`
	Key    string `json:",omitempty"`
}

// policyStatement is one statement of a function's resource policy.
type policyStatement struct {
	Sid       string
	Qualifier string `json:",omitempty"`
	Action    string
	Principal string
	SourceArn string `json:",omitempty"`
	Account   string `json:",omitempty"`
	OrgID     string `json:",omitempty"`
}

// function is everything stored about one function, one document per
// function in the store.
type function struct {
	Latest      version
	Versions    []version // published, in order
	NextVersion int
	Aliases     map[string]AliasConfiguration
	Tags        map[string]string
	Reserved    *int
	Policy      []policyStatement
	Created     time.Time
}

func (f *function) version(q string) (version, bool) {
	if q == "" || q == LatestVersion {
		return f.Latest, true
	}
	for _, v := range f.Versions {
		if v.Config.Version == q {
			return v, true
		}
	}
	return version{}, false
}
