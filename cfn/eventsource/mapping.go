//go:build !lambdabinary

package eventsource

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// sourceKind is what a mapping polls.
type sourceKind int

const (
	sourceSQS sourceKind = iota + 1
	sourceDynamoDBStream
)

func (k sourceKind) String() string {
	if k == sourceSQS {
		return "SQS queue"
	}
	return "DynamoDB stream"
}

// mappingActions are the IAM actions Lambda needs on a mapping's source
// with the function's execution role, exactly those AWS documents and
// checks at CreateEventSourceMapping. dynamodb:ListStreams is left out: it
// cannot be scoped to a stream, and Lambda reads a stream it is given by
// ARN without it.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
// and https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#events-dynamodb-permissions
var mappingActions = map[string][]string{
	"sqs":      {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
	"dynamodb": {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"},
}

// classify tells what kind of source an EventSourceArn names: a literal
// ARN (arn:aws:sqs:..., arn:aws:dynamodb:...:table/T/stream/...) or an
// encoded Fn::GetAtt of a queue's Arn or a table's StreamArn, as
// SQSQueue.ARN() and DynamoDBTable.StreamARN() write them.
func classify(arn string) (sourceKind, error) {
	if cfn.IsIntrinsic(arn) {
		raw, _ := base64.StdEncoding.DecodeString(arn)
		var v struct {
			GetAtt []string `json:"Fn::GetAtt"`
		}
		if json.Unmarshal(raw, &v) == nil && len(v.GetAtt) == 2 {
			switch v.GetAtt[1] {
			case "Arn":
				return sourceSQS, nil
			case "StreamArn":
				return sourceDynamoDBStream, nil
			}
		}
		return 0, fmt.Errorf("EventSourceArn %s is an intrinsic whose source cannot be told: use SQSQueue.ARN(), DynamoDBTable.StreamARN(), cfn.GetAtt(queue, \"Arn\"), cfn.GetAtt(table, \"StreamArn\") or a literal ARN", raw)
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" {
		switch {
		case parts[2] == "sqs":
			return sourceSQS, nil
		case parts[2] == "dynamodb" && strings.Contains(parts[5], "/stream/"):
			return sourceDynamoDBStream, nil
		}
	}
	return 0, fmt.Errorf("EventSourceArn %q is not an SQS queue's or a DynamoDB stream's ARN, the sources this framework can map (arn:aws:sqs:REGION:ACCOUNT:QUEUE, arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL)", arn)
}

// checkMapping holds the rules Lambda applies to each kind of source, so
// that a bad mapping fails before anything is built.
// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
func checkMapping(kind sourceKind, m *service.EventSourceMapping) error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch kind {
	case sourceSQS:
		if m.StartingPosition != "" {
			add("StartingPosition %q is for streams: an SQS queue has none, leave it empty", m.StartingPosition)
		}
		if m.BatchSize > 10 && m.MaximumBatchingWindowInSeconds < 1 {
			add("BatchSize %d is above 10, which needs MaximumBatchingWindowInSeconds of at least 1", m.BatchSize)
		}
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"BisectBatchOnFunctionError", m.BisectBatchOnFunctionError},
			{"MaximumRecordAgeInSeconds", m.MaximumRecordAgeInSeconds != 0},
			{"MaximumRetryAttempts", m.MaximumRetryAttempts != 0},
			{"ParallelizationFactor", m.ParallelizationFactor != 0},
		} {
			if f.set {
				add("%s is for streams; an SQS queue retries through its visibility timeout and redrive policy: leave it unset", f.name)
			}
		}
	case sourceDynamoDBStream:
		switch m.StartingPosition {
		case "TRIM_HORIZON", "LATEST":
		case "":
			add("StartingPosition is empty: a DynamoDB stream needs TRIM_HORIZON or LATEST")
		default:
			add("StartingPosition %q is not valid for a DynamoDB stream: use TRIM_HORIZON or LATEST", m.StartingPosition)
		}
		if m.ParallelizationFactor < 0 || m.ParallelizationFactor > 10 {
			add("ParallelizationFactor %d is out of range: use 1 to 10 (0 for the default)", m.ParallelizationFactor)
		}
		if a := m.MaximumRecordAgeInSeconds; a != 0 && a != -1 && (a < 60 || a > 604800) {
			add("MaximumRecordAgeInSeconds %d is out of range: use 60 to 604800, or -1 for no limit", a)
		}
		if r := m.MaximumRetryAttempts; r < -1 || r > 10000 {
			add("MaximumRetryAttempts %d is out of range: use -1 to 10000", r)
		}
	}
	return errors.Join(errs...)
}

// addMapping emits the AWS::Lambda::EventSourceMapping of m and allows the
// function's own role exactly the actions Lambda needs on exactly the
// queue or stream. A function that runs as an existing role must be
// granted them there; Lambda refuses the mapping otherwise.
func addMapping(t *cloudformation.Template, _ string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, m *service.EventSourceMapping) error {
	if err := m.Validate(fn.Name); err != nil {
		return err
	}
	kind, err := classify(m.EventSourceArn)
	if err == nil {
		err = checkMapping(kind, m)
	}
	if err != nil {
		return fmt.Errorf("function %q: EventSourceMappings[%d]: %w", fn.Name, i, err)
	}
	esm := &lambda.EventSourceMapping{
		FunctionName:   cloudformation.GetAtt(res.Function, "Arn"),
		EventSourceArn: cloudformation.String(m.EventSourceArn),
	}
	if m.BatchSize > 0 {
		esm.BatchSize = cloudformation.Int(m.BatchSize)
	}
	if m.Disabled {
		esm.Enabled = cloudformation.Bool(false)
	}
	if m.StartingPosition != "" {
		esm.StartingPosition = cloudformation.String(m.StartingPosition)
	}
	if m.MaximumBatchingWindowInSeconds > 0 {
		esm.MaximumBatchingWindowInSeconds = cloudformation.Int(m.MaximumBatchingWindowInSeconds)
	}
	if m.BisectBatchOnFunctionError {
		esm.BisectBatchOnFunctionError = cloudformation.Bool(true)
	}
	if m.MaximumRecordAgeInSeconds != 0 {
		esm.MaximumRecordAgeInSeconds = cloudformation.Int(m.MaximumRecordAgeInSeconds)
	}
	if m.MaximumRetryAttempts != 0 {
		esm.MaximumRetryAttempts = cloudformation.Int(m.MaximumRetryAttempts)
	}
	if m.ParallelizationFactor > 0 {
		esm.ParallelizationFactor = cloudformation.Int(m.ParallelizationFactor)
	}
	if m.PartialBatchResponse {
		esm.FunctionResponseTypes = []string{"ReportBatchItemFailures"}
	}
	actions := mappingActions["sqs"]
	if kind == sourceDynamoDBStream {
		actions = mappingActions["dynamodb"]
	}
	if res.Role != "" {
		if err := allow(t, res.Role, actions, m.EventSourceArn); err != nil {
			return fmt.Errorf("function %q: EventSourceMappings[%d]: %w", fn.Name, i, err)
		}
		// Lambda checks the role's permissions when it creates the
		// mapping: the role's policy must exist first. The function's
		// GetAtt implies it, but say so where the reason is.
		esm.AWSCloudFormationDependsOn = []string{res.Role}
	}
	t.Resources[cfn.LogicalID(fn.Name, "EventSourceMapping", strconv.Itoa(i))] = esm
	return nil
}

// allow appends a statement granting actions on resource to the inline
// policy of the function's role, which cfn.AddFunction made.
func allow(t *cloudformation.Template, roleID string, actions []string, resource string) error {
	role, ok := t.Resources[roleID].(*iam.Role)
	if !ok || len(role.Policies) == 0 {
		return fmt.Errorf("the function's role %s is not the AWS::IAM::Role with an inline policy that cfn.AddFunction makes", roleID)
	}
	doc, ok := role.Policies[0].PolicyDocument.(map[string]any)
	if !ok {
		return fmt.Errorf("the policy document of role %s is a %T, not a map", roleID, role.Policies[0].PolicyDocument)
	}
	statements, _ := doc["Statement"].([]any)
	doc["Statement"] = append(statements, map[string]any{
		"Effect":   "Allow",
		"Action":   append([]string(nil), actions...),
		"Resource": resource,
	})
	return nil
}
