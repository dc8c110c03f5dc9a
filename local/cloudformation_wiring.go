package local

import (
	"context"
	"errors"
	"fmt"

	"github.com/sparta-go/sparta/local/cloudformation"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/resource"
)

// providerOwner is a service that owns CloudFormation resource types.
type providerOwner interface {
	Providers() map[string]resource.Provider
}

// withCloudFormation builds the CloudFormation service last, over the
// providers of every other service: factories cannot look each other up
// while the cloud is being built, and CloudFormation needs them all. Being
// last, it is also closed first, so stack operations stop before the
// services they drive.
func (c *Cloud) withCloudFormation(services []core.Service) ([]core.Service, error) {
	registry := resource.Registry{}
	var params cloudformation.ParameterStore
	for _, s := range services {
		if ps, ok := s.(cloudformation.ParameterStore); ok {
			params = ps
		}
		if s.Name() == "cloudformation" {
			return services, nil // a test supplied its own
		}
		if owner, ok := s.(providerOwner); ok {
			if err := registry.Register(owner.Providers()); err != nil {
				return nil, fmt.Errorf("local: %s: %w", s.Name(), err)
			}
		}
	}
	cf, err := cloudformation.New(cloudformation.Config{
		Store:      c.store.Collection("cloudformation"),
		Region:     c.env.Region,
		AccountID:  c.env.AccountID,
		Providers:  registry,
		Templates:  cloudformation.S3Templates{Env: c.env},
		Parameters: params,
		Log:        c.env.Log,
		Clock:      c.env.Clock.Now,
		Functions:  lambdaFunctions{c.env},
		Endpoint:   c.env.Endpoint,

		CustomResourceTimeout: c.opts.CustomResourceTimeout,
	})
	if err != nil {
		return nil, fmt.Errorf("local: starting cloudformation: %w", err)
	}
	return append(services, cf), nil
}

// lambdaFunctions runs custom resources' functions on the cloud's Lambda
// service, looked up when first needed.
type lambdaFunctions struct{ env *core.Env }

// InvokeFunction invokes the function and waits for it to end.
func (l lambdaFunctions) InvokeFunction(ctx context.Context, arn string, payload []byte) (string, []byte, error) {
	svc, ok := l.env.Lookup("lambda")
	s, isLambda := svc.(*lambda.Service)
	if !ok || !isLambda {
		return "", nil, errors.New("the local cloud runs no Lambda service to run the custom resource's function")
	}
	res, err := s.Invoke(ctx, arn, payload)
	if err != nil {
		return "", nil, err
	}
	return res.FunctionError, res.Payload, nil
}
