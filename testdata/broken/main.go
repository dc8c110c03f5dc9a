// Command broken compiles as a CLI but not as a Lambda binary, for the test
// that a build failure shows the compiler's output and leaves no artifact.
package main

import (
	"context"
	"os"

	sparta "github.com/sparta-go/sparta"
)

func ok(context.Context) error { return nil }

func main() {
	fn, _ := sparta.NewAWSLambda("fn", ok, sparta.IAMRoleDefinition{})
	if sparta.Main("Broken", "broken on purpose", []*sparta.LambdaAWSInfo{fn}, nil, nil) != nil {
		os.Exit(1)
	}
}
