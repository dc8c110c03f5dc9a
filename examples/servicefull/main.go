// Command servicefull runs a Fargate task from a state machine: a Lambda
// function prepares a report request, a Fargate task (this same program's
// "report" subcommand, in a container image built and pushed by the
// framework) produces the report, and the machine publishes a notice to an
// SNS topic.
//
//	go run ./examples/servicefull provision --noop   # build the image, write the template
//	make demo-fargate                                # provision and execute on the local cloud
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/decorators"
	"github.com/sparta-go/sparta/step"
)

// TopicID is the logical ID of the notice topic (see topic.go).
const TopicID = "ReportNotices"

// Request is what the Lambda function hands to the task.
type Request struct {
	OrderID string `json:"orderId"`
}

// prepare names the order whose report the task produces.
func prepare(_ context.Context, in map[string]any) (Request, error) {
	id, _ := in["orderId"].(string)
	if id == "" {
		id = fmt.Sprintf("order-%d", time.Now().Unix())
	}
	return Request{OrderID: id}, nil
}

// extraDecorators are the decorators that touch the template directly; the
// CLI build adds them (topic.go).
var extraDecorators []sparta.ServiceDecoratorHookHandler

func main() {
	fn, err := sparta.NewAWSLambda("prepareReport", prepare, sparta.IAMRoleDefinition{})
	if err != nil {
		os.Exit(1)
	}
	image := decorators.ECRImageBuilderDecorator("servicefull-reports")
	image.Command = []string{"report"}
	cluster := decorators.FargateClusterDecorator("Reports")
	cluster.Environment = map[string]string{"REPORT_FORMAT": "text"}

	params := cluster.TaskParameters()
	override := cluster.ContainerOverride()
	override.EnvironmentPaths = map[string]string{"ORDER_ID": "$.orderId"}
	params.Overrides = &step.TaskOverrides{ContainerOverrides: []step.ContainerOverride{override}}

	prepareState := step.NewLambdaTaskState("prepare", fn)
	runState := step.NewFargateTaskState("produceReport", params).WithResultPath("$.task")
	notify := step.NewSNSPublishState("notify", cfn.Ref(TopicID), map[string]any{"Message.$": "$.orderId"})
	prepareState.Next(runState)
	runState.Next(notify)
	machine := step.NewStateMachine("Reports", prepareState)

	hooks := &sparta.WorkflowHooks{ServiceDecorators: append([]sparta.ServiceDecoratorHookHandler{
		image, cluster, machine.StateMachineDecorator(),
	}, extraDecorators...)}
	if err := sparta.MainEx(cfn.UserScopedStackName("ServiceFull"), "Lambda, then a Fargate task, then SNS", []*sparta.LambdaAWSInfo{fn}, nil, nil, hooks, false); err != nil {
		os.Exit(1)
	}
}
