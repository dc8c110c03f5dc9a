package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// ConfirmationRequest is the message AwaitConfirmation sends to the
// Confirmations queue.
type ConfirmationRequest struct {
	DragonID   string `json:"dragonId"`
	DragonName string `json:"dragonName"`
	TaskToken  string `json:"taskToken"`
}

// witness is who confirms sightings in this example.
const witness = "the dragon ranger"

// taskAnswerer is the part of the Step Functions API confirmSighting
// calls: *sfn.Client, or a test's stand-in that answers offline.
type taskAnswerer interface {
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
}

// confirmer answers the waiting executions of a batch of Confirmations
// messages. Its client is made on first use, inside Lambda, from the
// standard configuration (AWS_ENDPOINT_URL points it at the local cloud).
type confirmer struct{ client taskAnswerer }

// confirmSighting is the Confirmations queue's consumer: for each message
// it confirms the sighting and returns the token with SendTaskSuccess, so
// the waiting execution goes on to store it. A message whose execution no
// longer waits is dropped; any other failure fails the batch, and SQS
// delivers it again.
func (c *confirmer) confirmSighting(ctx context.Context, event events.SQSEvent) error {
	if c.client == nil {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return fmt.Errorf("loading the AWS configuration: %w", err)
		}
		c.client = sfn.NewFromConfig(cfg)
	}
	for _, record := range event.Records {
		var req ConfirmationRequest
		if err := json.Unmarshal([]byte(record.Body), &req); err != nil || req.TaskToken == "" {
			return fmt.Errorf("message %s is not a confirmation request: %s", record.MessageId, record.Body)
		}
		out, err := json.Marshal(Confirmation{DragonID: req.DragonID, Confirmed: true, ConfirmedBy: witness})
		if err != nil {
			return err
		}
		_, err = c.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(req.TaskToken), Output: aws.String(string(out))})
		if stale(err) {
			// The execution stopped waiting (its heartbeat passed, it was
			// stopped): delivering the message again would not help.
			fmt.Printf("sighting of %s (message %s) is no longer waiting: %v\n", req.DragonName, record.MessageId, err)
			continue
		}
		if err != nil {
			return fmt.Errorf("confirming %s (message %s): %w", req.DragonName, record.MessageId, err)
		}
	}
	return nil
}

// stale reports whether err says the token can never be answered:
// TaskDoesNotExist, TaskTimedOut or InvalidToken.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html#API_SendTaskSuccess_Errors
func stale(err error) bool {
	var gone *sfntypes.TaskDoesNotExist
	var timedOut *sfntypes.TaskTimedOut
	var invalid *sfntypes.InvalidToken
	return errors.As(err, &gone) || errors.As(err, &timedOut) || errors.As(err, &invalid)
}

// newConfirmLambda declares confirmSighting, the Confirmations queue's
// consumer, allowed to answer the tasks of machine and nothing else.
func newConfirmLambda(machine *step.StateMachine) *sparta.LambdaAWSInfo {
	c := &confirmer{}
	fn, err := sparta.NewAWSLambda("confirmSighting", c.confirmSighting, sparta.IAMRoleDefinition{
		Privileges: []sparta.IAMRolePrivilege{{
			Actions: []string{"states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"},
			// step.StateMachineLogicalID, which the Lambda build lacks.
			Resource: cfn.Ref(cfn.LogicalID(machine.Name(), "StateMachine")),
		}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fn.Options = &sparta.LambdaFunctionOptions{LogRetentionInDays: 7, Timeout: 10}
	// The queue's event source: Lambda polls Confirmations and invokes the
	// function with each message (the framework grants the role exactly
	// the SQS actions the mapping needs on that queue).
	fn.EventSourceMappings = append(fn.EventSourceMappings, &sparta.EventSourceMapping{
		EventSourceArn: confirmationsQueue.ARN(), BatchSize: 1,
	})
	return fn
}
