package lambda

import (
	"context"
	"errors"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/sqs"
)

// QueueSource is the SQS API that SQS event source mappings poll through,
// in-process. *sqs.Service implements it; the local cloud wires
// [SQSQueues].
type QueueSource interface {
	QueueURLByARN(arn string) (string, error)
	Attributes(url string, names []string) (map[string]string, error)
	Receive(ctx context.Context, url string, in sqs.ReceiveInput) ([]sqs.Received, error)
	Delete(url, handle string) error
}

// StreamRecord is one DynamoDB stream record as a mapping hands it to the
// function: the record's JSON in the shape of the DynamoDB Streams API
// (eventID, eventName, dynamodb{...}) and its sequence number.
type StreamRecord struct {
	// JSON is the record as GetRecords returns it (without the Lambda
	// fields eventSourceARN and awsRegion, which the mapping adds).
	JSON []byte
	// Sequence is the record's SequenceNumber, which orders the stream.
	Sequence string
	// Created is the record's ApproximateCreationDateTime.
	Created time.Time
}

// StreamSource is the DynamoDB Streams API that stream mappings read
// through, in-process. The local cloud wires [DynamoDBStreams].
type StreamSource interface {
	// CheckStream reports whether the stream exists.
	CheckStream(arn string) error
	// Start returns the position before the first record a mapping reads:
	// the oldest kept record for TRIM_HORIZON, the newest for LATEST ("" is
	// before everything).
	Start(arn, startingPosition string) (string, error)
	// After returns up to max records after position, oldest first.
	After(arn, position string, max int) ([]StreamRecord, error)
	// Wait returns a channel closed when a record may have been added to
	// the stream after the call.
	Wait(arn string) <-chan struct{}
}

// RoleChecker evaluates a role's identity policies; *iam.Service
// implements it.
type RoleChecker interface {
	Authorize(roleARN, session string, req iam.Request) error
}

// SQSQueues is a QueueSource reading the local cloud's SQS service, looked
// up on each call so that construction order does not matter.
type SQSQueues struct{ Env *core.Env }

var errNoSQS = errors.New("the local cloud runs no SQS service")

func (q SQSQueues) svc() (*sqs.Service, error) {
	svc, ok := q.Env.Lookup("sqs")
	s, isSQS := svc.(*sqs.Service)
	if !ok || !isSQS {
		return nil, errNoSQS
	}
	return s, nil
}

// QueueURLByARN implements QueueSource.
func (q SQSQueues) QueueURLByARN(arn string) (string, error) {
	s, err := q.svc()
	if err != nil {
		return "", err
	}
	return s.QueueURLByARN(arn)
}

// Attributes implements QueueSource.
func (q SQSQueues) Attributes(url string, names []string) (map[string]string, error) {
	s, err := q.svc()
	if err != nil {
		return nil, err
	}
	return s.Attributes(url, names)
}

// Receive implements QueueSource.
func (q SQSQueues) Receive(ctx context.Context, url string, in sqs.ReceiveInput) ([]sqs.Received, error) {
	s, err := q.svc()
	if err != nil {
		return nil, err
	}
	return s.Receive(ctx, url, in)
}

// Delete implements QueueSource.
func (q SQSQueues) Delete(url, handle string) error {
	s, err := q.svc()
	if err != nil {
		return err
	}
	return s.Delete(url, handle)
}

// LocalIAM is a RoleChecker evaluating with the local cloud's IAM service.
type LocalIAM struct{ Env *core.Env }

// Authorize implements RoleChecker. Without an IAM service every role is
// allowed, as the router does then.
func (l LocalIAM) Authorize(roleARN, session string, req iam.Request) error {
	svc, ok := l.Env.Lookup("iam")
	s, isIAM := svc.(*iam.Service)
	if !ok || !isIAM {
		return nil
	}
	return s.Authorize(roleARN, session, req)
}
