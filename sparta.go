// Package sparta turns one Go main package into a serverless service on AWS:
// Lambda functions written as ordinary Go handlers, Step Functions state
// machines declared as typed Go values (package step), and decorators that add
// any other resource, all provisioned with CloudFormation by the CLI that
// MainEx gives the program.
//
// The same program, built with the lambdabinary tag and started by AWS Lambda,
// serves the handler that Lambda asks for instead of the CLI.
//
// The declarative types are defined in package service (so that step can use
// them without importing this package) and re-exported here under the names
// users write.
package sparta

import (
	"fmt"

	"github.com/sparta-go/sparta/service"
)

// Version is the framework version, recorded in template metadata and logs.
const Version = "0.1.0"

// LambdaAWSInfo is one Go function deployed as an AWS Lambda function.
type LambdaAWSInfo = service.LambdaAWSInfo

// LambdaFunctionOptions are a function's memory, timeout, environment, tags,
// architecture, reserved concurrency, ephemeral storage and log retention.
type LambdaFunctionOptions = service.LambdaFunctionOptions

// IAMRoleDefinition is the role a function runs as.
type IAMRoleDefinition = service.IAMRoleDefinition

// IAMRolePrivilege is one Allow statement of a function's role.
type IAMRolePrivilege = service.IAMRolePrivilege

// Architecture is a Lambda instruction set architecture.
type Architecture = service.Architecture

// The Lambda architectures; arm64 is the default.
const (
	ArchARM64  = service.ArchARM64
	ArchX86_64 = service.ArchX86_64
)

// WorkflowHooks are the user's extension points into provisioning.
type WorkflowHooks = service.WorkflowHooks

// ServiceDecoratorHookHandler adds resources to the service's template.
type ServiceDecoratorHookHandler = service.ServiceDecoratorHookHandler

// ServiceDecoratorFunc adapts a func(ctx, *ServiceContext) error to
// ServiceDecoratorHookHandler. ServiceDecoratorHookFunc adapts Sparta's
// positional shape.
type ServiceDecoratorFunc = service.ServiceDecoratorFunc

// WorkflowHook is Sparta's positional workflow hook (PreBuild, PostBuild,
// PreMarshall, PostMarshall), with an aws.Config for Sparta's session.
type WorkflowHook = service.WorkflowHook

// WorkflowHookFunc adapts a WorkflowHook to WorkflowHookHandler.
type WorkflowHookFunc = service.WorkflowHookFunc

// WorkflowHookHandler is a workflow hook.
type WorkflowHookHandler = service.WorkflowHookHandler

// ArchiveHook adds files to a code zip.
type ArchiveHook = service.ArchiveHook

// ArchiveHookFunc adapts an ArchiveHook to ArchiveHookHandler.
type ArchiveHookFunc = service.ArchiveHookFunc

// ArchiveHookHandler is an archive hook.
type ArchiveHookHandler = service.ArchiveHookHandler

// RollbackHook is called when provisioning fails.
type RollbackHook = service.RollbackHook

// RollbackHookFunc adapts a RollbackHook to RollbackHookHandler.
type RollbackHookFunc = service.RollbackHookFunc

// RollbackHookHandler is a rollback hook.
type RollbackHookHandler = service.RollbackHookHandler

// ServiceValidationHookHandler checks the finished template.
type ServiceValidationHookHandler = service.ServiceValidationHookHandler

// ServiceContext is what every decorator receives.
type ServiceContext = service.ServiceContext

// Artifact is an object in S3, such as a function's code zip.
type Artifact = service.Artifact

// NewAWSLambda declares a Lambda function named name whose code is handler,
// one of the eight aws-lambda-go handler shapes. As in Sparta, role is an
// IAMRoleDefinition (a role the framework creates) or a string naming an
// existing role; Options come pre-filled with Sparta's defaults.
func NewAWSLambda(name string, handler any, roleNameOrIAMRoleDefinition any) (*LambdaAWSInfo, error) {
	var role IAMRoleDefinition
	switch r := roleNameOrIAMRoleDefinition.(type) {
	case IAMRoleDefinition:
		role = r
	case *IAMRoleDefinition:
		if r != nil {
			role = *r
		}
	case string:
		if r == "" {
			return nil, fmt.Errorf("function %q: the role name is empty: pass an existing role's name or a sparta.IAMRoleDefinition", name)
		}
		role = IAMRoleDefinition{ExistingRole: r}
	default:
		return nil, fmt.Errorf("function %q: role of type %T: pass a sparta.IAMRoleDefinition or an existing role's name", name, roleNameOrIAMRoleDefinition)
	}
	return service.NewAWSLambda(name, handler, role)
}

// NamedDecorator gives a decorator the name logs and errors use.
func NamedDecorator(name string, d ServiceDecoratorHookHandler) ServiceDecoratorHookHandler {
	return service.NamedDecorator(name, d)
}

// Main is MainEx without workflow hooks, with Sparta's parameters: the
// service's name and description, its functions, an optional API Gateway
// REST API and an optional static website.
func Main(serviceName, description string, lambdas []*LambdaAWSInfo, api *API, site *S3Site) error {
	return MainEx(serviceName, description, lambdas, api, site, nil, false)
}
