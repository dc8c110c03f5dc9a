package s3

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
)

// s3Principal is the service principal S3 acts as when it notifies.
const s3Principal = "s3.amazonaws.com"

// PutBucketNotificationConfiguration replaces a bucket's notification
// configuration through the Go API (the AWS::S3::Bucket provider's
// NotificationConfiguration). As on AWS, every destination is checked
// first: the function's resource policy must let s3.amazonaws.com invoke
// it for this bucket, the queue's policy must let S3 send to it, and the
// topic must exist; queues and topics then receive an s3:TestEvent.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
func (s *Service) PutBucketNotificationConfiguration(ctx context.Context, bucket string, cfg NotificationConfiguration) error {
	if _, err := s.meta(bucket); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	assignIDs(&cfg)
	var bad [][2]string
	for _, d := range cfg.destinations() {
		if reason := s.checkDestination(ctx, bucket, d); reason != "" {
			bad = append(bad, [2]string{d.arn, reason})
		}
	}
	if len(bad) > 0 {
		e := core.Errorf(http.StatusBadRequest, "InvalidArgument", "Unable to validate the following destination configurations")
		for i, b := range bad {
			n := strconv.Itoa(i + 1)
			e = e.With("ArgumentName"+n, b[0]).With("ArgumentValue"+n, b[1])
		}
		return e
	}
	var stored *NotificationConfiguration
	if len(cfg.destinations()) > 0 {
		stored = &cfg
	}
	if err := s.updateMeta(bucket, func(m *bucketMeta) { m.Notification = stored }); err != nil {
		return err
	}
	tested := map[string]bool{}
	for _, d := range cfg.destinations() {
		if d.kind != "lambda" && !tested[d.arn] {
			tested[d.arn] = true
			s.send(ctx, bucket, d, testEvent(bucket, core.CallFrom(ctx).RequestID, s.env.Clock.Now()))
		}
	}
	return nil
}

// assignIDs names the configurations that have no Id, as S3 does.
func assignIDs(cfg *NotificationConfiguration) {
	id := func(s *string) {
		if *s == "" {
			*s = base64.StdEncoding.EncodeToString([]byte(newID()))[:40]
		}
	}
	for i := range cfg.LambdaFunctionConfigurations {
		id(&cfg.LambdaFunctionConfigurations[i].ID)
	}
	for i := range cfg.QueueConfigurations {
		id(&cfg.QueueConfigurations[i].ID)
	}
	for i := range cfg.TopicConfigurations {
		id(&cfg.TopicConfigurations[i].ID)
	}
}

// allowsS3 evaluates a destination's resource policy for S3 acting for
// bucket.
func (s *Service) allowsS3(policy, action, resource, bucket string) bool {
	if policy == "" {
		return false
	}
	p, err := iam.ParsePolicy(policy)
	if err != nil {
		return false
	}
	return iam.Evaluate(iam.Request{Action: action, Resource: resource,
		Principal: map[string]string{"Service": s3Principal},
		Context:   map[string]string{"aws:SourceArn": "arn:aws:s3:::" + bucket, "aws:SourceAccount": s.env.AccountID}}, p) == iam.Allow
}

// Destinations is how S3 reaches the services it notifies. The local
// cloud wires it (local/s3_destinations.go) with its Lambda, SQS and SNS:
// those packages import S3 or may, so S3 does not import them.
type Destinations interface {
	// FunctionPolicy returns a function's resource policy (an error when
	// the function does not exist or has none).
	FunctionPolicy(ctx context.Context, functionARN string) (string, error)
	// InvokeFunction invokes a function asynchronously (Event).
	InvokeFunction(ctx context.Context, functionARN string, payload []byte) error
	// QueuePolicy returns a queue's Policy attribute ("" when it has
	// none; an error when the queue does not exist).
	QueuePolicy(queueARN string) (string, error)
	// SendToQueue sends a message to a queue.
	SendToQueue(queueARN, body string) error
	// TopicExists reports whether a topic exists.
	TopicExists(topicARN string) bool
	// PublishToTopic publishes a message to a topic.
	PublishToTopic(topicARN, subject, body string) error
}

// SetDestinations wires the services notifications are delivered to.
func (s *Service) SetDestinations(d Destinations) {
	s.destMu.Lock()
	s.dest = d
	s.destMu.Unlock()
}

func (s *Service) destinationsOrNil() Destinations {
	s.destMu.RLock()
	defer s.destMu.RUnlock()
	return s.dest
}

// checkDestination returns why S3 cannot deliver to d, "" when it can.
func (s *Service) checkDestination(ctx context.Context, bucket string, d destination) string {
	dest := s.destinationsOrNil()
	if dest == nil {
		return "The local cloud delivers no S3 notifications (no Lambda, SQS or SNS wired)"
	}
	switch d.kind {
	case "lambda":
		policy, err := dest.FunctionPolicy(ctx, d.arn)
		if err != nil || !s.allowsS3(policy, "lambda:InvokeFunction", d.arn, bucket) {
			return "Not authorized to invoke function [" + d.arn + "]"
		}
	case "queue":
		policy, err := dest.QueuePolicy(d.arn)
		if err != nil {
			return "The destination queue does not exist"
		}
		if !s.allowsS3(policy, "sqs:SendMessage", d.arn, bucket) {
			return "Permissions on the destination queue do not allow S3 to publish notifications from this bucket"
		}
	case "topic":
		if !dest.TopicExists(d.arn) {
			return "The destination topic does not exist"
		}
	}
	return ""
}

func (s *Service) putBucketNotification(w http.ResponseWriter, r *http.Request, name, _ string) error {
	var cfg NotificationConfiguration
	if err := readXML(r, "NotificationConfiguration", &cfg); err != nil {
		return err
	}
	if err := s.PutBucketNotificationConfiguration(r.Context(), name, cfg); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketNotification(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	m, err := s.meta(name)
	if err != nil {
		return err
	}
	cfg := NotificationConfiguration{}
	if m.Notification != nil {
		cfg = *m.Notification
	}
	cfg.NS = Namespace
	writeXML(w, cfg)
	return nil
}

// change is one object change that may be notified.
type change struct {
	name      string // "ObjectCreated:Put", "ObjectRemoved:Delete", ...
	key       string
	size      int64
	etag      string
	versionID string
	principal string
	sourceIP  string
	requestID string
}

// sequencer orders the events of a key, as S3's hexadecimal sequencer does.
var sequencer atomic.Uint64

// notify delivers ch to every destination of the bucket whose events and
// filters match it: functions are invoked asynchronously (Event), queues
// and topics receive the event at once. A destination that has become
// unreachable (a removed permission, a deleted queue) is skipped with a
// warning, as S3 drops events it cannot deliver.
func (s *Service) notify(ctx context.Context, bucket string, ch change) {
	m, err := s.meta(bucket)
	if err != nil || m.Notification == nil {
		return
	}
	for _, d := range m.Notification.destinations() {
		if !d.matches(ch) {
			continue
		}
		if reason := s.checkDestination(ctx, bucket, d); reason != "" {
			s.log.WithField("bucket", bucket).WithField("destination", d.arn).Warn("s3: event notification not delivered: " + reason)
			continue
		}
		s.send(ctx, bucket, d, s.event(m, d, ch))
	}
}

// matches applies a destination's event types and key filters.
func (d destination) matches(ch change) bool {
	if !strings.HasPrefix(ch.key, d.prefix) || !strings.HasSuffix(ch.key, d.suffix) {
		return false
	}
	for _, e := range d.events {
		if eventMatches(e, ch.name) {
			return true
		}
	}
	return false
}

// send delivers one message to a destination.
func (s *Service) send(ctx context.Context, bucket string, d destination, body []byte) {
	dest := s.destinationsOrNil()
	if dest == nil {
		return
	}
	var err error
	switch d.kind {
	case "lambda":
		err = dest.InvokeFunction(context.WithoutCancel(ctx), d.arn, body)
	case "queue":
		err = dest.SendToQueue(d.arn, string(body))
	case "topic":
		err = dest.PublishToTopic(d.arn, "Amazon S3 Notification", string(body))
	}
	if err != nil {
		s.log.WithError(err).WithField("bucket", bucket).WithField("destination", d.arn).Warn("s3: delivering an event notification failed")
	}
}

// testEvent is the message S3 sends to a queue or topic when a
// configuration names it.
func testEvent(bucket, requestID string, now time.Time) []byte {
	b, _ := json.Marshal(map[string]string{
		"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": now.UTC().Format(timeFormat),
		"Bucket": bucket, "RequestId": requestID, "HostId": requestID,
	})
	return b
}

// Event is S3's event message, as functions, queues and topics receive it.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
type Event struct {
	Records []EventRecord `json:"Records"`
}

// EventRecord is one record of an [Event].
type EventRecord struct {
	EventVersion      string            `json:"eventVersion"`
	EventSource       string            `json:"eventSource"`
	AWSRegion         string            `json:"awsRegion"`
	EventTime         string            `json:"eventTime"`
	EventName         string            `json:"eventName"`
	UserIdentity      principalID       `json:"userIdentity"`
	RequestParameters map[string]string `json:"requestParameters"`
	ResponseElements  map[string]string `json:"responseElements"`
	S3                EventEntity       `json:"s3"`
}

type principalID struct {
	PrincipalID string `json:"principalId"`
}

// EventEntity is the "s3" member of a record.
type EventEntity struct {
	SchemaVersion   string      `json:"s3SchemaVersion"`
	ConfigurationID string      `json:"configurationId"`
	Bucket          EventBucket `json:"bucket"`
	Object          EventObject `json:"object"`
}

// EventBucket names the bucket of a record.
type EventBucket struct {
	Name          string      `json:"name"`
	OwnerIdentity principalID `json:"ownerIdentity"`
	Arn           string      `json:"arn"`
}

// EventObject describes the object of a record; Size and ETag are left out
// for removals, as S3 does.
type EventObject struct {
	Key       string `json:"key"`
	Size      *int64 `json:"size,omitempty"`
	ETag      string `json:"eTag,omitempty"`
	VersionID string `json:"versionId,omitempty"`
	Sequencer string `json:"sequencer"`
}

// event builds the message of ch for destination d.
func (s *Service) event(m bucketMeta, d destination, ch change) []byte {
	obj := EventObject{Key: eventKey(ch.key), VersionID: ch.versionID,
		Sequencer: fmt.Sprintf("%018X", uint64(s.env.Clock.Now().UnixNano())+sequencer.Add(1))}
	if strings.HasPrefix(ch.name, "ObjectCreated:") {
		size := ch.size
		obj.Size, obj.ETag = &size, strings.Trim(ch.etag, `"`)
	}
	principal := ch.principal
	if principal == "" {
		principal = "anonymous"
	}
	rec := EventRecord{
		EventVersion: "2.1", EventSource: "aws:s3", AWSRegion: m.Region,
		EventTime:         s.env.Clock.Now().UTC().Format(timeFormat),
		EventName:         ch.name,
		UserIdentity:      principalID{principal},
		RequestParameters: map[string]string{"sourceIPAddress": ch.sourceIP},
		ResponseElements:  map[string]string{"x-amz-request-id": ch.requestID, "x-amz-id-2": ch.requestID},
		S3: EventEntity{SchemaVersion: "1.0", ConfigurationID: d.id,
			Bucket: EventBucket{Name: m.Name, OwnerIdentity: principalID{s.owner.ID}, Arn: "arn:aws:s3:::" + m.Name},
			Object: obj},
	}
	b, _ := json.Marshal(Event{Records: []EventRecord{rec}})
	return b
}

// eventKey encodes a key as S3 does in event messages: URL-encoded as in
// an HTML form, spaces as "+".
func eventKey(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// changeFrom fills the requester fields of a change from the request.
func changeFrom(r *http.Request, name, key string, v version) change {
	call := core.CallFrom(r.Context())
	ch := change{name: name, key: key, size: v.Size, etag: v.ETag, versionID: v.VersionID, requestID: call.RequestID}
	if p := call.Principal; p.ARN != "" {
		ch.principal = "AWS:" + p.UserID()
	}
	ch.sourceIP = r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		ch.sourceIP = host
	}
	return ch
}

// notifyRemoval notifies a DeleteObject or one key of DeleteObjects:
// ObjectRemoved:DeleteMarkerCreated when a versioned bucket got a delete
// marker, ObjectRemoved:Delete otherwise (S3 sends it whether or not the
// key existed).
func (s *Service) notifyRemoval(r *http.Request, bucket string, d deletedEntry) {
	ch := changeFrom(r, "ObjectRemoved:Delete", d.Key, version{VersionID: d.VersionID})
	if d.DeleteMarker && d.VersionID == "" {
		ch.name, ch.versionID = "ObjectRemoved:DeleteMarkerCreated", d.DeleteMarkerVersionID
	}
	s.notify(r.Context(), bucket, ch)
}
