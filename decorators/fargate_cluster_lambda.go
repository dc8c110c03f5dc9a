//go:build lambdabinary

package decorators

import (
	"context"

	"github.com/sparta-go/sparta/service"
)

var _ service.ServiceDecoratorHookHandler = (*FargateCluster)(nil)

// DecorateService does nothing in the Lambda build: decorators never run
// there, and it must not link goformation.
func (c *FargateCluster) DecorateService(context.Context, *service.ServiceContext) error { return nil }
