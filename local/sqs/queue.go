package sqs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Queue attribute defaults and bounds.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
var attributeDefaults = map[string]string{
	"DelaySeconds":                  "0",
	"MaximumMessageSize":            "262144",
	"MessageRetentionPeriod":        "345600",
	"ReceiveMessageWaitTimeSeconds": "0",
	"VisibilityTimeout":             "30",
}

var attributeBounds = map[string][2]int{
	"DelaySeconds":                  {0, 900},
	"MaximumMessageSize":            {1024, 262144},
	"MessageRetentionPeriod":        {60, 1209600},
	"ReceiveMessageWaitTimeSeconds": {0, 20},
	"VisibilityTimeout":             {0, 43200},
}

// settable are the attributes CreateQueue and SetQueueAttributes accept
// (those not in attributeBounds are kept as given).
var settable = map[string]bool{
	"DelaySeconds": true, "MaximumMessageSize": true, "MessageRetentionPeriod": true, "ReceiveMessageWaitTimeSeconds": true,
	"VisibilityTimeout": true, "Policy": true, "RedrivePolicy": true, "RedriveAllowPolicy": true, "FifoQueue": true,
	"ContentBasedDeduplication": true, "KmsMasterKeyId": true, "KmsDataKeyReusePeriodSeconds": true, "SqsManagedSseEnabled": true,
	"DeduplicationScope": true, "FifoThroughputLimit": true,
}

type queueMeta struct {
	Name       string
	ARN        string
	Attributes map[string]string `json:",omitempty"`
	Tags       map[string]string `json:",omitempty"`
	Created    time.Time
	Modified   time.Time
}

// MessageAttribute is a typed message attribute.
type MessageAttribute struct {
	DataType    string
	StringValue string `json:",omitempty"`
	BinaryValue []byte `json:",omitempty"`
}

// Message is a message in a queue.
type Message struct {
	ID           string
	Body         string
	Attributes   map[string]MessageAttribute `json:",omitempty"`
	Sent         time.Time
	VisibleAt    time.Time
	ReceiveCount int       `json:",omitempty"`
	FirstReceive time.Time `json:",omitzero"`
	GroupID      string    `json:",omitempty"`
	DedupID      string    `json:",omitempty"`
	Sequence     string    `json:",omitempty"`
	// SourceARN is the queue a dead-lettered message came from.
	SourceARN string `json:",omitempty"`
}

type queue struct {
	meta     queueMeta
	msgs     []*Message // in send order
	byID     map[string]*Message
	seq      int64
	logLines int
	// wake is closed (and replaced) when a message may have become
	// receivable, waking long polls.
	wake chan struct{}
}

func newQueue(m queueMeta) *queue {
	return &queue{meta: m, byID: map[string]*Message{}, wake: make(chan struct{})}
}

func (q *queue) fifo() bool { return q.meta.Attributes["FifoQueue"] == "true" }

func (q *queue) attr(name string) string {
	if v, ok := q.meta.Attributes[name]; ok {
		return v
	}
	return attributeDefaults[name]
}

func (q *queue) int(name string) int {
	n, _ := strconv.Atoi(q.attr(name))
	return n
}

func (q *queue) seconds(name string) time.Duration {
	return time.Duration(q.int(name)) * time.Second
}

func (q *queue) notify() {
	close(q.wake)
	q.wake = make(chan struct{})
}

func (q *queue) add(m *Message) {
	q.msgs = append(q.msgs, m)
	q.byID[m.ID] = m
}

func (q *queue) remove(id string) {
	if _, ok := q.byID[id]; !ok {
		return
	}
	delete(q.byID, id)
	for i, m := range q.msgs {
		if m.ID == id {
			q.msgs = append(q.msgs[:i:i], q.msgs[i+1:]...)
			break
		}
	}
}

// redrivePolicy is a queue's RedrivePolicy attribute.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
type redrivePolicy struct {
	DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int    `json:"maxReceiveCount"`
}

func parseRedrive(s string) (redrivePolicy, error) {
	var raw struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		MaxReceiveCount     any    `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return redrivePolicy{}, errInvalidValue("Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.", s)
	}
	var n int
	switch v := raw.MaxReceiveCount.(type) {
	case float64:
		n = int(v)
	case string:
		n, _ = strconv.Atoi(v)
	}
	if raw.DeadLetterTargetArn == "" || n < 1 || n > 1000 {
		return redrivePolicy{}, errInvalidValue("Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy must contain deadLetterTargetArn and a maxReceiveCount between 1 and 1000.", s)
	}
	return redrivePolicy{DeadLetterTargetArn: raw.DeadLetterTargetArn, MaxReceiveCount: n}, nil
}

// checkAttributes validates attributes given to CreateQueue or
// SetQueueAttributes.
func checkAttributes(attrs map[string]string) error {
	for k, v := range attrs {
		if !settable[k] {
			return errAttributeName(k)
		}
		if b, ok := attributeBounds[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < b[0] || n > b[1] {
				return errAttributeValue(k)
			}
		}
		switch k {
		case "RedrivePolicy":
			if v != "" {
				if _, err := parseRedrive(v); err != nil {
					return err
				}
			}
		case "FifoQueue", "ContentBasedDeduplication":
			if v != "true" && v != "false" {
				return errAttributeValue(k)
			}
		}
	}
	return nil
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
var queueNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

func checkQueueName(name string, fifo bool) error {
	base := name
	if fifo {
		base = strings.TrimSuffix(name, ".fifo")
		if base == name {
			return errInvalidValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
		}
	} else if strings.HasSuffix(name, ".fifo") {
		return errInvalidValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	if !queueNamePattern.MatchString(base) || len(name) > 80 {
		return errInvalidValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	return nil
}

// attributesLocked returns every attribute of q, computed ones included.
func (s *Service) attributesLocked(q *queue) map[string]string {
	now := s.env.Clock.Now()
	var visible, inflight, delayed int
	for _, m := range q.msgs {
		switch {
		case !m.VisibleAt.After(now):
			visible++
		case m.ReceiveCount > 0:
			inflight++
		default:
			delayed++
		}
	}
	out := map[string]string{
		"QueueArn":                              q.meta.ARN,
		"ApproximateNumberOfMessages":           strconv.Itoa(visible),
		"ApproximateNumberOfMessagesNotVisible": strconv.Itoa(inflight),
		"ApproximateNumberOfMessagesDelayed":    strconv.Itoa(delayed),
		"CreatedTimestamp":                      strconv.FormatInt(q.meta.Created.Unix(), 10),
		"LastModifiedTimestamp":                 strconv.FormatInt(q.meta.Modified.Unix(), 10),
		"SqsManagedSseEnabled":                  "true",
	}
	for k, v := range attributeDefaults {
		out[k] = v
	}
	for k, v := range q.meta.Attributes {
		if v != "" {
			out[k] = v
		}
	}
	if q.fifo() {
		if _, ok := out["ContentBasedDeduplication"]; !ok {
			out["ContentBasedDeduplication"] = "false"
		}
		if _, ok := out["DeduplicationScope"]; !ok {
			out["DeduplicationScope"] = "queue"
		}
		if _, ok := out["FifoThroughputLimit"]; !ok {
			out["FifoThroughputLimit"] = "perQueue"
		}
	}
	return out
}

// selectAttributes picks the requested attribute names ("All" for all).
func selectAttributes(all map[string]string, names []string) (map[string]string, error) {
	out := map[string]string{}
	for _, n := range names {
		if n == "All" {
			return all, nil
		}
		v, ok := all[n]
		if !ok {
			if _, known := attributeDefaults[n]; !known && !settable[n] {
				return nil, errAttributeName(n)
			}
			continue
		}
		out[n] = v
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *Service) queueURL(name string) string {
	return fmt.Sprintf("%s/%s/%s", s.env.Endpoint, s.env.AccountID, name)
}

// queueName extracts the queue name from a queue URL (any host: the SDKs
// send the URL they were given) or accepts a bare name.
func queueName(url string) string {
	url = strings.TrimRight(url, "/")
	return url[strings.LastIndex(url, "/")+1:]
}
