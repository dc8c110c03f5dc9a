//go:build !lambdabinary

package eventsource

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// addS3 is being built on its own branch; until it lands the kind is refused
// before anything is deployed.
func addS3(t *cloudformation.Template, serviceName string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.S3Permission) error {
	return fmt.Errorf("function %q: Permissions[%d]: S3Permission cannot be deployed yet", fn.Name, i)
}
