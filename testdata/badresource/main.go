// Command badresource is a small service whose template, when
// SPARTA_TEST_BAD_RESOURCE=1, also holds a resource type the local cloud does
// not support: the test of a failed deployment's root cause and recovery.
package main

import (
	"context"
	"os"

	sparta "github.com/sparta-go/sparta"
)

func hello(ctx context.Context) (map[string]string, error) {
	return map[string]string{"hello": "world"}, nil
}

// decorators are added by files built for the CLI only.
var decorators []sparta.ServiceDecoratorHookHandler

func main() {
	fn, err := sparta.NewAWSLambda("hello", hello, sparta.IAMRoleDefinition{})
	if err != nil {
		os.Exit(1)
	}
	if sparta.MainEx("BadResource", "fails on purpose", []*sparta.LambdaAWSInfo{fn}, nil, nil, &sparta.WorkflowHooks{ServiceDecorators: decorators}, false) != nil {
		os.Exit(1)
	}
}
