//go:build lambdabinary

package cfn

import (
	"context"

	"github.com/sparta-go/sparta/service"
)

// DataDecorator returns a decorator that does nothing: decorators never run
// inside AWS Lambda, and this build must not link goformation.
func DataDecorator([]*service.DynamoDBTable, []*service.SQSQueue) service.ServiceDecoratorHookHandler {
	return service.ServiceDecoratorFunc(func(context.Context, *service.ServiceContext) error { return nil })
}
