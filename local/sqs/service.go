package sqs

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// Namespace is the XML namespace of SQS's awsQuery responses.
const Namespace = "http://queue.amazonaws.com/doc/2012-11-05/"

// Service implements SQS. Build it with [New].
type Service struct {
	env   *core.Env
	log   logrus.FieldLogger
	query core.QueryService
	json  map[string]core.JSONOperation

	mu     sync.Mutex
	queues map[string]*queue // by name

	// done ends long polls when the cloud closes.
	done      chan struct{}
	closeOnce sync.Once
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Closer  = (*Service)(nil)
)

// Close ends the long polls in progress (they return no messages), so that
// the cloud stops without waiting out their WaitTimeSeconds.
func (s *Service) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	return nil
}

// New builds the SQS service, reloading its queues and their messages.
func New(env *core.Env) (core.Service, error) {
	s := &Service{env: env, log: env.Log.WithField(core.FieldService, "sqs"), queues: map[string]*queue{}, done: make(chan struct{})}
	s.query = core.QueryService{Service: "SQS", Namespace: Namespace, Actions: s.queryActions()}
	s.json = s.jsonOperations()
	if err := s.reload(); err != nil {
		return nil, fmt.Errorf("sqs: reloading state: %w", err)
	}
	return s, nil
}

// Name returns "sqs", SQS's signing name.
func (s *Service) Name() string { return "sqs" }

// ServeHTTP serves both protocols SQS clients speak: awsJson 1.0
// (X-Amz-Target AmazonSQS.<Operation>, current SDKs) and awsQuery
// (Action=<Operation>, older SDKs and CLIs).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		s.serveJSON(w, r)
		return
	}
	s.query.ServeHTTP(w, r)
}

func (s *Service) queuesColl() *store.Collection   { return s.env.Store.Collection("sqs", "queues") }
func (s *Service) messagesColl() *store.Collection { return s.env.Store.Collection("sqs", "messages") }
func (s *Service) snapshotColl() *store.Collection { return s.env.Store.Collection("sqs", "snapshots") }

// CreateQueue creates a queue (or returns the existing one of that name when
// its attributes match) and returns its URL.
func (s *Service) CreateQueue(name string, attrs, tags map[string]string) (string, error) {
	if name == "" {
		return "", errMissing("QueueName")
	}
	if err := checkQueueName(name, attrs["FifoQueue"] == "true"); err != nil {
		return "", err
	}
	if err := checkAttributes(attrs); err != nil {
		return "", err
	}
	if _, fifo := attrs["ContentBasedDeduplication"]; fifo && attrs["FifoQueue"] != "true" {
		return "", errAttributeName("ContentBasedDeduplication")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.queues[name]; ok {
		for k, v := range attrs {
			if q.attr(k) != v {
				return "", sqsError("QueueNameExists", "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute %s", k)
			}
		}
		return s.queueURL(name), nil
	}
	now := s.env.Clock.Now().UTC()
	m := queueMeta{Name: name, ARN: s.env.ARN("sqs", name), Attributes: maps.Clone(attrs), Tags: maps.Clone(tags), Created: now, Modified: now}
	if m.Attributes == nil {
		m.Attributes = map[string]string{}
	}
	if err := s.queuesColl().Put(name, m); err != nil {
		return "", err
	}
	s.queues[name] = newQueue(m)
	return s.queueURL(name), nil
}

// DeleteQueue deletes a queue and its messages.
func (s *Service) DeleteQueue(url string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueLocked(url)
	if err != nil {
		return err
	}
	if err := s.queuesColl().Delete(q.meta.Name); err != nil {
		return err
	}
	if err := s.dropMessages(q.meta.Name); err != nil {
		return err
	}
	delete(s.queues, q.meta.Name)
	q.notify()
	return nil
}

// QueueURL returns the URL of the named queue.
func (s *Service) QueueURL(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.queues[name]; !ok {
		return "", errNoQueue()
	}
	return s.queueURL(name), nil
}

// QueueURLByARN returns the URL of the queue with that ARN (event source
// mappings, Step Functions and dead-letter targets name queues by ARN).
func (s *Service) QueueURLByARN(arn string) (string, error) {
	name := arn[strings.LastIndex(arn, ":")+1:]
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.queues[name]; !ok || q.meta.ARN != arn {
		return "", errNoQueue()
	}
	return s.queueURL(name), nil
}

// ListQueues returns the URLs of the queues whose name starts with prefix.
func (s *Service) ListQueues(prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var urls []string
	for _, n := range sortedKeys(s.queues) {
		if strings.HasPrefix(n, prefix) {
			urls = append(urls, s.queueURL(n))
		}
	}
	return urls
}

// Attributes returns the requested attributes of a queue ("All" for all).
func (s *Service) Attributes(url string, names []string) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueLocked(url)
	if err != nil {
		return nil, err
	}
	return selectAttributes(s.attributesLocked(q), names)
}

// SetAttributes changes a queue's attributes. FifoQueue cannot change.
func (s *Service) SetAttributes(url string, attrs map[string]string) error {
	if err := checkAttributes(attrs); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueLocked(url)
	if err != nil {
		return err
	}
	if v, ok := attrs["FifoQueue"]; ok && v != q.attr("FifoQueue") && !(v == "false" && !q.fifo()) {
		return errAttributeName("FifoQueue")
	}
	m := q.meta
	m.Attributes = maps.Clone(m.Attributes)
	maps.Copy(m.Attributes, attrs)
	m.Modified = s.env.Clock.Now().UTC()
	if err := s.queuesColl().Put(m.Name, m); err != nil {
		return err
	}
	q.meta = m
	return nil
}

// Purge deletes every message of a queue.
func (s *Service) Purge(url string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueLocked(url)
	if err != nil {
		return err
	}
	if err := s.dropMessages(q.meta.Name); err != nil {
		return err
	}
	q.msgs, q.byID, q.logLines = nil, map[string]*Message{}, 0
	return nil
}

func (s *Service) queueLocked(url string) (*queue, error) {
	if url == "" {
		return nil, errMissing("QueueUrl")
	}
	q, ok := s.queues[queueName(url)]
	if !ok {
		return nil, errNoQueue()
	}
	return q, nil
}

func (s *Service) queueByARNLocked(arn string) (*queue, bool) {
	q, ok := s.queues[arn[strings.LastIndex(arn, ":")+1:]]
	if !ok || q.meta.ARN != arn {
		return nil, false
	}
	return q, true
}

// SendInput is one message to send.
type SendInput struct {
	Body       string
	Attributes map[string]MessageAttribute
	// Delay overrides the queue's DelaySeconds when set (standard queues).
	Delay   *time.Duration
	GroupID string
	DedupID string
}

// SendResult is what SendMessage returns for one message.
type SendResult struct {
	MessageID        string
	MD5OfBody        string
	MD5OfAttributes  string
	SequenceNumber   string
	DeduplicatedSend bool
}

// dedupWindow is how long FIFO queues remember deduplication IDs.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html
const dedupWindow = 5 * time.Minute

// Send sends a message to a queue.
func (s *Service) Send(url string, in SendInput) (SendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueLocked(url)
	if err != nil {
		return SendResult{}, err
	}
	return s.sendLocked(q, in)
}

func (s *Service) sendLocked(q *queue, in SendInput) (SendResult, error) {
	if in.Body == "" {
		return SendResult{}, errMissing("MessageBody")
	}
	size := len(in.Body)
	for k, a := range in.Attributes {
		size += len(k) + len(a.DataType) + len(a.StringValue) + len(a.BinaryValue)
		if err := checkAttribute(k, a); err != nil {
			return SendResult{}, err
		}
	}
	if limit := q.int("MaximumMessageSize"); size > limit {
		return SendResult{}, errInvalidValue("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", limit)
	}
	if err := checkBody(in.Body); err != nil {
		return SendResult{}, err
	}
	now := s.env.Clock.Now().UTC()
	m := &Message{ID: core.NewRequestID(), Body: in.Body, Attributes: in.Attributes, Sent: now, VisibleAt: now.Add(q.seconds("DelaySeconds"))}
	if q.fifo() {
		if in.Delay != nil && *in.Delay != 0 {
			return SendResult{}, errInvalidValue("Value %d for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.", int(*in.Delay/time.Second))
		}
		if in.GroupID == "" {
			return SendResult{}, errMissing("MessageGroupId")
		}
		dedup := in.DedupID
		if dedup == "" {
			if q.attr("ContentBasedDeduplication") != "true" {
				return SendResult{}, errInvalidValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
			sum := sha256.Sum256([]byte(in.Body))
			dedup = hex.EncodeToString(sum[:])
		}
		for _, old := range q.msgs {
			if old.DedupID == dedup && now.Sub(old.Sent) < dedupWindow {
				return SendResult{MessageID: old.ID, MD5OfBody: md5Hex(old.Body), MD5OfAttributes: attributesMD5(old.Attributes), SequenceNumber: old.Sequence, DeduplicatedSend: true}, nil
			}
		}
		q.seq++
		m.GroupID, m.DedupID, m.Sequence = in.GroupID, dedup, fmt.Sprintf("%020d", q.seq)
	} else {
		if in.Delay != nil {
			if *in.Delay < 0 || *in.Delay > 900*time.Second {
				return SendResult{}, errInvalidValue("Value %d for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.", int(*in.Delay/time.Second))
			}
			m.VisibleAt = now.Add(*in.Delay)
		}
	}
	if err := s.logLocked(q, record{Op: "s", M: m}); err != nil {
		return SendResult{}, err
	}
	q.add(m)
	q.notify()
	return SendResult{MessageID: m.ID, MD5OfBody: md5Hex(m.Body), MD5OfAttributes: attributesMD5(m.Attributes), SequenceNumber: m.Sequence}, nil
}

// checkBody refuses characters outside those SQS allows.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_RequestSyntax
func checkBody(body string) error {
	for _, r := range body {
		if r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF) {
			continue
		}
		return errInvalidValue("Invalid binary character '#x%X' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF", r)
	}
	return nil
}

func checkAttribute(name string, a MessageAttribute) error {
	switch {
	case strings.HasPrefix(a.DataType, "String"), strings.HasPrefix(a.DataType, "Number"):
		if a.StringValue == "" {
			return errInvalidValue("Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name, a.DataType)
		}
	case strings.HasPrefix(a.DataType, "Binary"):
		if len(a.BinaryValue) == 0 {
			return errInvalidValue("Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name, a.DataType)
		}
	default:
		return errInvalidValue("The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", name)
	}
	return nil
}

// receipt handles name the message they were issued for; the random part
// makes each receive's handle distinct, as on AWS.
func newReceipt(id string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString([]byte(id + "|" + hex.EncodeToString(b[:])))
}

func receiptMessageID(handle string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(handle)
	if err != nil {
		return "", errReceipt(handle)
	}
	id, _, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return "", errReceipt(handle)
	}
	return id, nil
}

// Delete deletes the message a receipt handle was issued for. Deleting a
// message that is already gone succeeds, as on AWS.
func (s *Service) Delete(url, handle string) error {
	id, err := receiptMessageID(handle)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueLocked(url)
	if err != nil {
		return err
	}
	if _, ok := q.byID[id]; !ok {
		return nil
	}
	if err := s.logLocked(q, record{Op: "d", ID: id}); err != nil {
		return err
	}
	q.remove(id)
	q.notify() // a FIFO group may be unblocked
	return nil
}

// ChangeVisibility makes an in-flight message visible again after timeout.
func (s *Service) ChangeVisibility(url, handle string, timeout time.Duration) error {
	id, err := receiptMessageID(handle)
	if err != nil {
		return err
	}
	if timeout < 0 || timeout > 12*time.Hour {
		return errInvalidValue("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.", int(timeout/time.Second))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueLocked(url)
	if err != nil {
		return err
	}
	m, ok := q.byID[id]
	now := s.env.Clock.Now()
	if !ok || m.ReceiveCount == 0 || !m.VisibleAt.After(now) {
		return errNotInflight()
	}
	m.VisibleAt = now.Add(timeout)
	if err := s.logLocked(q, visibility(m)); err != nil {
		return err
	}
	q.notify()
	return nil
}

// record is one line of a queue's message log.
type record struct {
	Op string   // s(ent), d(eleted), v(isibility changed or received)
	M  *Message `json:",omitempty"`
	ID string   `json:",omitempty"`
	N  int      `json:",omitempty"`
	V  time.Time
	F  time.Time `json:",omitzero"`
}

func visibility(m *Message) record {
	return record{Op: "v", ID: m.ID, N: m.ReceiveCount, V: m.VisibleAt, F: m.FirstReceive}
}

func (s *Service) logLocked(q *queue, r record) error {
	if err := s.messagesColl().Append(q.meta.Name, r); err != nil {
		return fmt.Errorf("sqs: logging a message of queue %s: %w", q.meta.Name, err)
	}
	q.logLines++
	return nil
}

func (s *Service) dropMessages(name string) error {
	if err := s.messagesColl().Delete(name); err != nil {
		return err
	}
	return s.snapshotColl().Delete(name)
}

// reload rebuilds the queues from their metas, snapshots and logs,
// compacting logs grown past twice their live messages.
func (s *Service) reload() error {
	return store.ScanAs(s.queuesColl(), "queue", func(name string, m queueMeta) error {
		q := newQueue(m)
		var snapshot []*Message
		if err := s.snapshotColl().Get(name, &snapshot); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("queue %s: snapshot: %w", name, err)
		}
		for _, msg := range snapshot {
			q.add(msg)
		}
		err := s.messagesColl().ReadLog(name, func(raw json.RawMessage) error {
			var r record
			if err := json.Unmarshal(raw, &r); err != nil {
				return err
			}
			q.logLines++
			switch r.Op {
			case "s":
				if r.M != nil {
					if _, dup := q.byID[r.M.ID]; !dup {
						q.add(r.M)
					}
				}
			case "d":
				q.remove(r.ID)
			case "v":
				if msg, ok := q.byID[r.ID]; ok {
					msg.ReceiveCount, msg.VisibleAt, msg.FirstReceive = r.N, r.V, r.F
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("queue %s: message log: %w", name, err)
		}
		for _, msg := range q.msgs {
			var n int64
			if _, err := fmt.Sscan(msg.Sequence, &n); err == nil && n > q.seq {
				q.seq = n
			}
		}
		s.queues[name] = q
		if q.logLines > 2*len(q.msgs)+1000 {
			if err := s.snapshotColl().Put(name, q.msgs); err != nil {
				return fmt.Errorf("queue %s: compacting: %w", name, err)
			}
			if err := s.messagesColl().Delete(name); err != nil {
				return fmt.Errorf("queue %s: compacting: %w", name, err)
			}
			q.logLines = 0
		}
		return nil
	})
}
