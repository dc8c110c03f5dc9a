//go:build !lambdabinary

package main

import (
	"context"
	"os"

	"github.com/awslabs/goformation/v7/cloudformation/sqs"

	sparta "github.com/sparta-go/sparta"
)

func init() {
	decorators = append(decorators, sparta.ServiceDecoratorHookFunc(func(ctx context.Context, sc *sparta.ServiceContext) error {
		if os.Getenv("SPARTA_TEST_BAD_RESOURCE") == "1" {
			sc.Template.Resources["Queue"] = &sqs.Queue{}
		}
		return nil
	}))
}
