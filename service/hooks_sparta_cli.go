//go:build !lambdabinary

package service

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sirupsen/logrus"
)

// ServiceDecoratorHook is Sparta's positional service decorator, with
// goformation's *cloudformation.Template where Sparta had go-cloudformation's
// and an aws.Config where it had a v1 *session.Session: porting one is a type
// swap. Wrap it in ServiceDecoratorHookFunc to use it as a decorator.
type ServiceDecoratorHook = ServiceDecoratorHookFunc

// ServiceDecoratorHookFunc adapts Sparta's positional decorator shape to
// ServiceDecoratorHookHandler: context is ServiceContext.Values (shared by
// every hook), S3Bucket and S3Key are the code artifact's.
type ServiceDecoratorHookFunc func(context map[string]interface{},
	serviceName string,
	template *cloudformation.Template,
	S3Bucket string,
	S3Key string,
	buildID string,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger) error

// DecorateService calls f with the context's fields in Sparta's order.
func (f ServiceDecoratorHookFunc) DecorateService(_ context.Context, sc *ServiceContext) error {
	return f(sc.Values, sc.Service, sc.Template, sc.Code.Bucket, sc.Code.Key, sc.BuildID, sc.AWS, sc.Noop, sc.Logger())
}

// ServiceValidationHook is Sparta's positional template validator.
type ServiceValidationHook = ServiceValidationHookFunc

// ServiceValidationHookFunc adapts Sparta's positional validator shape to
// ServiceValidationHookHandler.
type ServiceValidationHookFunc func(context map[string]interface{},
	serviceName string,
	template *cloudformation.Template,
	S3Bucket string,
	S3Key string,
	buildID string,
	awsConfig aws.Config,
	noop bool,
	logger *logrus.Logger) error

// ValidateService calls f with the context's fields in Sparta's order.
func (f ServiceValidationHookFunc) ValidateService(_ context.Context, sc *ServiceContext) error {
	return f(sc.Values, sc.Service, sc.Template, sc.Code.Bucket, sc.Code.Key, sc.BuildID, sc.AWS, sc.Noop, sc.Logger())
}

// Logger is the context's logger as the *logrus.Logger Sparta's hooks take
// (the standard logger when Log is not a logrus logger or entry).
func (sc *ServiceContext) Logger() *logrus.Logger {
	return AsLogrusLogger(sc.Log)
}

// AsLogrusLogger returns the *logrus.Logger behind log.
func AsLogrusLogger(log logrus.FieldLogger) *logrus.Logger {
	switch l := log.(type) {
	case *logrus.Logger:
		return l
	case *logrus.Entry:
		return l.Logger
	}
	return logrus.StandardLogger()
}
