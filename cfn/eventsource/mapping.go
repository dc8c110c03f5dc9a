//go:build !lambdabinary

package eventsource

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// addMapping is being built on its own branch; until it lands mappings are
// refused before anything is deployed.
func addMapping(t *cloudformation.Template, serviceName string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, m *service.EventSourceMapping) error {
	return fmt.Errorf("function %q: EventSourceMappings[%d]: event source mappings cannot be deployed yet", fn.Name, i)
}
