package service

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Architecture is a Lambda instruction set architecture.
type Architecture string

// The architectures Lambda runs. The zero value means ArchARM64, which costs
// less per millisecond for Go code that has no native dependencies.
const (
	ArchARM64  Architecture = "arm64"
	ArchX86_64 Architecture = "x86_64"
)

// GOARCH is the Go toolchain name of the architecture.
func (a Architecture) GOARCH() string {
	if a == ArchX86_64 {
		return "amd64"
	}
	return "arm64"
}

// Or returns a, or def when a is empty.
func (a Architecture) Or(def Architecture) Architecture {
	if a == "" {
		return def
	}
	return a
}

// ArchitectureForGOARCH maps a Go architecture name to Lambda's.
func ArchitectureForGOARCH(goarch string) (Architecture, error) {
	switch goarch {
	case "arm64":
		return ArchARM64, nil
	case "amd64":
		return ArchX86_64, nil
	}
	return "", fmt.Errorf("GOARCH %q has no Lambda architecture; Lambda runs arm64 and x86_64 (amd64)", goarch)
}

// ParseArchitecture accepts arm64, x86_64 and the Go spelling amd64.
func ParseArchitecture(s string) (Architecture, error) {
	switch s {
	case "arm64":
		return ArchARM64, nil
	case "x86_64", "amd64":
		return ArchX86_64, nil
	}
	return "", fmt.Errorf("architecture %q is not one Lambda runs: use arm64 or x86_64", s)
}

// LambdaFunctionOptions are the per-function settings of
// AWS::Lambda::Function, with Sparta's field names and types. NewAWSLambda
// fills them with Sparta's defaults (DefaultLambdaFunctionOptions); in a
// struct built by hand, zero values mean the AWS defaults.
type LambdaFunctionOptions struct {
	Description string
	// MemorySize in MB, 128 to 10240 (default 128).
	MemorySize int64
	// Timeout in seconds, 1 to 900 (default 3), as Sparta and the
	// AWS::Lambda::Function Timeout property count it.
	Timeout int64
	// Environment variables given to the function.
	Environment map[string]string
	// Tags on the function, beside the sparta:service tag the framework adds.
	Tags map[string]string
	// Architecture, arm64 (default) or x86_64.
	Architecture Architecture
	// ReservedConcurrentExecutions, when set, reserves (or with 0, stops)
	// concurrency for this function.
	ReservedConcurrentExecutions *int
	// EphemeralStorage is the /tmp size in MB, 512 to 10240 (default 512).
	EphemeralStorage int
	// LogRetentionInDays is the log group's retention; 0 keeps logs forever.
	LogRetentionInDays int
}

// Limits from the Lambda and CloudWatch Logs API references.
const (
	MinMemoryMB           = 128
	MaxMemoryMB           = 10240
	MinTimeoutSeconds     = 1
	MaxTimeoutSeconds     = 900
	MinEphemeralStorageMB = 512
	MaxEphemeralStorageMB = 10240
	maxEnvironmentBytes   = 4096
	maxTags               = 50
)

// Sparta's defaults for a new function's options.
const (
	DefaultMemorySizeMB   = 128
	DefaultTimeoutSeconds = 3
)

// DefaultLambdaFunctionOptions are the options NewAWSLambda starts every
// function with, Sparta's: 128 MB, 3 seconds, an empty environment, so that
// lambdaFn.Options.MemorySize = 256 works on a new function.
func DefaultLambdaFunctionOptions() *LambdaFunctionOptions {
	return &LambdaFunctionOptions{
		MemorySize:  DefaultMemorySizeMB,
		Timeout:     DefaultTimeoutSeconds,
		Environment: map[string]string{},
	}
}

// logRetentionDays are the values AWS::Logs::LogGroup RetentionInDays takes.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var envKeyPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// reservedEnvKeys are set by the Lambda runtime and cannot be overridden
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
var reservedEnvKeys = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

// validate reports every out-of-range option; the caller adds the function name.
func (o *LambdaFunctionOptions) validate() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if o.MemorySize != 0 && (o.MemorySize < MinMemoryMB || o.MemorySize > MaxMemoryMB) {
		add("MemorySize %d MB is out of range: use %d to %d MB", o.MemorySize, MinMemoryMB, MaxMemoryMB)
	}
	if o.Timeout != 0 && (o.Timeout < MinTimeoutSeconds || o.Timeout > MaxTimeoutSeconds) {
		add("Timeout %d seconds is out of range: use %d to %d seconds (Timeout counts seconds, as in Sparta)", o.Timeout, MinTimeoutSeconds, MaxTimeoutSeconds)
	}
	if o.Architecture != "" && o.Architecture != ArchARM64 && o.Architecture != ArchX86_64 {
		add("Architecture %q is not one Lambda runs: use arm64 or x86_64", o.Architecture)
	}
	if r := o.ReservedConcurrentExecutions; r != nil && *r < 0 {
		add("ReservedConcurrentExecutions %d is negative: use 0 or more", *r)
	}
	if o.EphemeralStorage != 0 && (o.EphemeralStorage < MinEphemeralStorageMB || o.EphemeralStorage > MaxEphemeralStorageMB) {
		add("EphemeralStorage %d MB is out of range: use %d to %d MB", o.EphemeralStorage, MinEphemeralStorageMB, MaxEphemeralStorageMB)
	}
	if d := o.LogRetentionInDays; d != 0 && !slices.Contains(logRetentionDays, d) {
		add("LogRetentionInDays %d is not a value CloudWatch Logs accepts: use one of %v", d, logRetentionDays)
	}
	size := 0
	for _, k := range sortedKeys(o.Environment) {
		size += len(k) + len(o.Environment[k])
		switch {
		case !envKeyPattern.MatchString(k):
			add("Environment key %q is invalid: start with a letter, then letters, digits or '_'", k)
		case slices.Contains(reservedEnvKeys, k):
			add("Environment key %q is reserved by the Lambda runtime: choose another name", k)
		}
	}
	if size > maxEnvironmentBytes {
		add("Environment is %d bytes, over Lambda's 4 KB limit", size)
	}
	if len(o.Tags) > maxTags-1 {
		add("%d Tags is too many: Lambda allows %d and the framework adds sparta:service", len(o.Tags), maxTags)
	}
	for _, k := range sortedKeys(o.Tags) {
		v := o.Tags[k]
		switch {
		case k == "" || len(k) > 128:
			add("Tag key %q must be 1 to 128 characters", k)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			add("Tag key %q uses the reserved aws: prefix", k)
		case len(v) > 256:
			add("Tag %q value is %d characters, over the 256 limit", k, len(v))
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// SortedKeys returns the keys of m in order, for deterministic output.
func SortedKeys[V any](m map[string]V) []string { return sortedKeys(m) }
