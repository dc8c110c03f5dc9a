//go:build !lambdabinary

package sparta

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/internal/cli"
	"github.com/sparta-go/sparta/step"
)

// executeDeployed starts an execution of the deployed machine, waits for it
// with backoff, and reads its path from the execution history.
func executeDeployed(ctx context.Context, svc *serviceDefinition, cl *CommandLine, sm *step.StateMachine, input json.RawMessage, log logrus.FieldLogger) (*step.Execution, error) {
	workDir, err := filepath.Abs(cl.workDir)
	if err != nil {
		return nil, err
	}
	t, err := openTarget(ctx, cl.local, workDir, log)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	arn, err := machineARN(ctx, t, svc.name, sm)
	if err != nil {
		return nil, err
	}
	if sm.Type() == step.Express {
		return executeExpress(ctx, t, arn, input)
	}
	client := sfn.NewFromConfig(t.cfg)
	started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(string(input))})
	if err != nil {
		return nil, fmt.Errorf("starting an execution of %s: %w", arn, err)
	}
	execARN := aws.ToString(started.ExecutionArn)
	log.WithFields(logrus.Fields{cli.FieldState: sm.Name(), "execution": execARN}).Info("Execution started")

	delay := 100 * time.Millisecond
	var desc *sfn.DescribeExecutionOutput
	for {
		desc, err = client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execARN)})
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("interrupted: stopped waiting for execution %s, which goes on; see it with aws stepfunctions describe-execution --execution-arn %s", execARN, execARN)
			}
			return nil, fmt.Errorf("describing execution %s: %w", execARN, err)
		}
		if desc.Status != sfntypes.ExecutionStatusRunning {
			break
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return nil, fmt.Errorf("interrupted: stopped waiting for execution %s, which goes on; see it with aws stepfunctions describe-execution --execution-arn %s", execARN, execARN)
		}
		delay = min(delay*2, 2*time.Second)
	}
	exec := &step.Execution{
		Status:    string(desc.Status),
		Output:    json.RawMessage(aws.ToString(desc.Output)),
		Error:     aws.ToString(desc.Error),
		Cause:     aws.ToString(desc.Cause),
		StartDate: aws.ToTime(desc.StartDate),
		StopDate:  aws.ToTime(desc.StopDate),
	}
	exec.Path, exec.Transitions, err = executionPath(ctx, client, execARN, sm)
	if err != nil {
		return nil, err
	}
	return exec, nil
}

// executeExpress runs an Express machine with StartSyncExecution: AWS
// keeps no history of Express executions and refuses DescribeExecution for
// them (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html),
// so the answer of the synchronous call is all there is, and the path is
// unknown. The SDK sends StartSyncExecution to the host sync-<endpoint>,
// which does not resolve for a loopback address, so for the local cloud
// the prefix is left out (the cloud serves both).
func executeExpress(ctx context.Context, t *target, arn string, input json.RawMessage) (*step.Execution, error) {
	client := sfn.NewFromConfig(t.cfg, func(o *sfn.Options) {
		if t.local {
			o.APIOptions = append(o.APIOptions, withoutHostPrefix)
		}
	})
	out, err := client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(string(input))})
	if err != nil {
		return nil, fmt.Errorf("running an execution of the Express machine %s: %w", arn, err)
	}
	return &step.Execution{
		Status:    string(out.Status),
		Output:    json.RawMessage(aws.ToString(out.Output)),
		Error:     aws.ToString(out.Error),
		Cause:     aws.ToString(out.Cause),
		StartDate: aws.ToTime(out.StartDate),
		StopDate:  aws.ToTime(out.StopDate),
	}, nil
}

// withoutHostPrefix stops the SDK from putting an operation's host prefix
// (sync-) in front of the endpoint's host.
func withoutHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("SpartaWithoutHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

// executionPath reads an execution's history: the top-level states it
// entered, in order, and how many states it entered in all.
func executionPath(ctx context.Context, client *sfn.Client, execARN string, sm *step.StateMachine) ([]string, int64, error) {
	topLevel := map[string]bool{}
	for _, s := range sm.States() {
		topLevel[s.Name()] = true
	}
	var path []string
	var transitions int64
	p := sfn.NewGetExecutionHistoryPaginator(client, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execARN)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("reading the history of %s: %w", execARN, err)
		}
		for _, e := range page.Events {
			if e.StateEnteredEventDetails == nil {
				continue
			}
			transitions++
			if name := aws.ToString(e.StateEnteredEventDetails.Name); topLevel[name] {
				path = append(path, name)
			}
		}
	}
	return path, transitions, nil
}

// machineARN finds a machine of the service's stack.
func machineARN(ctx context.Context, t *target, stack string, sm *step.StateMachine) (string, error) {
	logicalID := step.StateMachineLogicalID(sm.Name())
	res, err := cloudformation.NewFromConfig(t.cfg).DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{
		StackName: aws.String(stack), LogicalResourceId: aws.String(logicalID),
	})
	if err != nil {
		return "", fmt.Errorf("finding state machine %q (%s) in stack %s in %s: %w; has the service been provisioned there?", sm.Name(), logicalID, stack, t.where(), err)
	}
	return aws.ToString(res.StackResourceDetail.PhysicalResourceId), nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
