package local

import (
	"context"
	"errors"
	"slices"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/s3"
	"github.com/sparta-go/sparta/local/sns"
	"github.com/sparta-go/sparta/local/sqs"
)

// s3Factory builds S3 with its event notifications wired to the cloud's
// Lambda, SQS and SNS (looked up when an event is delivered, so the order
// of construction does not matter).
func s3Factory(env *core.Env) (core.Service, error) {
	svc, err := s3.New(env)
	if err != nil {
		return nil, err
	}
	svc.(*s3.Service).SetDestinations(s3Destinations{env})
	return svc, nil
}

// s3Destinations implements s3.Destinations over the other services' Go
// APIs.
type s3Destinations struct{ env *core.Env }

var _ s3.Destinations = s3Destinations{}

var errNoService = errors.New("the local cloud does not run this service")

func (d s3Destinations) lambda() (*lambda.Service, error) {
	svc, _ := d.env.Lookup("lambda")
	if l, ok := svc.(*lambda.Service); ok {
		return l, nil
	}
	return nil, errNoService
}

func (d s3Destinations) sqs() (*sqs.Service, error) {
	svc, _ := d.env.Lookup("sqs")
	if q, ok := svc.(*sqs.Service); ok {
		return q, nil
	}
	return nil, errNoService
}

func (d s3Destinations) sns() (*sns.Service, error) {
	svc, _ := d.env.Lookup("sns")
	if t, ok := svc.(*sns.Service); ok {
		return t, nil
	}
	return nil, errNoService
}

func (d s3Destinations) FunctionPolicy(ctx context.Context, arn string) (string, error) {
	l, err := d.lambda()
	if err != nil {
		return "", err
	}
	return l.GetPolicy(ctx, arn)
}

func (d s3Destinations) InvokeFunction(ctx context.Context, arn string, payload []byte) error {
	l, err := d.lambda()
	if err != nil {
		return err
	}
	_, err = l.InvokeWith(ctx, lambda.InvokeInput{FunctionName: arn, Payload: payload, InvocationType: lambda.InvocationEvent})
	return err
}

func (d s3Destinations) QueuePolicy(arn string) (string, error) {
	q, err := d.sqs()
	if err != nil {
		return "", err
	}
	u, err := q.QueueURLByARN(arn)
	if err != nil {
		return "", err
	}
	attrs, err := q.Attributes(u, []string{"Policy"})
	return attrs["Policy"], err
}

func (d s3Destinations) SendToQueue(arn, body string) error {
	q, err := d.sqs()
	if err != nil {
		return err
	}
	u, err := q.QueueURLByARN(arn)
	if err != nil {
		return err
	}
	_, err = q.Send(u, sqs.SendInput{Body: body})
	return err
}

func (d s3Destinations) TopicExists(arn string) bool {
	t, err := d.sns()
	return err == nil && slices.Contains(t.Topics(), arn)
}

func (d s3Destinations) PublishToTopic(arn, subject, body string) error {
	t, err := d.sns()
	if err != nil {
		return err
	}
	_, err = t.Publish(sns.Message{TopicARN: arn, Subject: subject, Message: body})
	return err
}
