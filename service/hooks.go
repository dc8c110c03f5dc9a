package service

import (
	"archive/zip"
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/sirupsen/logrus"
)

// WorkflowHooks are the user's extension points into provisioning, with
// every field Sparta 1.15 has. Each singular hook runs before the hooks of
// its plural list. Context seeds the map that every hook receives (and that
// decorators see as ServiceContext.Values).
//
// The order is Sparta's: PreBuild(s), compile, PostBuild(s), Archive(s)
// into each code zip, PreMarshall(s), ServiceDecorator then
// ServiceDecorators, Validators over the finished template, PostMarshall(s);
// Rollback(s) run when provisioning fails after validation.
type WorkflowHooks struct {
	// Context is the initial hook context; may be nil.
	Context map[string]interface{}
	// PreBuild is called before the service's binary is compiled.
	PreBuild WorkflowHook
	// PreBuilds are called before the service's binary is compiled.
	PreBuilds []WorkflowHookHandler
	// PostBuild is called after the service's binary is compiled.
	PostBuild WorkflowHook
	// PostBuilds are called after the service's binary is compiled.
	PostBuilds []WorkflowHookHandler
	// Archive is called after the binary is added to a code zip and before
	// the zip is closed, to add resource files to the Lambda package.
	Archive ArchiveHook
	// Archives are called like Archive.
	Archives []ArchiveHookHandler
	// PreMarshall is called before the template is assembled.
	PreMarshall WorkflowHook
	// PreMarshalls are called before the template is assembled.
	PreMarshalls []WorkflowHookHandler
	// ServiceDecorator runs before ServiceDecorators: a state machine's
	// StateMachineDecorator(), or a positional Sparta decorator wrapped in
	// ServiceDecoratorHookFunc.
	ServiceDecorator ServiceDecoratorHookHandler
	// ServiceDecorators run in order over the template after the functions
	// are added: a state machine, an image builder, a Fargate cluster...
	ServiceDecorators []ServiceDecoratorHookHandler
	// PostMarshall is called after the template is written.
	PostMarshall WorkflowHook
	// PostMarshalls are called after the template is written.
	PostMarshalls []WorkflowHookHandler
	// Validators are called when all decorators have run, with the finished
	// template; an error stops provisioning before anything is deployed.
	Validators []ServiceValidationHookHandler
	// Rollback is called when provisioning fails after validation.
	Rollback RollbackHook
	// Rollbacks are called when provisioning fails after validation.
	Rollbacks []RollbackHookHandler
}

// Decorators lists ServiceDecorator (when set) then ServiceDecorators, the
// order provisioning runs them in.
func (h *WorkflowHooks) Decorators() []ServiceDecoratorHookHandler {
	if h == nil {
		return nil
	}
	if h.ServiceDecorator == nil {
		return h.ServiceDecorators
	}
	return append([]ServiceDecoratorHookHandler{h.ServiceDecorator}, h.ServiceDecorators...)
}

// WorkflowHook is Sparta's positional workflow hook, with the AWS SDK v2's
// aws.Config where Sparta passed a v1 *session.Session.
type WorkflowHook func(context map[string]interface{},
	serviceName string,
	S3Bucket string,
	buildID string,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger) error

// WorkflowHookFunc adapts a WorkflowHook to WorkflowHookHandler.
type WorkflowHookFunc func(context map[string]interface{},
	serviceName string,
	S3Bucket string,
	buildID string,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger) error

// DecorateWorkflow calls f.
func (f WorkflowHookFunc) DecorateWorkflow(context map[string]interface{}, serviceName, S3Bucket, buildID string, awsConfig aws.Config, noop bool, logger *logrus.Logger) error {
	return f(context, serviceName, S3Bucket, buildID, awsConfig, noop, logger)
}

// WorkflowHookHandler is a workflow hook.
type WorkflowHookHandler interface {
	DecorateWorkflow(context map[string]interface{}, serviceName, S3Bucket, buildID string, awsConfig aws.Config, noop bool, logger *logrus.Logger) error
}

// ArchiveHook adds files to a code zip before it is closed.
type ArchiveHook func(context map[string]interface{},
	serviceName string,
	zipWriter *zip.Writer,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger) error

// ArchiveHookFunc adapts an ArchiveHook to ArchiveHookHandler.
type ArchiveHookFunc func(context map[string]interface{},
	serviceName string,
	zipWriter *zip.Writer,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger) error

// DecorateArchive calls f.
func (f ArchiveHookFunc) DecorateArchive(context map[string]interface{}, serviceName string, zipWriter *zip.Writer, awsConfig aws.Config, noop bool, logger *logrus.Logger) error {
	return f(context, serviceName, zipWriter, awsConfig, noop, logger)
}

// ArchiveHookHandler is an archive hook.
type ArchiveHookHandler interface {
	DecorateArchive(context map[string]interface{}, serviceName string, zipWriter *zip.Writer, awsConfig aws.Config, noop bool, logger *logrus.Logger) error
}

// RollbackHook is called when provisioning fails.
type RollbackHook func(context map[string]interface{},
	serviceName string,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger)

// RollbackHookFunc adapts a RollbackHook to RollbackHookHandler.
type RollbackHookFunc func(context map[string]interface{},
	serviceName string,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger)

// Rollback calls f.
func (f RollbackHookFunc) Rollback(context map[string]interface{}, serviceName string, awsConfig aws.Config, noop bool, logger *logrus.Logger) error {
	f(context, serviceName, awsConfig, noop, logger)
	return nil
}

// RollbackHookHandler is a rollback hook.
type RollbackHookHandler interface {
	Rollback(context map[string]interface{}, serviceName string, awsConfig aws.Config, noop bool, logger *logrus.Logger) error
}

// ServiceValidationHookHandler checks the finished template. Sparta's
// positional shape is ServiceValidationHookFunc.
type ServiceValidationHookHandler interface {
	ValidateService(ctx context.Context, sc *ServiceContext) error
}
