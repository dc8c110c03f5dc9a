//go:build !lambdabinary

package main

import (
	"context"

	"github.com/awslabs/goformation/v7/cloudformation/sns"

	sparta "github.com/sparta-go/sparta"
)

func init() {
	extraDecorators = append(extraDecorators, sparta.NamedDecorator("notice topic",
		sparta.ServiceDecoratorFunc(func(_ context.Context, sc *sparta.ServiceContext) error {
			sc.Template.Resources[TopicID] = &sns.Topic{}
			return nil
		})))
}
