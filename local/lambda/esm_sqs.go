package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/sqs"
)

// SQS polling as Lambda does it: five long-polling receivers per mapping
// (fewer when ScalingConfig.MaximumConcurrency says so), each invoking the
// function synchronously with one batch at a time.
// See https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
const (
	sqsPollers   = 5
	sqsLongPoll  = 20 * time.Second
	sqsMaxPerGet = 10
)

// SQSEvent is the event Lambda hands a function for an SQS batch, in
// AWS's shape (aws-lambda-go's events.SQSEvent decodes it).
// See https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
type SQSEvent struct {
	Records []SQSRecord `json:"Records"`
}

// SQSRecord is one message of an SQSEvent.
type SQSRecord struct {
	MessageID              string                         `json:"messageId"`
	ReceiptHandle          string                         `json:"receiptHandle"`
	Body                   string                         `json:"body"`
	Attributes             map[string]string              `json:"attributes"`
	MessageAttributes      map[string]SQSMessageAttribute `json:"messageAttributes"`
	MD5OfMessageAttributes string                         `json:"md5OfMessageAttributes,omitempty"`
	MD5OfBody              string                         `json:"md5OfBody"`
	EventSource            string                         `json:"eventSource"`
	EventSourceARN         string                         `json:"eventSourceARN"`
	AWSRegion              string                         `json:"awsRegion"`
}

// SQSMessageAttribute is a message attribute as Lambda's SQS event writes
// it (lower-case names, empty list values).
type SQSMessageAttribute struct {
	StringValue      *string  `json:"stringValue,omitempty"`
	BinaryValue      []byte   `json:"binaryValue,omitempty"`
	StringListValues []string `json:"stringListValues"`
	BinaryListValues [][]byte `json:"binaryListValues"`
	DataType         string   `json:"dataType"`
}

// NewSQSRecord is the record of a received message of the queue at
// queueARN, as Lambda builds it.
func NewSQSRecord(m sqs.Received, queueARN, region, sender string) SQSRecord {
	attrs := map[string]SQSMessageAttribute{}
	for k, a := range m.Attributes {
		v := SQSMessageAttribute{DataType: a.DataType, BinaryValue: a.BinaryValue, StringListValues: []string{}, BinaryListValues: [][]byte{}}
		if a.StringValue != "" {
			sv := a.StringValue
			v.StringValue = &sv
		}
		attrs[k] = v
	}
	return SQSRecord{
		MessageID:              m.ID,
		ReceiptHandle:          m.ReceiptHandle,
		Body:                   m.Body,
		Attributes:             m.SystemAttributes(sender),
		MessageAttributes:      attrs,
		MD5OfMessageAttributes: m.MD5OfMessageAttributes(),
		MD5OfBody:              m.MD5OfBody(),
		EventSource:            "aws:sqs",
		EventSourceARN:         queueARN,
		AWSRegion:              region,
	}
}

// batchResponse is what a function with ReportBatchItemFailures returns.
// See https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
type batchResponse struct {
	BatchItemFailures []struct {
		ItemIdentifier *string `json:"itemIdentifier"`
	} `json:"batchItemFailures"`
}

// failedItems returns the IDs a function reported as failed among ids, and
// false when the response is invalid, which fails the whole batch as
// Lambda does: not JSON, an empty or missing itemIdentifier, or one that
// is not in the batch.
func failedItems(payload []byte, ids map[string]bool) (map[string]bool, bool) {
	failed := map[string]bool{}
	if len(payload) == 0 || string(payload) == "null" {
		return failed, true
	}
	var r batchResponse
	if err := json.Unmarshal(payload, &r); err != nil {
		// A response that is not an object (a string, a number) reports
		// no failures; one that does not parse at all fails the batch.
		var any json.RawMessage
		return failed, json.Unmarshal(payload, &any) == nil
	}
	for _, f := range r.BatchItemFailures {
		if f.ItemIdentifier == nil || *f.ItemIdentifier == "" || !ids[*f.ItemIdentifier] {
			return nil, false
		}
		failed[*f.ItemIdentifier] = true
	}
	return failed, true
}

// pollQueue runs an SQS mapping until ctx ends.
func (s *Service) pollQueue(ctx context.Context, m *mapping, c EventSourceMappingConfiguration) {
	log := s.log.WithField("mapping", c.UUID).WithField("function", m.Function)
	var url string
	for {
		u, err := s.cfg.Queues.QueueURLByARN(c.EventSourceArn)
		if err == nil {
			url = u
			break
		}
		log.Warnf("event source mapping: queue %s: %v; retrying", c.EventSourceArn, err)
		if !s.sleepCtx(ctx, 5*time.Second) {
			return
		}
	}
	n := sqsPollers
	if sc := c.ScalingConfig; sc != nil && sc.MaximumConcurrency != nil && *sc.MaximumConcurrency < n {
		n = *sc.MaximumConcurrency
	}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				batch, err := s.collect(ctx, url, c)
				if err != nil {
					log.Warnf("event source mapping: receiving from %s: %v", c.EventSourceArn, err)
					if !s.sleepCtx(ctx, time.Second) {
						return
					}
					continue
				}
				if len(batch) > 0 {
					s.deliverQueueBatch(ctx, c, url, batch)
				}
			}
		}()
	}
	wg.Wait()
}

// collect receives one batch: what a receive returns, or, with a batching
// window, messages until the batch is full or the window since the first
// one has passed.
func (s *Service) collect(ctx context.Context, url string, c EventSourceMappingConfiguration) ([]sqs.Received, error) {
	wait := sqsLongPoll
	batch, err := s.cfg.Queues.Receive(ctx, url, sqs.ReceiveInput{Max: min(sqsMaxPerGet, c.BatchSize), Wait: &wait})
	if err != nil || len(batch) == 0 || c.MaximumBatchingWindowInSeconds == 0 {
		return batch, err
	}
	deadline := time.Now().Add(time.Duration(c.MaximumBatchingWindowInSeconds) * time.Second)
	for len(batch) < c.BatchSize && ctx.Err() == nil {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		wait := min(left, sqsLongPoll).Truncate(time.Second)
		if wait == 0 {
			// Receive waits in whole seconds, as WaitTimeSeconds does;
			// the rest of the window is slept.
			if !s.sleepCtx(ctx, left) {
				break
			}
		}
		more, err := s.cfg.Queues.Receive(ctx, url, sqs.ReceiveInput{Max: min(sqsMaxPerGet, c.BatchSize-len(batch)), Wait: &wait})
		if err != nil {
			return batch, nil // deliver what was received; the error recurs
		}
		batch = append(batch, more...)
	}
	return batch, nil
}

// deliverQueueBatch invokes the function with a batch and deletes the
// messages it processed: all of them on success, those not reported
// failed with ReportBatchItemFailures, none on a function error, so that
// they become visible again after the queue's visibility timeout and the
// queue's redrive policy moves them to its dead-letter queue after
// maxReceiveCount receives.
func (s *Service) deliverQueueBatch(ctx context.Context, c EventSourceMappingConfiguration, url string, batch []sqs.Received) {
	log := s.log.WithField("mapping", c.UUID)
	ev := SQSEvent{Records: make([]SQSRecord, len(batch))}
	ids := map[string]bool{}
	for i, m := range batch {
		ev.Records[i] = NewSQSRecord(m, c.EventSourceArn, s.cfg.Region, s.cfg.AccountID)
		ids[m.ID] = true
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		log.Warnf("event source mapping: encoding the batch: %v", err)
		return
	}
	for backoff := 100 * time.Millisecond; ; backoff = min(2*backoff, 5*time.Second) {
		res, err := s.InvokeWith(ctx, InvokeInput{FunctionName: c.FunctionArn, Payload: payload})
		var ce *core.Error
		switch {
		case errors.As(err, &ce) && ce.Code == CodeTooManyRequests:
			// Throttled: Lambda retries while the messages are in flight.
			if !s.sleepCtx(ctx, backoff) {
				return
			}
			continue
		case err != nil:
			log.Warnf("event source mapping: invoking %s: %v", c.FunctionArn, err)
			s.sleepCtx(ctx, time.Second)
			return
		case res.FunctionError != "":
			log.Debugf("event source mapping: %s failed a batch of %d: %s", c.FunctionArn, len(batch), res.Payload)
			return
		}
		failed := map[string]bool{}
		if len(c.FunctionResponseTypes) > 0 {
			var ok bool
			if failed, ok = failedItems(res.Payload, ids); !ok {
				log.Warnf("event source mapping: %s returned an invalid batchItemFailures response; the whole batch is retried: %s", c.FunctionArn, res.Payload)
				return
			}
		}
		for _, m := range batch {
			if failed[m.ID] {
				continue
			}
			if err := s.cfg.Queues.Delete(url, m.ReceiptHandle); err != nil {
				log.Warnf("event source mapping: deleting message %s: %v", m.ID, err)
			}
		}
		return
	}
}

// checkVisibility refuses a queue whose visibility timeout is shorter than
// the function's timeout, as Lambda does: the messages of a batch would
// become visible again while the function still runs.
func (s *Service) checkVisibility(url string, timeout int) error {
	attrs, err := s.cfg.Queues.Attributes(url, []string{"VisibilityTimeout"})
	if err != nil {
		return core.AsError(err)
	}
	vis, _ := strconv.Atoi(attrs["VisibilityTimeout"])
	if vis < timeout {
		return errInvalid("Queue visibility timeout: %d seconds is less than Function timeout: %d seconds", vis, timeout)
	}
	return nil
}
