package s3

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// NotificationConfiguration is a bucket's event notification
// configuration, in the XML of PutBucketNotificationConfiguration.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_NotificationConfiguration.html
type NotificationConfiguration struct {
	XMLName xml.Name `xml:"NotificationConfiguration" json:"-"`
	NS      string   `xml:"xmlns,attr,omitempty" json:"-"`
	// TopicConfigurations publish to SNS topics.
	TopicConfigurations []TopicConfiguration `xml:"TopicConfiguration" json:",omitempty"`
	// QueueConfigurations send to SQS queues.
	QueueConfigurations []QueueConfiguration `xml:"QueueConfiguration" json:",omitempty"`
	// LambdaFunctionConfigurations invoke functions asynchronously.
	LambdaFunctionConfigurations []LambdaFunctionConfiguration `xml:"CloudFunctionConfiguration" json:",omitempty"`
	// EventBridgeConfiguration, when present, sends every event to
	// EventBridge; refused locally (no EventBridge bus to send to).
	EventBridgeConfiguration *struct{} `xml:",omitempty" json:",omitempty"`
}

// TopicConfiguration is an SNS destination.
type TopicConfiguration struct {
	ID       string              `xml:"Id,omitempty" json:",omitempty"`
	TopicArn string              `xml:"Topic"`
	Events   []string            `xml:"Event"`
	Filter   *NotificationFilter `xml:",omitempty" json:",omitempty"`
}

// QueueConfiguration is an SQS destination.
type QueueConfiguration struct {
	ID       string              `xml:"Id,omitempty" json:",omitempty"`
	QueueArn string              `xml:"Queue"`
	Events   []string            `xml:"Event"`
	Filter   *NotificationFilter `xml:",omitempty" json:",omitempty"`
}

// LambdaFunctionConfiguration is a Lambda destination.
type LambdaFunctionConfiguration struct {
	ID                string              `xml:"Id,omitempty" json:",omitempty"`
	LambdaFunctionArn string              `xml:"CloudFunction"`
	Events            []string            `xml:"Event"`
	Filter            *NotificationFilter `xml:",omitempty" json:",omitempty"`
}

// NotificationFilter holds the key name rules of a destination.
type NotificationFilter struct {
	Key struct {
		FilterRules []FilterRule `xml:"FilterRule"`
	} `xml:"S3Key"`
}

// FilterRule is a "prefix" or "suffix" rule on object keys.
type FilterRule struct {
	Name  string
	Value string
}

// destination is one configuration of any kind, normalized.
type destination struct {
	kind   string // "lambda", "queue", "topic"
	id     string
	arn    string
	events []string
	prefix string
	suffix string
}

// destinations lists a configuration's destinations in a fixed order.
func (c *NotificationConfiguration) destinations() []destination {
	var out []destination
	add := func(kind, id, arn string, events []string, f *NotificationFilter) {
		d := destination{kind: kind, id: id, arn: arn, events: events}
		if f != nil {
			for _, r := range f.Key.FilterRules {
				switch strings.ToLower(r.Name) {
				case "prefix":
					d.prefix = r.Value
				case "suffix":
					d.suffix = r.Value
				}
			}
		}
		out = append(out, d)
	}
	for _, l := range c.LambdaFunctionConfigurations {
		add("lambda", l.ID, l.LambdaFunctionArn, l.Events, l.Filter)
	}
	for _, q := range c.QueueConfigurations {
		add("queue", q.ID, q.QueueArn, q.Events, q.Filter)
	}
	for _, t := range c.TopicConfigurations {
		add("topic", t.ID, t.TopicArn, t.Events, t.Filter)
	}
	return out
}

// notificationEvents are the event types S3 publishes.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
var notificationEvents = map[string]bool{
	"s3:ObjectCreated:*": true, "s3:ObjectCreated:Put": true, "s3:ObjectCreated:Post": true,
	"s3:ObjectCreated:Copy": true, "s3:ObjectCreated:CompleteMultipartUpload": true,
	"s3:ObjectRemoved:*": true, "s3:ObjectRemoved:Delete": true, "s3:ObjectRemoved:DeleteMarkerCreated": true,
	"s3:ObjectRestore:*": true, "s3:ObjectRestore:Post": true, "s3:ObjectRestore:Completed": true, "s3:ObjectRestore:Delete": true,
	"s3:ReducedRedundancyLostObject": true,
	"s3:Replication:*":               true, "s3:Replication:OperationFailedReplication": true,
	"s3:Replication:OperationMissedThreshold": true, "s3:Replication:OperationReplicatedAfterThreshold": true,
	"s3:Replication:OperationNotTracked": true,
	"s3:LifecycleExpiration:*":           true, "s3:LifecycleExpiration:Delete": true, "s3:LifecycleExpiration:DeleteMarkerCreated": true,
	"s3:LifecycleTransition": true, "s3:IntelligentTiering": true,
	"s3:ObjectTagging:*": true, "s3:ObjectTagging:Put": true, "s3:ObjectTagging:Delete": true,
	"s3:ObjectAcl:Put": true,
}

// eventMatches reports whether a configured event type (possibly a
// wildcard such as s3:ObjectCreated:*) covers the event name
// ("ObjectCreated:Put").
func eventMatches(configured, name string) bool {
	c := strings.TrimPrefix(configured, "s3:")
	if prefix, ok := strings.CutSuffix(c, "*"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return c == name
}

// eventsOverlap reports whether two configured event types can match the
// same event.
func eventsOverlap(a, b string) bool {
	pa, wa := strings.CutSuffix(a, "*")
	pb, wb := strings.CutSuffix(b, "*")
	switch {
	case wa && wb:
		return strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)
	case wa:
		return strings.HasPrefix(b, pa)
	case wb:
		return strings.HasPrefix(a, pb)
	}
	return a == b
}

func errNotificationArgument(msg, name, value string) error {
	return core.Errorf(http.StatusBadRequest, "InvalidArgument", "%s", msg).With("ArgumentName", name).With("ArgumentValue", value)
}

// validate applies the configuration-time rules of S3: known event types,
// one prefix and one suffix rule per filter, and no two destinations whose
// events, prefixes and suffixes overlap.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
func (c *NotificationConfiguration) validate() error {
	if c.EventBridgeConfiguration != nil {
		return errNotSupported("EventBridgeConfiguration (the local cloud has no EventBridge bus for S3 events)")
	}
	all := append(append(append([]*NotificationFilter(nil), filtersOfLambda(c)...), filtersOfQueue(c)...), filtersOfTopic(c)...)
	for _, f := range all {
		if f == nil {
			continue
		}
		seen := map[string]bool{}
		for _, r := range f.Key.FilterRules {
			n := strings.ToLower(r.Name)
			if n != "prefix" && n != "suffix" {
				return errNotificationArgument("filter rule name must be either prefix or suffix", "FilterRule", r.Name)
			}
			if seen[n] {
				return errNotificationArgument("Cannot specify more than one "+n+" rule in a filter.", "FilterRule", r.Name)
			}
			seen[n] = true
		}
	}
	ds := c.destinations()
	for _, d := range ds {
		if d.arn == "" {
			return errMalformedXML("NotificationConfiguration", errNoDestination)
		}
		if len(d.events) == 0 {
			return errNotificationArgument("The event is not supported for notifications", "Event", "")
		}
		for _, e := range d.events {
			if !notificationEvents[e] {
				return errNotificationArgument("The event is not supported for notifications", "Event", e)
			}
		}
	}
	for i := range ds {
		for j := i + 1; j < len(ds); j++ {
			if overlapping(ds[i], ds[j]) {
				return errNotificationArgument("Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.",
					"Event", strconv.Itoa(j))
			}
		}
	}
	return nil
}

type configError string

func (e configError) Error() string { return string(e) }

const errNoDestination = configError("a configuration names no destination ARN")

func overlapping(a, b destination) bool {
	events := false
	for _, ea := range a.events {
		for _, eb := range b.events {
			if eventsOverlap(ea, eb) {
				events = true
			}
		}
	}
	if !events {
		return false
	}
	prefixes := strings.HasPrefix(a.prefix, b.prefix) || strings.HasPrefix(b.prefix, a.prefix)
	suffixes := strings.HasSuffix(a.suffix, b.suffix) || strings.HasSuffix(b.suffix, a.suffix)
	return prefixes && suffixes
}

func filtersOfLambda(c *NotificationConfiguration) []*NotificationFilter {
	var out []*NotificationFilter
	for _, l := range c.LambdaFunctionConfigurations {
		out = append(out, l.Filter)
	}
	return out
}

func filtersOfQueue(c *NotificationConfiguration) []*NotificationFilter {
	var out []*NotificationFilter
	for _, q := range c.QueueConfigurations {
		out = append(out, q.Filter)
	}
	return out
}

func filtersOfTopic(c *NotificationConfiguration) []*NotificationFilter {
	var out []*NotificationFilter
	for _, t := range c.TopicConfigurations {
		out = append(out, t.Filter)
	}
	return out
}
