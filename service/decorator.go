package service

import (
	"context"
	"fmt"
)

// Artifact is an object in S3: where a function's code zip was uploaded.
type Artifact struct {
	Bucket string
	Key    string
}

// ServiceDecoratorHookHandler adds resources to a service's template. The
// provision workflow runs each decorator in order over one ServiceContext;
// an error stops provisioning and names the decorator.
type ServiceDecoratorHookHandler interface {
	DecorateService(ctx context.Context, sc *ServiceContext) error
}

// ServiceDecoratorFunc adapts a function to ServiceDecoratorHookHandler.
// (ServiceDecoratorHookFunc is Sparta's positional shape of the same hook.)
type ServiceDecoratorFunc func(ctx context.Context, sc *ServiceContext) error

// DecorateService calls f.
func (f ServiceDecoratorFunc) DecorateService(ctx context.Context, sc *ServiceContext) error {
	return f(ctx, sc)
}

// NamedDecorator gives a decorator a name that provisioning logs and errors
// use; without one they show the decorator's Go type.
func NamedDecorator(name string, d ServiceDecoratorHookHandler) ServiceDecoratorHookHandler {
	return namedDecorator{name: name, ServiceDecoratorHookHandler: d}
}

type namedDecorator struct {
	name string
	ServiceDecoratorHookHandler
}

func (n namedDecorator) String() string { return n.name }

// Unwrap returns the decorator that was named, so callers can reach its
// other methods (a Validate method, say).
func (n namedDecorator) Unwrap() ServiceDecoratorHookHandler { return n.ServiceDecoratorHookHandler }

// Unwrap returns the decorator inside any NamedDecorator wrappers.
func Unwrap(d ServiceDecoratorHookHandler) ServiceDecoratorHookHandler {
	for {
		u, ok := d.(interface {
			Unwrap() ServiceDecoratorHookHandler
		})
		if !ok {
			return d
		}
		d = u.Unwrap()
	}
}

// DecoratorName is how logs and errors refer to decorator number i.
func DecoratorName(i int, d ServiceDecoratorHookHandler) string {
	if s, ok := d.(fmt.Stringer); ok {
		return fmt.Sprintf("service decorator %d (%s)", i, s.String())
	}
	return fmt.Sprintf("service decorator %d (%T)", i, d)
}
