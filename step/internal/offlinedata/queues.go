package offlinedata

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/sparta-go/sparta/service"
)

// maxMessageBytes is SQS's largest message (256 KiB), the default
// MaximumMessageSize.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
const maxMessageBytes = 256 * 1024

// dedupWindow is how long a FIFO queue remembers a deduplication ID.
const dedupWindow = 5 * time.Minute

type queue struct {
	name     string
	fifo     bool
	cbd      bool // ContentBasedDeduplication
	msgs     []Message
	seq      int
	maxBytes int
}

// Message is a message a queue holds.
type Message struct {
	ID   string
	Body string
	// Attributes are the message attributes sent with it.
	Attributes map[string]MessageAttribute
	// GroupID, DedupID and Sequence are a FIFO queue's.
	GroupID, DedupID, Sequence string
	Sent                       time.Time
	// Delay is the DelaySeconds the send asked for.
	Delay time.Duration
}

// MessageAttribute is a message attribute of type String or Number.
type MessageAttribute struct {
	DataType, StringValue string
}

// SendInput is a SendMessage request.
type SendInput struct {
	Body             string
	Attributes       map[string]MessageAttribute
	GroupID, DedupID string
	Delay            *time.Duration
	// Now is the time the message is sent (the execution's clock).
	Now time.Time
}

// SendResult is what SendMessage answers.
type SendResult struct {
	MessageID, MD5OfBody, SequenceNumber string
}

// CreateQueue creates the declared queue under its QueueName (its
// LogicalID when it has none).
func (d *Data) CreateQueue(q *service.SQSQueue) error {
	if err := q.Validate(); err != nil {
		return err
	}
	name := q.QueueName
	if name == "" {
		name = q.LogicalID
		if q.FIFO {
			name += ".fifo"
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, alias := range []string{q.LogicalID, q.QueueName} {
		if _, dup := d.queues[alias]; dup && alias != "" {
			return fmt.Errorf("queue %q: a queue named %q exists already", q.LogicalID, alias)
		}
	}
	qu := &queue{name: name, fifo: q.FIFO, cbd: q.ContentBasedDeduplication, maxBytes: maxMessageBytes}
	d.queues[q.LogicalID] = qu
	d.queues[name] = qu
	return nil
}

// queueLocked finds a queue by LogicalID, name, URL or ARN.
func (d *Data) queueLocked(ref string) (*queue, bool) {
	if i := strings.LastIndexAny(ref, "/:"); i >= 0 {
		if q, ok := d.queues[ref]; ok {
			return q, true
		}
		ref = ref[i+1:]
	}
	q, ok := d.queues[ref]
	return q, ok
}

// QueueName returns the name of the queue ref names (a LogicalID, a name,
// a URL or an ARN), and whether there is one.
func (d *Data) QueueName(ref string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	q, ok := d.queueLocked(ref)
	if !ok {
		return "", false
	}
	return q.name, true
}

func errMissing(param string) error {
	return &Error{Code: "MissingParameter", Message: fmt.Sprintf("The request must contain the parameter %s.", param)}
}

func errInvalid(format string, args ...any) error {
	return &Error{Code: "InvalidParameterValue", Message: fmt.Sprintf(format, args...)}
}

// SendMessage sends a message to the queue ref names, checking it as SQS
// does: a body, its size, a FIFO queue's group and deduplication IDs (a
// duplicate within five minutes answers the first message's ID and is not
// kept twice), DelaySeconds between 0 and 900 on standard queues only.
func (d *Data) SendMessage(ref string, in SendInput) (SendResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	q, ok := d.queueLocked(ref)
	if !ok {
		// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_Errors
		return SendResult{}, &Error{Code: "QueueDoesNotExist", Message: "The specified queue does not exist."}
	}
	if in.Body == "" {
		return SendResult{}, errMissing("MessageBody")
	}
	size := len(in.Body)
	for k, a := range in.Attributes {
		size += len(k) + len(a.DataType) + len(a.StringValue)
	}
	if size > q.maxBytes {
		return SendResult{}, errInvalid("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", q.maxBytes)
	}
	m := Message{ID: newID(), Body: in.Body, Attributes: in.Attributes, Sent: in.Now}
	if q.fifo {
		if in.Delay != nil && *in.Delay != 0 {
			return SendResult{}, errInvalid("Value %d for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.", int(*in.Delay/time.Second))
		}
		if in.GroupID == "" {
			return SendResult{}, errMissing("MessageGroupId")
		}
		dedup := in.DedupID
		if dedup == "" {
			if !q.cbd {
				return SendResult{}, errInvalid("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
			sum := sha256.Sum256([]byte(in.Body))
			dedup = hex.EncodeToString(sum[:])
		}
		for _, old := range q.msgs {
			if old.DedupID == dedup && in.Now.Sub(old.Sent) < dedupWindow {
				return SendResult{MessageID: old.ID, MD5OfBody: md5Hex(old.Body), SequenceNumber: old.Sequence}, nil
			}
		}
		q.seq++
		m.GroupID, m.DedupID, m.Sequence = in.GroupID, dedup, fmt.Sprintf("%020d", q.seq)
	} else if in.Delay != nil {
		if *in.Delay < 0 || *in.Delay > 900*time.Second {
			return SendResult{}, errInvalid("Value %d for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.", int(*in.Delay/time.Second))
		}
		m.Delay = *in.Delay
	}
	q.msgs = append(q.msgs, m)
	return SendResult{MessageID: m.ID, MD5OfBody: md5Hex(m.Body), SequenceNumber: m.Sequence}, nil
}

// Messages returns the messages sent to the queue ref names, oldest
// first.
func (d *Data) Messages(ref string) ([]Message, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	q, ok := d.queueLocked(ref)
	if !ok {
		return nil, false
	}
	return append([]Message(nil), q.msgs...), true
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newID returns a message ID in the UUID form SQS uses.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
