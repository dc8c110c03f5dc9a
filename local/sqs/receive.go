package sqs

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// ReceiveInput asks for messages.
type ReceiveInput struct {
	// Max is the most messages to return, 1 to 10 (0 means 1).
	Max int
	// Visibility overrides the queue's VisibilityTimeout when set.
	Visibility *time.Duration
	// Wait overrides the queue's ReceiveMessageWaitTimeSeconds when set:
	// how long to wait for a message when none is there (long polling).
	Wait *time.Duration
}

// Received is a received message: a copy, with the receipt handle of this
// receive.
type Received struct {
	Message
	ReceiptHandle string
}

// SystemAttributes are the message's system attributes as SQS names them.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html#SQS-ReceiveMessage-request-MessageSystemAttributeNames
func (r Received) SystemAttributes(sender string) map[string]string {
	out := map[string]string{
		"SenderId":                         sender,
		"SentTimestamp":                    strconv.FormatInt(r.Sent.UnixMilli(), 10),
		"ApproximateReceiveCount":          strconv.Itoa(r.ReceiveCount),
		"ApproximateFirstReceiveTimestamp": strconv.FormatInt(r.FirstReceive.UnixMilli(), 10),
	}
	if r.GroupID != "" {
		out["MessageGroupId"], out["MessageDeduplicationId"], out["SequenceNumber"] = r.GroupID, r.DedupID, r.Sequence
	}
	if r.SourceARN != "" {
		out["DeadLetterQueueSourceArn"] = r.SourceARN
	}
	return out
}

// MD5OfBody is the hex MD5 of the body, as ReceiveMessage and Lambda's SQS
// event carry it.
func (r Received) MD5OfBody() string { return md5Hex(r.Body) }

// MD5OfMessageAttributes is the hex MD5 of the message attributes as SQS
// computes it; empty when the message has none.
func (r Received) MD5OfMessageAttributes() string { return attributesMD5(r.Attributes) }

// Receive receives up to in.Max messages, waiting up to the wait time for
// the first one (long polling), or until ctx ends.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
func (s *Service) Receive(ctx context.Context, url string, in ReceiveInput) ([]Received, error) {
	if in.Max == 0 {
		in.Max = 1
	}
	if in.Max < 1 || in.Max > 10 {
		return nil, errInvalidValue("Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.", in.Max)
	}
	if in.Visibility != nil && (*in.Visibility < 0 || *in.Visibility > 12*time.Hour) {
		return nil, errInvalidValue("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.", int(*in.Visibility/time.Second))
	}
	if in.Wait != nil && (*in.Wait < 0 || *in.Wait > 20*time.Second) {
		return nil, errInvalidValue("Value %d for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.", int(*in.Wait/time.Second))
	}
	var deadline time.Time
	for {
		s.mu.Lock()
		q, err := s.queueLocked(url)
		if err != nil {
			s.mu.Unlock()
			return nil, err
		}
		now := s.env.Clock.Now()
		if deadline.IsZero() {
			wait := q.seconds("ReceiveMessageWaitTimeSeconds")
			if in.Wait != nil {
				wait = *in.Wait
			}
			deadline = now.Add(wait)
		}
		out, err := s.receiveLocked(q, in, now)
		if err != nil || len(out) > 0 || !now.Before(deadline) {
			s.mu.Unlock()
			return out, err
		}
		next := deadline
		for _, m := range q.msgs {
			if m.VisibleAt.After(now) && m.VisibleAt.Before(next) {
				next = m.VisibleAt
			}
		}
		wake := q.wake
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, nil
		case <-s.done:
			return nil, nil
		case <-wake:
		case <-s.env.Clock.After(next.Sub(now)):
		}
	}
}

// receiveLocked takes the receivable messages: visible ones, in order, and
// for FIFO queues only from groups with no message in flight. A message
// already received maxReceiveCount times moves to the dead-letter queue
// instead of being delivered again. Expired messages are dropped.
func (s *Service) receiveLocked(q *queue, in ReceiveInput, now time.Time) ([]Received, error) {
	vis := q.seconds("VisibilityTimeout")
	if in.Visibility != nil {
		vis = *in.Visibility
	}
	retention := q.seconds("MessageRetentionPeriod")
	var redrive *redrivePolicy
	if p := q.attr("RedrivePolicy"); p != "" {
		if rp, err := parseRedrive(p); err == nil {
			redrive = &rp
		}
	}
	blocked := map[string]bool{}
	if q.fifo() {
		for _, m := range q.msgs {
			if m.ReceiveCount > 0 && m.VisibleAt.After(now) {
				blocked[m.GroupID] = true
			}
		}
	}
	var out []Received
	for _, m := range append([]*Message(nil), q.msgs...) {
		if len(out) == in.Max {
			break
		}
		if now.Sub(m.Sent) >= retention {
			if err := s.logLocked(q, record{Op: "d", ID: m.ID}); err != nil {
				return out, err
			}
			q.remove(m.ID)
			continue
		}
		if m.VisibleAt.After(now) || blocked[m.GroupID] {
			continue
		}
		if redrive != nil && m.ReceiveCount >= redrive.MaxReceiveCount {
			if dlq, ok := s.queueByARNLocked(redrive.DeadLetterTargetArn); ok && dlq != q {
				if err := s.moveLocked(q, dlq, m, now); err != nil {
					return out, err
				}
				continue
			}
		}
		m.ReceiveCount++
		if m.FirstReceive.IsZero() {
			m.FirstReceive = now.UTC()
		}
		m.VisibleAt = now.Add(vis)
		if err := s.logLocked(q, visibility(m)); err != nil {
			return out, err
		}
		c := *m
		out = append(out, Received{Message: c, ReceiptHandle: newReceipt(m.ID)})
	}
	return out, nil
}

// moveLocked moves a message to the dead-letter queue, keeping its ID, body,
// attributes and sent time.
func (s *Service) moveLocked(from, to *queue, m *Message, now time.Time) error {
	moved := *m
	moved.ReceiveCount, moved.FirstReceive, moved.VisibleAt, moved.SourceARN = 0, time.Time{}, now, from.meta.ARN
	if to.fifo() {
		to.seq++
		moved.Sequence = strconv.FormatInt(to.seq, 10)
		moved.Sequence = strings.Repeat("0", max(0, 20-len(moved.Sequence))) + moved.Sequence
	}
	if err := s.logLocked(to, record{Op: "s", M: &moved}); err != nil {
		return err
	}
	to.add(&moved)
	to.notify()
	if err := s.logLocked(from, record{Op: "d", ID: m.ID}); err != nil {
		return err
	}
	from.remove(m.ID)
	return nil
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// attributesMD5 is the MD5 of message attributes as SQS computes it (and the
// SDKs check it): for each attribute in name order, the length-prefixed name,
// data type, a transport byte (1 string, 2 binary) and length-prefixed value.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
func attributesMD5(attrs map[string]MessageAttribute) string {
	if len(attrs) == 0 {
		return ""
	}
	h := md5.New()
	put := func(b []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, name := range sortedKeys(attrs) {
		a := attrs[name]
		put([]byte(name))
		put([]byte(a.DataType))
		if strings.HasPrefix(a.DataType, "Binary") {
			h.Write([]byte{2})
			put(a.BinaryValue)
		} else {
			h.Write([]byte{1})
			put([]byte(a.StringValue))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
