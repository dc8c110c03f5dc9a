//go:build !lambdabinary

// Package eventsource emits the CloudFormation of a function's event
// sources: the push sources of LambdaAWSInfo.Permissions (an
// AWS::Lambda::Permission scoped to its source, plus the notification,
// subscription or rule that makes the source invoke) and the pull sources
// of LambdaAWSInfo.EventSourceMappings (AWS::Lambda::EventSourceMapping).
package eventsource

import (
	"errors"
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// Add emits every event source of fn, whose own resources AddFunction
// added as res, into t. Every problem is reported, each naming fn.
func Add(t *cloudformation.Template, serviceName string, fn *service.LambdaAWSInfo, res cfn.FunctionResources) error {
	var errs []error
	for i, p := range fn.Permissions {
		if err := addPermission(t, serviceName, fn, res, i, p); err != nil {
			errs = append(errs, err)
		}
	}
	for i, m := range fn.EventSourceMappings {
		if err := addMapping(t, serviceName, fn, res, i, m); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// addPermission dispatches on the kind of push source; values and pointers
// are both accepted, as the methods have value receivers.
func addPermission(t *cloudformation.Template, serviceName string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.LambdaPermissionExporter) error {
	switch p := p.(type) {
	case service.LambdaPermission:
		return addLambdaPermission(t, fn, res, i, p)
	case *service.LambdaPermission:
		return addLambdaPermission(t, fn, res, i, *p)
	case service.S3Permission:
		return addS3(t, serviceName, fn, res, i, p)
	case *service.S3Permission:
		return addS3(t, serviceName, fn, res, i, *p)
	case service.SNSPermission:
		return addSNS(t, serviceName, fn, res, i, p)
	case *service.SNSPermission:
		return addSNS(t, serviceName, fn, res, i, *p)
	case service.CloudWatchEventsPermission:
		return addCloudWatchEvents(t, serviceName, fn, res, i, p)
	case *service.CloudWatchEventsPermission:
		return addCloudWatchEvents(t, serviceName, fn, res, i, *p)
	case service.EventBridgePermission:
		return addEventBridge(t, serviceName, fn, res, i, p)
	case *service.EventBridgePermission:
		return addEventBridge(t, serviceName, fn, res, i, *p)
	case nil:
		return fmt.Errorf("function %q: Permissions[%d] is nil", fn.Name, i)
	default:
		return fmt.Errorf("function %q: Permissions[%d] is a %T, which this framework cannot emit: use S3Permission, SNSPermission, CloudWatchEventsPermission, EventBridgePermission or LambdaPermission", fn.Name, i, p)
	}
}
