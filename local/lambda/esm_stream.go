package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/dynamodb"
)

// DynamoDBEvent is the event Lambda hands a function for a batch of
// DynamoDB stream records, in AWS's shape (aws-lambda-go's
// events.DynamoDBEvent decodes it): each record as GetRecords returns it,
// with the stream's ARN in eventSourceARN.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
type DynamoDBEvent struct {
	Records []json.RawMessage `json:"Records"`
}

// NewDynamoDBRecord adds eventSourceARN to a stream record.
func NewDynamoDBRecord(r StreamRecord, streamARN string) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(r.JSON, &fields); err != nil {
		return nil, err
	}
	arn, _ := json.Marshal(streamARN)
	fields["eventSourceARN"] = arn
	return json.Marshal(fields)
}

// streamStart returns the position a new stream mapping starts after.
func (s *Service) streamStart(arn, startingPosition string) (string, error) {
	if s.cfg.Streams == nil {
		return "", errInvalid("Stream not found: %s (the local cloud runs no DynamoDB service)", arn)
	}
	pos, err := s.cfg.Streams.Start(arn, startingPosition)
	if err != nil {
		return "", errInvalid("Stream not found: %s", arn)
	}
	return pos, nil
}

// pollStream runs a DynamoDB stream mapping until ctx ends: it reads
// batches after its checkpoint, in order, invokes the function with each
// and moves the checkpoint on success. A failing batch is retried (with
// BisectBatchOnFunctionError, split in halves first) until it succeeds,
// MaximumRetryAttempts is exhausted or its records are older than
// MaximumRecordAgeInSeconds; then it is skipped, as Lambda skips it when
// no on-failure destination is set. With ReportBatchItemFailures the
// checkpoint moves to just before the first failed record.
// See https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
func (s *Service) pollStream(ctx context.Context, m *mapping, st esmStored) {
	c := st.Config
	arn := c.EventSourceArn
	log := s.log.WithField("mapping", c.UUID).WithField("function", m.Function)
	pos := st.Position
	size := c.BatchSize
	maxRetries, maxAge := -1, -1
	if c.MaximumRetryAttempts != nil {
		maxRetries = *c.MaximumRetryAttempts
	}
	if c.MaximumRecordAgeInSeconds != nil {
		maxAge = *c.MaximumRecordAgeInSeconds
	}
	bisect := c.BisectBatchOnFunctionError != nil && *c.BisectBatchOnFunctionError
	retries, backoff := 0, 100*time.Millisecond
	for ctx.Err() == nil {
		wake := s.cfg.Streams.Wait(arn)
		recs, err := s.cfg.Streams.After(arn, pos, size)
		if err != nil {
			log.Warnf("event source mapping: reading %s: %v", arn, err)
			if !s.sleepCtx(ctx, time.Second) {
				return
			}
			continue
		}
		if len(recs) == 0 {
			select {
			case <-ctx.Done():
				return
			case <-s.done:
				return
			case <-wake:
			case <-time.After(time.Second):
			}
			continue
		}
		if w := c.MaximumBatchingWindowInSeconds; w > 0 && len(recs) < size && retries == 0 {
			// Wait out the window for a fuller batch.
			if !s.sleepCtx(ctx, time.Duration(w)*time.Second) {
				return
			}
			if more, err := s.cfg.Streams.After(arn, pos, size); err == nil {
				recs = more
			}
		}
		if maxAge > 0 {
			cutoff := time.Now().Add(-time.Duration(maxAge) * time.Second)
			old := 0
			for old < len(recs) && recs[old].Created.Before(cutoff) {
				old++
			}
			if old > 0 {
				log.Warnf("event source mapping: skipping %d records older than MaximumRecordAgeInSeconds %d", old, maxAge)
				pos = recs[old-1].Sequence
				s.setPosition(m, pos, "PROBLEM: Records older than MaximumRecordAgeInSeconds were skipped.")
				continue
			}
		}
		ev := DynamoDBEvent{Records: make([]json.RawMessage, 0, len(recs))}
		seqs := map[string]int{}
		for i, r := range recs {
			raw, err := NewDynamoDBRecord(r, arn)
			if err != nil {
				log.Warnf("event source mapping: record %s: %v", r.Sequence, err)
				continue
			}
			ev.Records = append(ev.Records, raw)
			seqs[r.Sequence] = i
		}
		payload, _ := json.Marshal(ev)
		res, err := s.InvokeWith(ctx, InvokeInput{FunctionName: c.FunctionArn, Payload: payload})
		var ce *core.Error
		switch {
		case errors.As(err, &ce) && ce.Code == CodeTooManyRequests:
			if !s.sleepCtx(ctx, backoff) {
				return
			}
			backoff = min(2*backoff, 5*time.Second)
			continue
		case err != nil:
			log.Warnf("event source mapping: invoking %s: %v", c.FunctionArn, err)
			if !s.sleepCtx(ctx, time.Second) {
				return
			}
			continue
		}
		backoff = 100 * time.Millisecond
		ok, next := res.FunctionError == "", recs[len(recs)-1].Sequence
		if ok && len(c.FunctionResponseTypes) > 0 {
			first, valid := firstFailure(res.Payload, seqs)
			switch {
			case !valid:
				ok = false
			case first == 0:
				ok, next = false, pos // the first record failed: nothing is done
			case first > 0:
				pos = recs[first-1].Sequence
				s.setPosition(m, pos, "")
				ok, next = false, pos
			}
		}
		if ok {
			pos, retries, size = next, 0, c.BatchSize
			s.setPosition(m, pos, "OK")
			continue
		}
		if bisect && size > 1 && len(recs) > 1 {
			size = max(1, len(recs)/2)
			continue
		}
		retries++
		if maxRetries >= 0 && retries > maxRetries {
			log.Warnf("event source mapping: %s failed a batch of %d records %d times; skipping it (no on-failure destination)", c.FunctionArn, len(recs), retries)
			pos, retries, size = recs[len(recs)-1].Sequence, 0, c.BatchSize
			s.setPosition(m, pos, "PROBLEM: Function call failed")
			continue
		}
		if !s.sleepCtx(ctx, min(time.Duration(retries)*200*time.Millisecond, 5*time.Second)) {
			return
		}
	}
}

// firstFailure reads a stream batch's batchItemFailures (itemIdentifier is
// a SequenceNumber) and returns the index of the first failed record, -1
// for none, and false when the response is invalid.
func firstFailure(payload []byte, seqs map[string]int) (int, bool) {
	if len(payload) == 0 || string(payload) == "null" {
		return -1, true
	}
	var r batchResponse
	if err := json.Unmarshal(payload, &r); err != nil {
		var any json.RawMessage
		return -1, json.Unmarshal(payload, &any) == nil
	}
	first := -1
	for _, f := range r.BatchItemFailures {
		if f.ItemIdentifier == nil {
			return -1, false
		}
		i, ok := seqs[*f.ItemIdentifier]
		if !ok {
			return -1, false
		}
		if first < 0 || i < first {
			first = i
		}
	}
	return first, true
}

// DynamoDBStreams is a StreamSource reading the local cloud's DynamoDB
// streams, looked up on each call.
type DynamoDBStreams struct{ Env *core.Env }

var errNoDynamoDB = errors.New("the local cloud runs no DynamoDB service")

func (d DynamoDBStreams) svc() (*dynamodb.Service, error) {
	svc, ok := d.Env.Lookup("dynamodb")
	s, isDDB := svc.(*dynamodb.Service)
	if !ok || !isDDB {
		return nil, errNoDynamoDB
	}
	return s, nil
}

// CheckStream implements StreamSource.
func (d DynamoDBStreams) CheckStream(arn string) error {
	s, err := d.svc()
	if err != nil {
		return err
	}
	return s.CheckStream(arn)
}

// Start implements StreamSource.
func (d DynamoDBStreams) Start(arn, startingPosition string) (string, error) {
	s, err := d.svc()
	if err != nil {
		return "", err
	}
	return s.StreamStart(arn, startingPosition)
}

// After implements StreamSource.
func (d DynamoDBStreams) After(arn, position string, max int) ([]StreamRecord, error) {
	s, err := d.svc()
	if err != nil {
		return nil, err
	}
	recs, err := s.StreamAfter(arn, position, max)
	if err != nil {
		return nil, err
	}
	out := make([]StreamRecord, len(recs))
	for i, r := range recs {
		out[i] = StreamRecord{JSON: r.Rec, Sequence: r.Seq, Created: r.At}
	}
	return out, nil
}

// Wait implements StreamSource.
func (d DynamoDBStreams) Wait(arn string) <-chan struct{} {
	s, err := d.svc()
	if err != nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return s.StreamWait(arn)
}
