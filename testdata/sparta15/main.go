// Command sparta15 is a service written the way Sparta 1.15 documents its
// API: every name a Sparta program uses, in Sparta's shapes, with only the
// import paths (and, in decorators, goformation's template and an
// aws.Config) differing. The root package's compatibility test runs its
// whole lifecycle on the local cloud.
package main

import (
	"context"
	"os"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation"

	sparta "github.com/sparta-go/sparta"
	spartaCF "github.com/sparta-go/sparta/aws/cloudformation"
	iamBuilder "github.com/sparta-go/sparta/aws/iam/builder"
	step "github.com/sparta-go/sparta/step"
)

// topicID is the logical ID of the SNS topic the decorator adds.
var topicID = sparta.CloudFormationResourceName("Sparta15Topic", "notifications")

// square is the Map state's item processor.
func square(_ context.Context, n int) (int, error) { return n * n, nil }

type sumInput struct {
	Squares []int `json:"squares"`
}

// total adds the squares.
func total(_ context.Context, in sumInput) (map[string]int, error) {
	sum := 0
	for _, s := range in.Squares {
		sum += s
	}
	return map[string]int{"total": sum}, nil
}

func main() {
	squareFn, err := sparta.NewAWSLambda("square", square, sparta.IAMRoleDefinition{})
	if err != nil {
		os.Exit(1)
	}
	squareFn.Options.MemorySize = 128
	squareFn.Options.Timeout = 30
	squareFn.Options.Tags = map[string]string{"myAccounting": "tag"}

	//lint:ignore SA1019 the program uses Sparta's documented API, deprecated names included.
	totalFn := sparta.HandleAWSLambda("total", total, sparta.IAMRoleDefinition{
		Privileges: []sparta.IAMRolePrivilege{
			iamBuilder.Allow("sns:Publish").ForResource().Ref(topicID).ToPrivilege(),
		},
	})

	// The main machine: a Pass with a Result, a Map over a state machine,
	// a Lambda task with Sparta's retrier and catcher, then an SNS task.
	seed := step.NewPassState("seed", map[string]interface{}{"numbers": []int{1, 2, 3}})
	squares := step.NewMapState("squares", step.NewStateMachine("squareEach", step.NewTaskState("square", squareFn)))
	squares.ItemsPath = "$.numbers"
	squares.WithResultPath("$.squares")
	failed := step.NewFailState("failed", "SumFailed", "the total could not be computed")
	sum := step.NewTaskState("total", totalFn).
		WithRetriers(step.NewTaskRetry().WithErrors(step.StatesAll).WithInterval(time.Second).WithMaxAttempts(2).WithBackoffRate(2)).
		WithCatchers(step.NewTaskCatch(failed, step.StatesAll))
	notify := step.NewSNSTaskState("notify", step.SNSTaskParameters{
		Message:  "sparta15: total computed",
		TopicArn: cloudformation.Ref(topicID),
	})
	seed.Next(squares)
	squares.Next(sum)
	sum.Next(notify)
	machine := step.NewStateMachine("Sparta15Machine", seed)

	// A Fargate machine in Sparta's shape, deployed but not run by the
	// test: it names its cluster and task definition by ARN and runs as the
	// role the decorator adds.
	fargate := step.NewFargateTaskState("runTask", step.FargateTaskParameters{
		LaunchType:     "FARGATE",
		Cluster:        "arn:aws:ecs:us-east-1:000000000000:cluster/sparta15",
		TaskDefinition: "arn:aws:ecs:us-east-1:000000000000:task-definition/sparta15:1",
		NetworkConfiguration: &step.FargateNetworkConfiguration{
			AWSVPCConfiguration: &step.AwsvpcConfiguration{Subnets: []string{"subnet-0123456789abcdef0"}, AssignPublicIp: "ENABLED"},
		},
	})
	fargateMachine := step.NewStateMachine("Sparta15Fargate", fargate).
		WithRoleArn(cloudformation.GetAtt(fargateRoleID, "Arn"))

	// An Express machine: execute runs it with StartSyncExecution.
	express := step.NewStateMachine("Sparta15Express",
		step.NewPassState("greet").WithResult(map[string]any{"greeting": "express"})).
		WithType(step.Express)

	workflowHooks := &sparta.WorkflowHooks{
		Context:          map[string]interface{}{contextKeyDisplayName: "Sparta15 " + sparta.ProperName},
		PreBuild:         logHook("PreBuild"),
		PostBuild:        logHook("PostBuild"),
		Archive:          archiveHook,
		PreMarshall:      logHook("PreMarshall"),
		PostMarshall:     logHook("PostMarshall"),
		ServiceDecorator: machine.StateMachineDecorator(),
		ServiceDecorators: []sparta.ServiceDecoratorHookHandler{
			topicDecorator(),
			dockerDecorator(),
			fargateMachine.StateMachineDecorator(),
			express.StateMachineDecorator(),
		},
	}
	err = sparta.MainEx(spartaCF.UserScopedStackName("Sparta15"),
		"Sparta 1.15's documented API, end to end",
		[]*sparta.LambdaAWSInfo{squareFn, totalFn},
		nil,
		nil,
		workflowHooks,
		false)
	if err != nil {
		os.Exit(1)
	}
}
