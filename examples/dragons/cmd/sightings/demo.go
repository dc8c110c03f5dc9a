//go:build !lambdabinary

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

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

// confirm follows the sighting through AwaitConfirmation: the message
// with the task token goes to the Confirmations queue, whose event source
// mapping invokes confirmSighting, which answers the token with
// SendTaskSuccess, and the execution resumes.
func (d *demo) confirm(arn string) error {
	states := sfn.NewFromConfig(d.cfg)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		h, err := states.GetExecutionHistory(d.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
		if err != nil {
			return err
		}
		var message string
		var submitted time.Time
		for _, ev := range h.Events {
			switch {
			case ev.Type == sfntypes.HistoryEventTypeTaskScheduled && ev.TaskScheduledEventDetails != nil:
				var p struct{ MessageBody json.RawMessage }
				_ = json.Unmarshal([]byte(aws.ToString(ev.TaskScheduledEventDetails.Parameters)), &p)
				message = string(p.MessageBody)
			case ev.Type == sfntypes.HistoryEventTypeTaskSubmitted:
				submitted = aws.ToTime(ev.Timestamp)
			case ev.Type == sfntypes.HistoryEventTypeTaskSucceeded && !submitted.IsZero():
				fmt.Printf("  AwaitConfirmation sent %s to the Confirmations queue\n", message)
				fmt.Printf("  its event source mapping invoked confirmSighting, which answered the token with SendTaskSuccess %s later: %s\n",
					aws.ToTime(ev.Timestamp).Sub(submitted).Round(time.Millisecond), aws.ToString(ev.TaskSucceededEventDetails.Output))
				return nil
			case ev.Type == sfntypes.HistoryEventTypeExecutionFailed, ev.Type == sfntypes.HistoryEventTypeTaskTimedOut:
				return fmt.Errorf("the confirmation did not arrive: %s", ev.Type)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("no confirmation within a minute: is the Confirmations queue's event source mapping enabled?")
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
	rules := eventbridge.NewFromConfig(d.cfg)
	names, err := rules.ListRuleNamesByTarget(d.ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(machine)})
	if err != nil {
		return fmt.Errorf("the report's schedule: %w", err)
	}
	for _, name := range names.RuleNames {
		rule, err := rules.DescribeRule(d.ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
		if err != nil {
			return err
		}
		fmt.Printf("The report machine runs on the schedule %s (rule %s, %s); started now:\n", aws.ToString(rule.ScheduleExpression), name, rule.State)
	}
	if len(names.RuleNames) == 0 {
		return fmt.Errorf("no EventBridge rule starts the report machine")
	}
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
