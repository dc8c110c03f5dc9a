//go:build lambdabinary

package service

// ServiceContext is the decorator context as the Lambda binary sees it:
// decorators never run inside Lambda, so it carries nothing that would link
// goformation, the AWS SDK or logrus into the function's code. Decorators that
// read the template belong in files built with the !lambdabinary tag (see
// docs/decorators.md).
type ServiceContext struct {
	Service   string
	Code      Artifact
	Artifacts map[Architecture]Artifact
	BuildID   string
	Lambdas   []*LambdaAWSInfo
	Values    map[string]any
	Noop      bool
	Describe  bool
}
