package local

import (
	"github.com/sparta-go/sparta/local/apigateway"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/dynamodb"
	"github.com/sparta-go/sparta/local/ecr"
	"github.com/sparta-go/sparta/local/ecs"
	"github.com/sparta-go/sparta/local/events"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/logs"
	"github.com/sparta-go/sparta/local/sns"
	"github.com/sparta-go/sparta/local/sqs"
	"github.com/sparta-go/sparta/local/ssm"
	"github.com/sparta-go/sparta/local/stepfunctions"
	"github.com/sparta-go/sparta/local/sts"
)

// builtinServices lists the services every cloud runs, in construction
// order. A new service package adds its New here (and, if it is a
// dependency of others, before them; Env.Lookup resolves lazily anyway).
func builtinServices(opts Options) []core.Factory {
	return []core.Factory{
		sts.New,
		s3Factory,
		logs.New,
		sns.New,
		dynamodb.New,
		sqs.New,
		ssm.New,
		iam.Factory,
		lambda.FactoryWith(opts.LambdaConcurrency),
		stepfunctions.Factory,
		ecr.New,
		ecs.New,
		apigateway.New,
		events.New,
	}
}
