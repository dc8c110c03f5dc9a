//go:build lambdabinary

package sparta

import (
	"errors"
	"fmt"
	"os"
)

// MainEx serves the function that Lambda's _HANDLER names. This is the
// Lambda side of the program (the lambdabinary build), which holds no CLI.
func MainEx(serviceName, description string, lambdas []*LambdaAWSInfo, api *API, site *S3Site, hooks *WorkflowHooks, useCGO bool) error {
	if insideLambda() {
		return serveLambda(lambdas)
	}
	err := errors.New("this binary was built for AWS Lambda (lambdabinary tag) and only runs there; use `go run .` for the CLI")
	fmt.Fprintln(os.Stderr, err)
	return err
}
