//go:build lambdabinary

package decorators

import (
	"context"

	"github.com/sparta-go/sparta/service"
)

var _ service.ServiceDecoratorHookHandler = (*ECRImageBuilder)(nil)

// DecorateService does nothing in the Lambda build: decorators never run
// there, and it must not link Docker or the AWS SDK.
func (b *ECRImageBuilder) DecorateService(context.Context, *service.ServiceContext) error { return nil }
