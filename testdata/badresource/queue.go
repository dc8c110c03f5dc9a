//go:build !lambdabinary

package main

import (
	"context"
	"os"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/kinesis"

	sparta "github.com/sparta-go/sparta"
)

func init() {
	decorators = append(decorators, sparta.ServiceDecoratorFunc(func(ctx context.Context, sc *sparta.ServiceContext) error {
		// A type the local cloud does not run (SQS queues now run).
		if os.Getenv("SPARTA_TEST_BAD_RESOURCE") == "1" {
			sc.Template.Resources["Queue"] = &kinesis.Stream{}
		}
		// Over CloudFormation's 51,200-byte inline limit, so the template
		// must be deployed from S3 by URL.
		if os.Getenv("SPARTA_TEST_BIG_TEMPLATE") == "1" {
			sc.Template.Metadata["Padding"] = strings.Repeat("x", 60_000)
		}
		return nil
	}))
}
