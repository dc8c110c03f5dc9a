//go:build !lambdabinary

package sparta

import (
	"context"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/describe"
)

// deployedOptions reads what is deployed, for describe: the stack's status
// and, per state machine, its latest execution and the path it took.
func deployedOptions(ctx context.Context, svc *serviceDefinition, cl *CommandLine, log logrus.FieldLogger) (describe.Options, error) {
	workDir, err := filepath.Abs(cl.workDir)
	if err != nil {
		return describe.Options{}, err
	}
	t, err := openTarget(ctx, cl.local, workDir, log)
	if err != nil {
		return describe.Options{}, err
	}
	defer t.Close()
	opts := describe.Options{Executions: map[string]describe.Execution{}}
	stack, err := newDeployer(t, log, false).Describe(ctx, svc.name)
	if err != nil {
		return opts, err
	}
	if stack == nil {
		opts.Status = "NOT DEPLOYED in " + t.where()
		return opts, nil
	}
	opts.Status = string(stack.StackStatus)
	client := sfn.NewFromConfig(t.cfg)
	for _, sm := range stateMachines(svc) {
		arn, err := machineARN(ctx, t, svc.name, sm)
		if err != nil {
			log.WithError(err).Warn("describe: state machine not found in the stack")
			continue
		}
		list, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), MaxResults: 1})
		if err != nil || len(list.Executions) == 0 {
			continue
		}
		last := list.Executions[0]
		path, _, err := executionPath(ctx, client, aws.ToString(last.ExecutionArn), sm)
		if err != nil {
			return opts, err
		}
		opts.Executions[sm.Name()] = describe.Execution{Name: aws.ToString(last.Name), Status: string(last.Status), Path: path}
	}
	return opts, nil
}
