package sns

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// Namespace is the XML namespace of SNS responses.
const Namespace = "http://sns.amazonaws.com/doc/2010-03-31/"

// Service implements SNS. Build it with [New].
type Service struct {
	core.QueryService
	env *core.Env
	log logrus.FieldLogger

	mu        sync.Mutex
	topics    map[string]*topic // by ARN
	listeners []func(Message)
	seq       int64

	// Subscriptions load once, at start, so that delivery resumes after a
	// restart without waiting for an API call.
	subsOnce  sync.Once
	subsState *subscriptions
	subsErr   error

	// done ends HTTP deliveries when the cloud closes; deliveries counts
	// those in flight.
	done       chan struct{}
	closeOnce  sync.Once
	deliveries sync.WaitGroup
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Closer  = (*Service)(nil)
	_ core.Matcher = (*Service)(nil)
	_ core.Public  = (*Service)(nil)
)

type topicMeta struct {
	Name       string
	ARN        string
	Attributes map[string]string `json:",omitempty"`
	Tags       map[string]string `json:",omitempty"`
	Created    time.Time
}

type topic struct {
	meta     topicMeta
	messages []Message // nil until loaded
}

func (t *topic) fifo() bool { return t.meta.Attributes["FifoTopic"] == "true" }

// Message is one published message.
type Message struct {
	MessageID        string
	TopicARN         string
	Subject          string                      `json:",omitempty"`
	Message          string                      // the message, or the JSON of MessageStructure=json
	MessageStructure string                      `json:",omitempty"`
	Attributes       map[string]MessageAttribute `json:",omitempty"`
	GroupID          string                      `json:",omitempty"`
	DeduplicationID  string                      `json:",omitempty"`
	SequenceNumber   string                      `json:",omitempty"`
	Timestamp        time.Time
}

// MessageAttribute is a typed message attribute.
type MessageAttribute struct {
	DataType    string
	StringValue string `json:",omitempty"`
	BinaryValue []byte `json:",omitempty"`
}

// New builds the SNS service, reloading its topics; messages load on first
// use.
func New(env *core.Env) (core.Service, error) {
	s := &Service{env: env, log: env.Log.WithField(core.FieldService, "sns"), topics: map[string]*topic{}, done: make(chan struct{})}
	s.QueryService = core.QueryService{
		Service:   "SNS",
		Namespace: Namespace,
		Actions: map[string]core.QueryAction{
			"CreateTopic":               s.createTopic,
			"DeleteTopic":               s.deleteTopic,
			"ListTopics":                s.listTopics,
			"Publish":                   s.publish,
			"GetTopicAttributes":        s.getTopicAttributes,
			"SetTopicAttributes":        s.setTopicAttributes,
			"Subscribe":                 s.subscribe,
			"Unsubscribe":               s.unsubscribe,
			"ListSubscriptions":         s.listSubscriptions,
			"ListSubscriptionsByTopic":  s.listSubscriptionsByTopic,
			"ConfirmSubscription":       s.confirmSubscription,
			"GetSubscriptionAttributes": s.getSubscriptionAttributes,
			"SetSubscriptionAttributes": s.setSubscriptionAttributes,
		},
	}
	err := store.ScanAs(s.topicsColl(), "topic", func(name string, m topicMeta) error {
		s.topics[m.ARN] = &topic{meta: m}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sns: reloading state: %w", err)
	}
	if _, err := s.subs(); err != nil {
		return nil, fmt.Errorf("sns: reloading subscriptions: %w", err)
	}
	return s, nil
}

// Name returns "sns", SNS's signing name.
func (s *Service) Name() string { return "sns" }

func (s *Service) topicsColl() *store.Collection   { return s.env.Store.Collection("sns", "topics") }
func (s *Service) messagesColl() *store.Collection { return s.env.Store.Collection("sns", "messages") }

func errInvalid(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: "+format, args...)
}

func errNotFound() error {
	return core.Errorf(http.StatusNotFound, "NotFound", "Topic does not exist")
}

var topicNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// CreateTopic creates a topic (or returns the existing one of that name)
// and returns its ARN.
func (s *Service) CreateTopic(name string, attributes, tags map[string]string) (string, error) {
	fifo := attributes["FifoTopic"] == "true"
	base := name
	if fifo {
		base = strings.TrimSuffix(name, ".fifo")
		if base == name {
			return "", errInvalid("Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
		}
	}
	if !topicNamePattern.MatchString(base) || len(name) > 256 {
		return "", errInvalid("Topic Name")
	}
	arn := s.env.ARN("sns", name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.topics[arn]; ok {
		for k, v := range attributes {
			if t.meta.Attributes[k] != v {
				return "", errInvalid("Attributes Reason: Topic already exists with different attributes")
			}
		}
		return arn, nil
	}
	m := topicMeta{Name: name, ARN: arn, Attributes: map[string]string{}, Tags: tags, Created: s.env.Clock.Now().UTC()}
	for k, v := range attributes {
		m.Attributes[k] = v
	}
	if err := s.topicsColl().Put(name, m); err != nil {
		return "", err
	}
	s.topics[arn] = &topic{meta: m, messages: []Message{}}
	return arn, nil
}

// DeleteTopic deletes a topic and its kept messages; deleting a missing
// topic succeeds, as on AWS.
func (s *Service) DeleteTopic(arn string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.topics[arn]
	if !ok {
		return nil
	}
	if err := s.topicsColl().Delete(t.meta.Name); err != nil {
		return err
	}
	if err := s.messagesColl().Delete(t.meta.Name); err != nil {
		return err
	}
	delete(s.topics, arn)
	return nil
}

// Topics returns the ARNs of all topics, sorted.
func (s *Service) Topics() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	arns := make([]string, 0, len(s.topics))
	for a := range s.topics {
		arns = append(arns, a)
	}
	sort.Strings(arns)
	return arns
}

// Messages returns the messages published to a topic, oldest first.
func (s *Service) Messages(arn string) ([]Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.topicLocked(arn)
	if err != nil {
		return nil, err
	}
	return append([]Message(nil), t.messages...), nil
}

// OnPublish registers fn to be called (synchronously, after the message is
// stored) for every message published from now on, to any topic.
func (s *Service) OnPublish(fn func(Message)) {
	s.mu.Lock()
	s.listeners = append(s.listeners, fn)
	s.mu.Unlock()
}

func (s *Service) topicLocked(arn string) (*topic, error) {
	t, ok := s.topics[arn]
	if !ok {
		return nil, errNotFound()
	}
	if t.messages == nil {
		msgs := []Message{}
		err := s.messagesColl().ReadLog(t.meta.Name, func(raw json.RawMessage) error {
			var m Message
			if err := json.Unmarshal(raw, &m); err != nil {
				return err
			}
			msgs = append(msgs, m)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("loading messages of %s: %w", arn, err)
		}
		t.messages = msgs
	}
	return t, nil
}

// maxMessageBytes is SNS's message size limit (256 KiB, attributes included).
const maxMessageBytes = 262144

// Publish validates and stores m (TopicARN and Message set), returning it
// with its MessageID (and SequenceNumber on FIFO topics) assigned.
func (s *Service) Publish(m Message) (Message, error) {
	if m.Message == "" {
		return m, errInvalid("Empty message")
	}
	size := len(m.Message)
	for k, a := range m.Attributes {
		size += len(k) + len(a.DataType) + len(a.StringValue) + len(a.BinaryValue)
	}
	if size > maxMessageBytes {
		return m, errInvalid("Message too long")
	}
	if len(m.Subject) > 100 {
		return m, errInvalid("Subject")
	}
	switch m.MessageStructure {
	case "":
	case "json":
		var byProtocol map[string]any
		if err := json.Unmarshal([]byte(m.Message), &byProtocol); err != nil {
			return m, errInvalid("Message Structure - JSON message body failed to parse")
		}
		if _, ok := byProtocol["default"].(string); !ok {
			return m, errInvalid("Message Structure - No default entry in JSON message body")
		}
	default:
		return m, errInvalid("MessageStructure %q is not json", m.MessageStructure)
	}
	for k, a := range m.Attributes {
		if a.DataType == "" || !(strings.HasPrefix(a.DataType, "String") || strings.HasPrefix(a.DataType, "Number") || strings.HasPrefix(a.DataType, "Binary")) {
			return m, errInvalid("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", k)
		}
	}
	s.mu.Lock()
	t, err := s.topicLocked(m.TopicARN)
	if err != nil {
		s.mu.Unlock()
		return m, err
	}
	if t.fifo() {
		if m.GroupID == "" {
			s.mu.Unlock()
			return m, errInvalid("The MessageGroupId parameter is required for FIFO topics")
		}
		if m.DeduplicationID == "" && t.meta.Attributes["ContentBasedDeduplication"] != "true" {
			s.mu.Unlock()
			return m, errInvalid("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
		}
		s.seq++
		m.SequenceNumber = fmt.Sprintf("%020d", s.seq)
	}
	m.MessageID = core.NewRequestID()
	m.Timestamp = s.env.Clock.Now().UTC()
	if err := s.messagesColl().Append(t.meta.Name, m); err != nil {
		s.mu.Unlock()
		return m, err
	}
	t.messages = append(t.messages, m)
	listeners := slices.Clone(s.listeners)
	s.mu.Unlock()
	for _, fn := range listeners {
		fn(m)
	}
	return m, nil
}

func (s *Service) createTopic(_ context.Context, p url.Values) (any, error) {
	arn, err := s.CreateTopic(p.Get("Name"), core.QueryMap(p, "Attributes.entry", "key", "value"), tagsOf(p))
	if err != nil {
		return nil, err
	}
	return struct{ TopicArn string }{arn}, nil
}

func tagsOf(p url.Values) map[string]string {
	tags := core.QueryMap(p, "Tags.member", "Key", "Value")
	if len(tags) == 0 {
		return nil
	}
	return tags
}

func (s *Service) deleteTopic(_ context.Context, p url.Values) (any, error) {
	return nil, s.DeleteTopic(p.Get("TopicArn"))
}

func (s *Service) listTopics(_ context.Context, p url.Values) (any, error) {
	arns := s.Topics()
	start := 0
	if tok := p.Get("NextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 || n > len(arns) {
			return nil, errInvalid("NextToken")
		}
		start = n
	}
	type member struct{ TopicArn string }
	out := struct {
		Topics    []member `xml:"Topics>member"`
		NextToken string   `xml:",omitempty"`
	}{Topics: []member{}}
	end := min(start+100, len(arns))
	for _, a := range arns[start:end] {
		out.Topics = append(out.Topics, member{a})
	}
	if end < len(arns) {
		out.NextToken = strconv.Itoa(end)
	}
	return out, nil
}

func (s *Service) publish(_ context.Context, p url.Values) (any, error) {
	arn := p.Get("TopicArn")
	if arn == "" {
		arn = p.Get("TargetArn")
	}
	if arn == "" {
		if p.Get("PhoneNumber") != "" {
			return nil, core.Errorf(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: PhoneNumber: SMS is not supported by the local cloud")
		}
		return nil, errInvalid("TopicArn or TargetArn Reason: no value for required parameter")
	}
	m := Message{TopicARN: arn, Subject: p.Get("Subject"), Message: p.Get("Message"), MessageStructure: p.Get("MessageStructure"),
		GroupID: p.Get("MessageGroupId"), DeduplicationID: p.Get("MessageDeduplicationId")}
	for _, e := range core.QueryStructs(p, "MessageAttributes.entry") {
		if m.Attributes == nil {
			m.Attributes = map[string]MessageAttribute{}
		}
		a := MessageAttribute{DataType: e.Get("Value.DataType"), StringValue: e.Get("Value.StringValue")}
		if b := e.Get("Value.BinaryValue"); b != "" {
			raw, err := base64.StdEncoding.DecodeString(b)
			if err != nil {
				return nil, errInvalid("The message attribute '%s' has an invalid binary value", e.Get("Name"))
			}
			a.BinaryValue = raw
		}
		m.Attributes[e.Get("Name")] = a
	}
	m, err := s.Publish(m)
	if err != nil {
		return nil, err
	}
	return struct {
		MessageId      string
		SequenceNumber string `xml:",omitempty"`
	}{m.MessageID, m.SequenceNumber}, nil
}

type entry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func (s *Service) getTopicAttributes(_ context.Context, p url.Values) (any, error) {
	arn := p.Get("TopicArn")
	s.mu.Lock()
	t, ok := s.topics[arn]
	var attrs map[string]string
	if ok {
		attrs = s.attributesLocked(t)
	}
	s.mu.Unlock()
	if !ok {
		return nil, errNotFound()
	}
	s.withSubscriptionCounts(arn, attrs)
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := struct {
		Attributes []entry `xml:"Attributes>entry"`
	}{}
	for _, k := range keys {
		out.Attributes = append(out.Attributes, entry{k, attrs[k]})
	}
	return out, nil
}

// attributesLocked returns a topic's attributes, defaults included.
func (s *Service) attributesLocked(t *topic) map[string]string {
	policy, _ := json.Marshal(map[string]any{
		"Version": "2008-10-17", "Id": "__default_policy_ID",
		"Statement": []any{map[string]any{
			"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": map[string]string{"AWS": "*"},
			"Action":    []string{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"},
			"Resource":  t.meta.ARN,
			"Condition": map[string]any{"StringEquals": map[string]string{"AWS:SourceOwner": s.env.AccountID}},
		}},
	})
	attrs := map[string]string{
		"TopicArn": t.meta.ARN, "Owner": s.env.AccountID, "Policy": string(policy), "DisplayName": "",
		"SubscriptionsPending": "0", "SubscriptionsConfirmed": "0", "SubscriptionsDeleted": "0",
		"EffectiveDeliveryPolicy": `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`,
	}
	for k, v := range t.meta.Attributes {
		attrs[k] = v
	}
	return attrs
}

// withSubscriptionCounts fills a topic's SubscriptionsConfirmed and
// SubscriptionsPending. It takes the subscriptions' lock, so the caller
// must not hold s.mu.
func (s *Service) withSubscriptionCounts(arn string, attrs map[string]string) {
	confirmed, pending := s.subscriptionCounts(arn)
	attrs["SubscriptionsConfirmed"], attrs["SubscriptionsPending"] = strconv.Itoa(confirmed), strconv.Itoa(pending)
}

// settableAttributes are the topic attributes SetTopicAttributes accepts.
var settableAttributes = map[string]bool{
	"DisplayName": true, "Policy": true, "DeliveryPolicy": true, "KmsMasterKeyId": true,
	"TracingConfig": true, "SignatureVersion": true, "ContentBasedDeduplication": true,
	"ArchivePolicy": true, "DataProtectionPolicy": true, "FifoThroughputScope": true,
}

func (s *Service) setTopicAttributes(_ context.Context, p url.Values) (any, error) {
	arn, name, value := p.Get("TopicArn"), p.Get("AttributeName"), p.Get("AttributeValue")
	if !settableAttributes[name] && !strings.HasSuffix(name, "FeedbackRoleArn") && !strings.HasSuffix(name, "FeedbackSampleRate") {
		return nil, errInvalid("AttributeName")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.topics[arn]
	if !ok {
		return nil, errNotFound()
	}
	m := t.meta
	m.Attributes = map[string]string{}
	for k, v := range t.meta.Attributes {
		m.Attributes[k] = v
	}
	m.Attributes[name] = value
	if err := s.topicsColl().Put(m.Name, m); err != nil {
		return nil, err
	}
	t.meta = m
	return nil, nil
}
