package service

import (
	"errors"
	"fmt"
)

// EventSourceMapping makes Lambda poll a stream or queue and invoke the
// function with batches of its records: an SQS queue, a DynamoDB stream (or
// Kinesis, MSK...). The fields are Sparta's, and they correspond to
// AWS::Lambda::EventSourceMapping
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html).
// Append one to LambdaAWSInfo.EventSourceMappings.
type EventSourceMapping struct {
	// BatchSize is the most records per invocation; 0 means AWS's default
	// (10 for SQS, 100 for streams).
	BatchSize int
	// StartingPosition is where a stream is read from: TRIM_HORIZON,
	// LATEST or AT_TIMESTAMP. Streams require it; queues must leave it empty.
	StartingPosition string
	// EventSourceArn is the queue's or stream's ARN: a literal ARN or an
	// encoded intrinsic such as SQSQueue.ARN() or DynamoDBTable.StreamARN().
	EventSourceArn string
	// Disabled creates the mapping paused.
	Disabled bool
	// BisectBatchOnFunctionError splits a failing stream batch in two.
	BisectBatchOnFunctionError bool
	// MaximumBatchingWindowInSeconds waits up to this long to fill a batch.
	MaximumBatchingWindowInSeconds int
	// MaximumRecordAgeInSeconds drops older stream records (-1: never).
	MaximumRecordAgeInSeconds int
	// MaximumRetryAttempts bounds stream retries (-1: until the record expires).
	MaximumRetryAttempts int
	// ParallelizationFactor is the concurrent batches per stream shard (1-10).
	ParallelizationFactor int
	// PartialBatchResponse turns on ReportBatchItemFailures: the function
	// returns the IDs of the failed items and only those are retried.
	PartialBatchResponse bool
}

// Validate checks the mapping of function fn on its own; the error names
// the function and the field.
func (m *EventSourceMapping) Validate(fn string) error {
	if m == nil {
		return fmt.Errorf("function %q: EventSourceMappings holds a nil *EventSourceMapping", fn)
	}
	var errs []error
	if m.EventSourceArn == "" {
		errs = append(errs, fmt.Errorf("function %q: event source mapping: EventSourceArn is empty: set it to the queue's or stream's ARN (SQSQueue.ARN(), DynamoDBTable.StreamARN())", fn))
	}
	if m.BatchSize < 0 || m.BatchSize > 10000 {
		errs = append(errs, fmt.Errorf("function %q: event source mapping %s: BatchSize %d is out of range: use 1 to 10000 (0 for AWS's default)", fn, m.EventSourceArn, m.BatchSize))
	}
	switch m.StartingPosition {
	case "", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP":
	default:
		errs = append(errs, fmt.Errorf("function %q: event source mapping %s: StartingPosition %q is not one of TRIM_HORIZON, LATEST, AT_TIMESTAMP", fn, m.EventSourceArn, m.StartingPosition))
	}
	if m.MaximumBatchingWindowInSeconds < 0 || m.MaximumBatchingWindowInSeconds > 300 {
		errs = append(errs, fmt.Errorf("function %q: event source mapping %s: MaximumBatchingWindowInSeconds %d is out of range: use 0 to 300", fn, m.EventSourceArn, m.MaximumBatchingWindowInSeconds))
	}
	return errors.Join(errs...)
}
