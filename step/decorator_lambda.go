//go:build lambdabinary

package step

import (
	"context"

	"github.com/sparta-go/sparta/service"
)

// StateMachineDecorator returns a decorator that does nothing: decorators
// never run inside AWS Lambda, and this build must not link goformation.
func (sm *StateMachine) StateMachineDecorator() service.ServiceDecoratorHookHandler {
	return service.ServiceDecoratorFunc(func(context.Context, *service.ServiceContext) error { return nil })
}
