package lambda

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/logs"
	"github.com/sparta-go/sparta/local/s3"
)

// Factory builds the Lambda service of a local cloud: its state in the
// store's "lambda" collection, code read from the cloud's S3 service and
// logs written to its CloudWatch Logs service (both looked up when first
// needed), code unzipped in a temporary directory, and AWS_ENDPOINT_URL of
// functions set to the cloud's endpoint.
func Factory(env *core.Env) (core.Service, error) {
	return FactoryWith(0)(env)
}

// FactoryWith is Factory with the account concurrency limit set
// (0: DefaultMaxConcurrency).
func FactoryWith(concurrency int) core.Factory {
	return func(env *core.Env) (core.Service, error) { return newFromEnv(env, concurrency) }
}

func newFromEnv(env *core.Env, concurrency int) (core.Service, error) {
	return New(Config{
		MaxConcurrency: concurrency,
		Store:          env.Store.Collection("lambda"),
		Region:         env.Region,
		AccountID:      env.AccountID,
		Endpoint:       env.Endpoint,
		Code:           S3Code{Env: env},
		Logs:           CloudWatchLogs{Env: env},
		Log:            env.Log.WithField(core.FieldService, "lambda"),
		Keys:           env.Keys,
		Queues:         SQSQueues{Env: env},
		Streams:        DynamoDBStreams{Env: env},
		IAM:            LocalIAM{Env: env},
		Now:            clockOf(env),
	})
}

// clockOf is the cloud's clock, for deprecation dates.
func clockOf(env *core.Env) func() time.Time {
	if env.Clock == nil {
		return nil
	}
	return env.Clock.Now
}

// S3Code is a CodeSource reading from the local cloud's S3 service.
type S3Code struct{ Env *core.Env }

// Open reads bucket/key through the S3 service's Go API.
func (c S3Code) Open(_ context.Context, bucket, key string) (io.ReadCloser, int64, error) {
	svc, ok := c.Env.Lookup("s3")
	s, isS3 := svc.(*s3.Service)
	if !ok || !isS3 {
		return nil, 0, errors.New("the local cloud runs no S3 service to read function code from")
	}
	rc, info, err := s.GetObject(bucket, key)
	if err != nil {
		return nil, 0, err
	}
	return rc, info.Size, nil
}

// CloudWatchLogs is a LogSink writing to the local cloud's CloudWatch Logs
// service, which creates the group and stream on first write.
type CloudWatchLogs struct{ Env *core.Env }

// PutLogEvents appends events through the Logs service's Go API.
func (l CloudWatchLogs) PutLogEvents(_ context.Context, group, stream string, events []LogEvent) error {
	svc, ok := l.Env.Lookup("logs")
	s, isLogs := svc.(*logs.Service)
	if !ok || !isLogs {
		return errors.New("the local cloud runs no CloudWatch Logs service to write function logs to")
	}
	ev := make([]logs.Event, len(events))
	for i, e := range events {
		ev[i] = logs.Event{Timestamp: e.Timestamp, Message: e.Message}
	}
	return s.Append(group, stream, ev...)
}
