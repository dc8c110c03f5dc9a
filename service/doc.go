// Package service holds the declarative model that every other package of the
// framework shares: Go Lambda functions with their options and IAM roles, and
// the decorator contract through which features add resources to a service's
// CloudFormation template.
//
// It is a leaf package on purpose. The root package sparta re-exports these
// names (sparta.LambdaAWSInfo, sparta.NewAWSLambda, ...) and imports step/ to
// validate and run state machines, while step/ needs LambdaAWSInfo to build
// Lambda task states; keeping the shared types here breaks that cycle.
//
// The package compiles in two forms. With the lambdabinary build tag (the
// binary that runs inside AWS Lambda) ServiceContext carries no template,
// AWS configuration or logger, so that goformation, the AWS SDK and logrus
// are not linked into the function's code.
package service
