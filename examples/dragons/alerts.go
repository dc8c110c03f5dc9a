//go:build !lambdabinary

package main

import (
	"context"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"

	sparta "github.com/sparta-go/sparta"
)

// The alerts topic touches the template, so it is added only in the CLI
// build; the Lambda binary never runs decorators.
func init() {
	extraDecorators = append(extraDecorators, sparta.NamedDecorator("dragon alerts topic",
		sparta.ServiceDecoratorFunc(func(ctx context.Context, sc *sparta.ServiceContext) error {
			sc.Template.Resources[alertsTopic] = &sns.Topic{DisplayName: cloudformation.String("Dragon alerts")}
			sc.Template.Outputs[alertsTopic+"Arn"] = cloudformation.Output{Value: cloudformation.Ref(alertsTopic)}
			return nil
		})))
}
