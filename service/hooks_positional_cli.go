//go:build !lambdabinary

package service

import (
	"archive/zip"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/sirupsen/logrus"
)

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
