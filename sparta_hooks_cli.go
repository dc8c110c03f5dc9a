//go:build !lambdabinary

package sparta

import "github.com/sparta-go/sparta/service"

// ServiceDecoratorHookFunc adapts Sparta's positional decorator shape, with
// goformation's *cloudformation.Template and an aws.Config, to
// ServiceDecoratorHookHandler:
//
//	sparta.ServiceDecoratorHookFunc(func(context map[string]interface{},
//		serviceName string, template *cloudformation.Template,
//		S3Bucket, S3Key, buildID string, awsConfig aws.Config,
//		noop bool, logger *logrus.Logger) error { ... })
type ServiceDecoratorHookFunc = service.ServiceDecoratorHookFunc

// ServiceDecoratorHook is Sparta's name for the positional decorator shape.
type ServiceDecoratorHook = service.ServiceDecoratorHook

// ServiceValidationHookFunc adapts Sparta's positional validator shape to
// ServiceValidationHookHandler.
type ServiceValidationHookFunc = service.ServiceValidationHookFunc

// ServiceValidationHook is Sparta's name for the positional validator shape.
type ServiceValidationHook = service.ServiceValidationHook
