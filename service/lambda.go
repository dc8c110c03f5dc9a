package service

import (
	"errors"
	"fmt"
	"regexp"
)

// LambdaAWSInfo is one Go function deployed as an AWS Lambda function. Create
// it with NewAWSLambda; set Options to change memory, timeout and the rest.
type LambdaAWSInfo struct {
	// Name is the user-facing function name. It is the Lambda Handler value,
	// the key the Lambda binary dispatches on, and the base of logical IDs.
	Name string
	// Handler is the Go function, one of the eight aws-lambda-go shapes.
	Handler any
	// Role is the IAM role the function runs as.
	Role IAMRoleDefinition
	// Options tunes the function. NewAWSLambda fills it with Sparta's
	// defaults; nil means every AWS default.
	Options *LambdaFunctionOptions
	// Permissions are the push event sources that invoke the function: S3
	// notifications, SNS subscriptions, EventBridge/CloudWatch Events rules.
	Permissions []LambdaPermissionExporter
	// EventSourceMappings are the queues and streams Lambda polls for it.
	EventSourceMappings []*EventSourceMapping

	shape HandlerShape
}

// functionNamePattern is what the Lambda API accepts as a function name
// (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
var functionNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// NewAWSLambda declares a Lambda function named name whose code is handler, a
// Go function of one of the shapes aws-lambda-go documents:
//
//	func()
//	func() error
//	func(TIn) error
//	func() (TOut, error)
//	func(context.Context) error
//	func(context.Context, TIn) error
//	func(context.Context) (TOut, error)
//	func(context.Context, TIn) (TOut, error)
//
// TIn and TOut must survive encoding/json (no channels, functions or complex
// numbers). The error names the function and shows the handler's signature.
func NewAWSLambda(name string, handler any, role IAMRoleDefinition) (*LambdaAWSInfo, error) {
	info := &LambdaAWSInfo{Name: name, Handler: handler, Role: role, Options: DefaultLambdaFunctionOptions()}
	var errs []error
	if err := validateFunctionName(name); err != nil {
		errs = append(errs, err)
	}
	shape, err := InspectHandler(handler)
	if err != nil {
		errs = append(errs, fmt.Errorf("function %q: %w", name, err))
	}
	info.shape = shape
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return info, nil
}

// Shape reports the handler's input and output types.
func (l *LambdaAWSInfo) Shape() HandlerShape {
	if l.shape.Type == nil && l.Handler != nil {
		l.shape, _ = InspectHandler(l.Handler)
	}
	return l.shape
}

// Validate checks one function completely: its name, handler shape, role
// and options. Every problem is reported, each naming the function.
func (l *LambdaAWSInfo) Validate() error {
	if l == nil {
		return errors.New("nil *LambdaAWSInfo: build functions with sparta.NewAWSLambda")
	}
	var errs []error
	if err := validateFunctionName(l.Name); err != nil {
		errs = append(errs, err)
	}
	if _, err := InspectHandler(l.Handler); err != nil {
		errs = append(errs, fmt.Errorf("function %q: %w", l.Name, err))
	}
	for _, err := range l.Role.validate() {
		errs = append(errs, fmt.Errorf("function %q: role: %w", l.Name, err))
	}
	if l.Options != nil {
		for _, err := range l.Options.validate() {
			errs = append(errs, fmt.Errorf("function %q: options: %w", l.Name, err))
		}
	}
	for i, p := range l.Permissions {
		if p == nil {
			errs = append(errs, fmt.Errorf("function %q: Permissions[%d] is nil", l.Name, i))
			continue
		}
		if err := p.Validate(l.Name); err != nil {
			errs = append(errs, err)
		}
	}
	for _, m := range l.EventSourceMappings {
		if err := m.Validate(l.Name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ValidateLambdas validates every function and the set as a whole (unique
// names), returning all problems at once so users fix them in one pass.
func ValidateLambdas(lambdas []*LambdaAWSInfo) error {
	var errs []error
	seen := map[string]int{}
	for i, l := range lambdas {
		if l == nil {
			errs = append(errs, fmt.Errorf("lambda functions[%d] is nil: build functions with sparta.NewAWSLambda", i))
			continue
		}
		if err := l.Validate(); err != nil {
			errs = append(errs, err)
		}
		if first, dup := seen[l.Name]; dup {
			errs = append(errs, fmt.Errorf("function %q: declared twice (positions %d and %d); function names must be unique", l.Name, first, i))
			continue
		}
		seen[l.Name] = i
	}
	return errors.Join(errs...)
}

func validateFunctionName(name string) error {
	if !functionNamePattern.MatchString(name) {
		return fmt.Errorf("function %q: invalid name: use 1 to 64 letters, digits, '-' or '_'", name)
	}
	return nil
}
