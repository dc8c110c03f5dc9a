//go:build !lambdabinary

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/sparta-go/sparta/cfn"
)

// demo follows the executions the sightings start, through the SDK on
// the local cloud.
type demo struct {
	ctx     context.Context
	cfg     aws.Config
	stack   string
	outputs map[string]string // the stack's outputs
}

// finish waits for the execution to end, prints its path and output, and
// checks that it reached want.
func (d *demo) finish(arn, want string) error {
	states := sfn.NewFromConfig(d.cfg)
	for {
		e, err := states.DescribeExecution(d.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return err
		}
		if e.Status == sfntypes.ExecutionStatusRunning {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		path, err := d.path(arn)
		if err != nil {
			return err
		}
		fmt.Printf("  execution %s\n  path:   %s\n  output: %s\n\n", e.Status, strings.Join(path, " -> "), aws.ToString(e.Output))
		if e.Status != sfntypes.ExecutionStatusSucceeded || path[len(path)-1] != want {
			return fmt.Errorf("the execution did not end in %s: %s %s", want, aws.ToString(e.Error), aws.ToString(e.Cause))
		}
		return nil
	}
}

// path lists the states the execution entered, from its history.
func (d *demo) path(arn string) ([]string, error) {
	h, err := sfn.NewFromConfig(d.cfg).GetExecutionHistory(d.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
	if err != nil {
		return nil, err
	}
	var path []string
	for _, ev := range h.Events {
		if ev.StateEnteredEventDetails != nil && strings.HasSuffix(string(ev.Type), "StateEntered") {
			name := aws.ToString(ev.StateEnteredEventDetails.Name)
			if name != "ValidateName" && name != "ValidateLocation" {
				path = append(path, name)
			}
		}
	}
	return path, nil
}

// confirm shows the execution waiting on AwaitConfirmation, then plays
// the Confirmations queue's event source: it receives the message and
// invokes confirmSighting with it as an SQS event, as Lambda's event
// source mapping does; the function answers the task token with
// SendTaskSuccess and the execution resumes.
func (d *demo) confirm(arn string) error {
	queue := d.outputs["ConfirmationsUrl"]
	if queue == "" {
		return fmt.Errorf("stack %s has no ConfirmationsUrl output: provision it again with this version", d.stack)
	}
	q := sqs.NewFromConfig(d.cfg)
	var msg *events.SQSMessage
	for msg == nil {
		out, err := q.ReceiveMessage(d.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(queue), WaitTimeSeconds: 10, MaxNumberOfMessages: 1})
		if err != nil {
			return fmt.Errorf("receiving from %s: %w", queue, err)
		}
		if len(out.Messages) == 0 {
			return fmt.Errorf("no confirmation request arrived on %s", queue)
		}
		m := out.Messages[0]
		msg = &events.SQSMessage{MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body),
			EventSource: "aws:sqs", EventSourceARN: d.outputs["ConfirmationsArn"], AWSRegion: d.cfg.Region}
	}
	path, err := d.path(arn)
	if err != nil {
		return err
	}
	fmt.Printf("  waiting in %s; the Confirmations queue holds %s\n", path[len(path)-1], msg.Body)

	res, err := cfnsdk.NewFromConfig(d.cfg).DescribeStackResource(d.ctx, &cfnsdk.DescribeStackResourceInput{
		StackName: aws.String(d.stack), LogicalResourceId: aws.String(cfn.FunctionLogicalID("confirmSighting"))})
	if err != nil {
		return fmt.Errorf("finding confirmSighting: %w", err)
	}
	fn := aws.ToString(res.StackResourceDetail.PhysicalResourceId)
	payload, err := json.Marshal(events.SQSEvent{Records: []events.SQSMessage{*msg}})
	if err != nil {
		return err
	}
	inv, err := lambda.NewFromConfig(d.cfg).Invoke(d.ctx, &lambda.InvokeInput{FunctionName: aws.String(fn), Payload: payload})
	if err != nil {
		return fmt.Errorf("invoking %s: %w", fn, err)
	}
	if inv.FunctionError != nil {
		return fmt.Errorf("%s failed: %s", fn, inv.Payload)
	}
	if _, err := q.DeleteMessage(d.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(queue), ReceiptHandle: aws.String(msg.ReceiptHandle)}); err != nil {
		return err
	}
	fmt.Printf("  %s answered the task token with SendTaskSuccess; the execution resumes\n", fn)
	return nil
}

// items prints what the Sightings table holds.
func (d *demo) items() error {
	table := d.outputs["SightingsName"]
	out, err := dynamodb.NewFromConfig(d.cfg).Scan(d.ctx, &dynamodb.ScanInput{TableName: aws.String(table)})
	if err != nil {
		return fmt.Errorf("scanning %s: %w", table, err)
	}
	fmt.Printf("The Sightings table (%s) holds %d items:\n", table, len(out.Items))
	for _, it := range out.Items {
		row := []string{}
		for _, k := range []string{"dragonId", "sightingId", "dragonName", "sizeFeet", "sightings"} {
			if v, ok := it[k]; ok {
				row = append(row, k+"="+attributeText(v))
			}
		}
		fmt.Printf("  %s\n", strings.Join(row, " "))
	}
	fmt.Println()
	return nil
}

// report runs the report machine, which the nightly schedule starts.
func (d *demo) report() error {
	machine := d.outputs[cfn.LogicalID("DragonReport", "StateMachineArn")]
	if machine == "" {
		return fmt.Errorf("stack %s has no DragonReport machine: provision it again with this version", d.stack)
	}
	fmt.Println("The report machine (started every night by its schedule), started now:")
	start, err := sfn.NewFromConfig(d.cfg).StartExecution(d.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine)})
	if err != nil {
		return err
	}
	return d.finish(aws.ToString(start.ExecutionArn), "Reported")
}

// attributeText writes a string or number attribute as its value.
func attributeText(v ddbtypes.AttributeValue) string {
	switch a := v.(type) {
	case *ddbtypes.AttributeValueMemberS:
		return a.Value
	case *ddbtypes.AttributeValueMemberN:
		return a.Value
	}
	return fmt.Sprintf("%T", v)
}
