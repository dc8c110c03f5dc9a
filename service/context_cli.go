//go:build !lambdabinary

package service

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sirupsen/logrus"
)

// ServiceContext is what every decorator receives. Adding a field never
// breaks a decorator, which is why hooks take this struct rather than
// positional parameters.
type ServiceContext struct {
	// Service is the service (and stack) name.
	Service string
	// Template is the one template all decorators add to.
	Template *cloudformation.Template
	// Code is the code artifact of the service's default architecture.
	Code Artifact
	// Artifacts holds the code artifact of every architecture built.
	Artifacts map[Architecture]Artifact
	// BuildID identifies this build.
	BuildID string
	// Lambdas are the service's functions, for decorators that refer to them.
	Lambdas []*LambdaAWSInfo
	// MainPackage is the import path or directory of the service's main
	// package, for decorators that compile it again (a container image);
	// empty when it cannot be told.
	MainPackage string
	// AWS is the configuration of the account and region deployed to.
	AWS aws.Config
	// Values carries values from one decorator to the next (an image URI).
	Values map[string]any
	// Noop is set when nothing will be deployed; decorators must then make
	// no changes outside the template (no image pushes, no uploads).
	Noop bool
	// Describe is set when the template is assembled only to be drawn
	// (the describe command): decorators must then build, push and upload
	// nothing, and put placeholders where such results would go.
	Describe bool
	// Log is the decorator's logger.
	Log logrus.FieldLogger
}
