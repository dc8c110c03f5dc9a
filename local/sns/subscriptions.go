package sns

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/sparta-go/sparta/local/store"
)

// Subscription is a topic's subscriber. Subscriptions are created as AWS
// creates them for every protocol, and delivered to where the local cloud
// can deliver: lambda (an Event invocation), sqs (a message in the local
// queue), http and https (POSTs to a loopback endpoint). email, email-json
// and sms subscriptions stay pending confirmation and receive nothing.
// See https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html
type Subscription struct {
	ARN      string
	TopicARN string
	Protocol string
	Endpoint string
	// Attributes are the settable subscription attributes
	// (RawMessageDelivery, FilterPolicy, FilterPolicyScope,
	// DeliveryPolicy, RedrivePolicy, SubscriptionRoleArn, ReplayPolicy).
	Attributes map[string]string `json:",omitempty"`
	// Pending is true until the subscription is confirmed (http, https)
	// and forever for email, email-json and sms.
	Pending bool `json:",omitempty"`
	// Token is the confirmation token sent to an http/https endpoint.
	Token string `json:",omitempty"`
}

// Protocols as SNS names them.
const (
	protoLambda    = "lambda"
	protoSQS       = "sqs"
	protoHTTP      = "http"
	protoHTTPS     = "https"
	protoEmail     = "email"
	protoEmailJSON = "email-json"
	protoSMS       = "sms"
)

// pendingARN is what Subscribe returns, and ListSubscriptions lists, for a
// subscription awaiting confirmation.
const (
	pendingSubscribe = "pending confirmation"
	pendingListed    = "PendingConfirmation"
)

// subscriptionAttributes are the attributes Subscribe and
// SetSubscriptionAttributes accept.
// See https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
var subscriptionAttributes = map[string]bool{
	"DeliveryPolicy": true, "FilterPolicy": true, "FilterPolicyScope": true, "RawMessageDelivery": true,
	"RedrivePolicy": true, "SubscriptionRoleArn": true, "ReplayPolicy": true,
}

type subscriptions struct {
	mu    sync.Mutex
	byARN map[string]Subscription
}

func (s *Service) subsColl() *store.Collection { return s.env.Store.Collection("sns", "subscriptions") }

// subs returns the subscriptions, loading them from the store once.
func (s *Service) subs() (*subscriptions, error) {
	s.subsOnce.Do(func() {
		s.subsState = &subscriptions{byARN: map[string]Subscription{}}
		s.subsErr = s.subsColl().Scan(func(_ string, raw json.RawMessage) error {
			var sub Subscription
			if err := json.Unmarshal(raw, &sub); err != nil {
				return err
			}
			s.subsState.byARN[sub.ARN] = sub
			return nil
		})
		s.OnPublish(s.deliver)
	})
	return s.subsState, s.subsErr
}

var (
	phonePattern = regexp.MustCompile(`^\+?[0-9]{7,15}$`)
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// checkEndpoint validates a subscription's endpoint for its protocol, as
// SNS does at Subscribe, and refuses what the local cloud cannot reach.
func checkEndpoint(protocol, endpoint string, fifoTopic bool) error {
	if endpoint == "" {
		return errInvalid("Endpoint Reason: no value for required parameter")
	}
	if fifoTopic && protocol != protoSQS {
		return errInvalid("Invalid protocol type: %s (a FIFO topic delivers to SQS queues only)", protocol)
	}
	switch protocol {
	case protoLambda:
		if !strings.HasPrefix(endpoint, "arn:aws:lambda:") {
			return errInvalid("Lambda endpoint ARN")
		}
	case protoSQS:
		if !strings.HasPrefix(endpoint, "arn:aws:sqs:") {
			return errInvalid("SQS endpoint ARN")
		}
		if !fifoTopic && strings.HasSuffix(endpoint, ".fifo") {
			return errInvalid("Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")
		}
	case protoHTTP, protoHTTPS:
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme != protocol || u.Host == "" {
			return errInvalid("Endpoint must match the specified protocol")
		}
		if !loopback(u.Hostname()) {
			return errInvalid("Endpoint %s: the local cloud delivers %s subscriptions to loopback endpoints only (localhost, 127.0.0.1, ::1)", endpoint, protocol)
		}
	case protoEmail, protoEmailJSON:
		if !emailPattern.MatchString(endpoint) {
			return errInvalid("Email address")
		}
	case protoSMS:
		if !phonePattern.MatchString(endpoint) {
			return errInvalid("Invalid SMS endpoint: %s", endpoint)
		}
	case "application":
		return errInvalid("Protocol application: the local cloud has no platform applications (mobile push); subscribe an http, sqs or lambda endpoint instead")
	case "firehose":
		return errInvalid("Protocol firehose: the local cloud runs no Amazon Data Firehose; subscribe an sqs or lambda endpoint instead")
	default:
		return errInvalid("Amazon SNS does not support this protocol string: %s", protocol)
	}
	return nil
}

// loopback reports whether host names this machine: a loopback IP or
// localhost. Anything else is refused so that a topic cannot make the local
// cloud send requests to other machines.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkSubscriptionAttributes validates attributes given to Subscribe or
// SetSubscriptionAttributes.
func checkSubscriptionAttributes(protocol string, attrs map[string]string) error {
	for k, v := range attrs {
		if !subscriptionAttributes[k] {
			return errInvalid("AttributeName")
		}
		switch k {
		case "RawMessageDelivery":
			if v != "true" && v != "false" {
				return errInvalid("Attributes Reason: RawMessageDelivery: Invalid value [%s]. Must be true or false.", v)
			}
			if v == "true" && protocol != protoSQS && protocol != protoHTTP && protocol != protoHTTPS && protocol != "firehose" {
				return errInvalid("Attributes Reason: Delivery protocol [%s] does not support raw message delivery.", protocol)
			}
		case "FilterPolicy":
			if v != "" {
				if _, err := parseFilterPolicy(v); err != nil {
					return errInvalid("Filter policy: %v", err)
				}
			}
		case "FilterPolicyScope":
			if v != "MessageAttributes" && v != "MessageBody" {
				return errInvalid("Attributes Reason: FilterPolicyScope: Invalid value [%s]. Please use either MessageBody or MessageAttributes", v)
			}
		}
	}
	return nil
}

// SubscribeInput is a Subscribe request.
type SubscribeInput struct {
	TopicARN, Protocol, Endpoint string
	Attributes                   map[string]string
}

// Subscribe subscribes an endpoint to a topic. lambda and sqs
// subscriptions are confirmed at once (the endpoint is in this account);
// http and https ones are pending until the endpoint confirms the
// SubscriptionConfirmation POSTed to it (ConfirmSubscription); email,
// email-json and sms ones stay pending. Subscribing the same endpoint
// again returns the existing subscription, as on AWS.
func (s *Service) Subscribe(topicARN, protocol, endpoint string) (Subscription, error) {
	return s.SubscribeWith(SubscribeInput{TopicARN: topicARN, Protocol: protocol, Endpoint: endpoint})
}

// SubscribeWith is Subscribe with subscription attributes.
func (s *Service) SubscribeWith(in SubscribeInput) (Subscription, error) {
	if in.Protocol == "" {
		return Subscription{}, errInvalid("Protocol Reason: no value for required parameter")
	}
	s.mu.Lock()
	t, ok := s.topics[in.TopicARN]
	fifo := ok && t.fifo()
	s.mu.Unlock()
	if !ok {
		return Subscription{}, errNotFound()
	}
	if err := checkEndpoint(in.Protocol, in.Endpoint, fifo); err != nil {
		return Subscription{}, err
	}
	if err := checkSubscriptionAttributes(in.Protocol, in.Attributes); err != nil {
		return Subscription{}, err
	}
	st, err := s.subs()
	if err != nil {
		return Subscription{}, err
	}
	st.mu.Lock()
	for _, sub := range st.byARN {
		if sub.TopicARN == in.TopicARN && sub.Protocol == in.Protocol && sub.Endpoint == in.Endpoint {
			st.mu.Unlock()
			for k, v := range in.Attributes {
				if sub.Attributes[k] != v {
					return Subscription{}, errInvalid("Attributes Reason: Subscription already exists with different attributes")
				}
			}
			return sub, nil
		}
	}
	sub := Subscription{ARN: in.TopicARN + ":" + core.NewRequestID(), TopicARN: in.TopicARN, Protocol: in.Protocol, Endpoint: in.Endpoint,
		Attributes: maps.Clone(in.Attributes)}
	switch in.Protocol {
	case protoHTTP, protoHTTPS:
		sub.Pending, sub.Token = true, newToken()
	case protoEmail, protoEmailJSON, protoSMS:
		sub.Pending = true
	}
	if err := s.subsColl().Put(subscriptionKey(sub.ARN), sub); err != nil {
		st.mu.Unlock()
		return Subscription{}, err
	}
	st.byARN[sub.ARN] = sub
	st.mu.Unlock()
	if sub.Token != "" {
		s.sendConfirmation(sub)
	}
	return sub, nil
}

// newToken is a confirmation token: AWS's are long hex strings.
func newToken() string {
	var b [64]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ConfirmSubscription confirms the pending subscription of a topic that
// the token was sent for and returns it.
// See https://docs.aws.amazon.com/sns/latest/api/API_ConfirmSubscription.html
func (s *Service) ConfirmSubscription(topicARN, token string) (Subscription, error) {
	if token == "" {
		return Subscription{}, errInvalid("Token Reason: no value for required parameter")
	}
	s.mu.Lock()
	_, ok := s.topics[topicARN]
	s.mu.Unlock()
	if !ok {
		return Subscription{}, errNotFound()
	}
	st, err := s.subs()
	if err != nil {
		return Subscription{}, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, sub := range st.byARN {
		if sub.TopicARN != topicARN || sub.Token != token {
			continue
		}
		if !sub.Pending {
			return sub, nil // confirming twice is harmless
		}
		sub.Pending = false
		if err := s.subsColl().Put(subscriptionKey(sub.ARN), sub); err != nil {
			return Subscription{}, err
		}
		st.byARN[sub.ARN] = sub
		return sub, nil
	}
	return Subscription{}, errInvalid("Token")
}

// Unsubscribe removes a subscription; a missing one is not an error.
func (s *Service) Unsubscribe(arn string) error {
	st, err := s.subs()
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.byARN[arn]; !ok {
		return nil
	}
	if err := s.subsColl().Delete(subscriptionKey(arn)); err != nil {
		return err
	}
	delete(st.byARN, arn)
	return nil
}

// Subscriptions lists the subscriptions of a topic ("" means all), sorted.
func (s *Service) Subscriptions(topicARN string) ([]Subscription, error) {
	st, err := s.subs()
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []Subscription
	for _, sub := range st.byARN {
		if topicARN == "" || sub.TopicARN == topicARN {
			out = append(out, sub)
		}
	}
	slices.SortFunc(out, func(a, b Subscription) int { return strings.Compare(a.ARN, b.ARN) })
	return out, nil
}

// subscription returns one subscription by ARN.
func (s *Service) subscription(arn string) (Subscription, error) {
	st, err := s.subs()
	if err != nil {
		return Subscription{}, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	sub, ok := st.byARN[arn]
	if !ok {
		return Subscription{}, core.Errorf(http.StatusNotFound, "NotFound", "Subscription does not exist")
	}
	return sub, nil
}

// SetSubscriptionAttribute sets (or, with an empty value, clears) one
// attribute of a subscription.
func (s *Service) SetSubscriptionAttribute(arn, name, value string) error {
	sub, err := s.subscription(arn)
	if err != nil {
		return err
	}
	if !subscriptionAttributes[name] {
		return errInvalid("AttributeName")
	}
	if value != "" {
		if err := checkSubscriptionAttributes(sub.Protocol, map[string]string{name: value}); err != nil {
			return err
		}
	}
	st, _ := s.subs()
	st.mu.Lock()
	defer st.mu.Unlock()
	sub, ok := st.byARN[arn]
	if !ok {
		return core.Errorf(http.StatusNotFound, "NotFound", "Subscription does not exist")
	}
	attrs := maps.Clone(sub.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	if value == "" {
		delete(attrs, name)
	} else {
		attrs[name] = value
	}
	sub.Attributes = attrs
	if err := s.subsColl().Put(subscriptionKey(arn), sub); err != nil {
		return err
	}
	st.byARN[arn] = sub
	return nil
}

// SubscriptionAttributes returns a subscription's attributes as
// GetSubscriptionAttributes lists them.
func (s *Service) SubscriptionAttributes(arn string) (map[string]string, error) {
	sub, err := s.subscription(arn)
	if err != nil {
		return nil, err
	}
	out := map[string]string{
		"SubscriptionArn": sub.ARN, "TopicArn": sub.TopicARN, "Protocol": sub.Protocol, "Endpoint": sub.Endpoint,
		"Owner": s.env.AccountID, "PendingConfirmation": fmt.Sprint(sub.Pending), "ConfirmationWasAuthenticated": fmt.Sprint(!sub.Pending),
		"RawMessageDelivery": "false",
	}
	if sub.Protocol == protoHTTP || sub.Protocol == protoHTTPS {
		out["EffectiveDeliveryPolicy"] = `{"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":null,"guaranteed":false}`
	}
	maps.Copy(out, sub.Attributes)
	return out, nil
}

func subscriptionKey(arn string) string { return arn[strings.LastIndex(arn, ":")+1:] }

// subscriptionCounts are a topic's SubscriptionsConfirmed and
// SubscriptionsPending.
func (s *Service) subscriptionCounts(topicARN string) (confirmed, pending int) {
	subs, _ := s.Subscriptions(topicARN)
	for _, sub := range subs {
		if sub.Pending {
			pending++
		} else {
			confirmed++
		}
	}
	return confirmed, pending
}

func (s *Service) subscribe(_ context.Context, p url.Values) (any, error) {
	sub, err := s.SubscribeWith(SubscribeInput{TopicARN: p.Get("TopicArn"), Protocol: p.Get("Protocol"), Endpoint: p.Get("Endpoint"),
		Attributes: core.QueryMap(p, "Attributes.entry", "key", "value")})
	if err != nil {
		return nil, err
	}
	arn := sub.ARN
	if sub.Pending && p.Get("ReturnSubscriptionArn") != "true" {
		arn = pendingSubscribe
	}
	return struct{ SubscriptionArn string }{arn}, nil
}

func (s *Service) confirmSubscription(_ context.Context, p url.Values) (any, error) {
	sub, err := s.ConfirmSubscription(p.Get("TopicArn"), p.Get("Token"))
	if err != nil {
		return nil, err
	}
	return struct{ SubscriptionArn string }{sub.ARN}, nil
}

func (s *Service) unsubscribe(_ context.Context, p url.Values) (any, error) {
	return nil, s.Unsubscribe(p.Get("SubscriptionArn"))
}

func (s *Service) getSubscriptionAttributes(_ context.Context, p url.Values) (any, error) {
	attrs, err := s.SubscriptionAttributes(p.Get("SubscriptionArn"))
	if err != nil {
		return nil, err
	}
	out := struct {
		Attributes []entry `xml:"Attributes>entry"`
	}{}
	for _, k := range sortedKeys(attrs) {
		out.Attributes = append(out.Attributes, entry{k, attrs[k]})
	}
	return out, nil
}

func (s *Service) setSubscriptionAttributes(_ context.Context, p url.Values) (any, error) {
	return nil, s.SetSubscriptionAttribute(p.Get("SubscriptionArn"), p.Get("AttributeName"), p.Get("AttributeValue"))
}

type subscriptionMember struct {
	SubscriptionArn, Owner, Protocol, Endpoint, TopicArn string
}

func (s *Service) listSubscriptions(_ context.Context, p url.Values) (any, error) {
	return s.subscriptionList("", p)
}

func (s *Service) listSubscriptionsByTopic(_ context.Context, p url.Values) (any, error) {
	topic := p.Get("TopicArn")
	s.mu.Lock()
	_, ok := s.topics[topic]
	s.mu.Unlock()
	if !ok {
		return nil, errNotFound()
	}
	return s.subscriptionList(topic, p)
}

func (s *Service) subscriptionList(topic string, _ url.Values) (any, error) {
	subs, err := s.Subscriptions(topic)
	if err != nil {
		return nil, err
	}
	out := struct {
		Subscriptions []subscriptionMember `xml:"Subscriptions>member"`
	}{Subscriptions: []subscriptionMember{}}
	for _, sub := range subs {
		arn := sub.ARN
		if sub.Pending {
			arn = pendingListed
		}
		out.Subscriptions = append(out.Subscriptions, subscriptionMember{arn, s.env.AccountID, sub.Protocol, sub.Endpoint, sub.TopicARN})
	}
	return out, nil
}

// subscriptionProvider gives AWS::SNS::Subscription its behaviour: every
// protocol SNS accepts is created (pending where SNS waits for a
// confirmation), with RawMessageDelivery, FilterPolicy, FilterPolicyScope,
// DeliveryPolicy and RedrivePolicy kept as subscription attributes. Ref is
// the subscription's ARN, even while it is pending.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html
type subscriptionProvider struct{ s *Service }

// providerAttributes maps the resource's properties to subscription
// attributes (policies may be given as JSON objects).
func providerAttributes(props map[string]any) (map[string]string, error) {
	attrs := map[string]string{}
	for _, k := range []string{"RawMessageDelivery", "FilterPolicyScope", "SubscriptionRoleArn"} {
		switch v := props[k].(type) {
		case nil:
		case bool:
			attrs[k] = fmt.Sprint(v)
		case string:
			attrs[k] = v
			if k == "RawMessageDelivery" {
				attrs[k] = strings.ToLower(v)
			}
		}
	}
	for _, k := range []string{"FilterPolicy", "DeliveryPolicy", "RedrivePolicy", "ReplayPolicy"} {
		switch v := props[k].(type) {
		case nil:
		case string:
			attrs[k] = v
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			attrs[k] = string(b)
		}
	}
	return attrs, nil
}

func (p subscriptionProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	attrs, err := providerAttributes(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	sub, err := p.s.SubscribeWith(SubscribeInput{TopicARN: resource.String(req.Properties, "TopicArn"), Protocol: resource.String(req.Properties, "Protocol"),
		Endpoint: resource.String(req.Properties, "Endpoint"), Attributes: attrs})
	if err != nil {
		if ce, ok := err.(*core.Error); ok {
			return resource.Result{}, fmt.Errorf("%s", ce.Message)
		}
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: sub.ARN, Attributes: map[string]any{"Arn": sub.ARN}}, nil
}

// Update applies the attributes in place; the other properties replace the
// subscription (RequiresReplacement).
func (p subscriptionProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	attrs, err := providerAttributes(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	old, _ := providerAttributes(req.OldProperties)
	for k := range subscriptionAttributes {
		if attrs[k] == old[k] {
			continue
		}
		if err := p.s.SetSubscriptionAttribute(req.PhysicalID, k, attrs[k]); err != nil {
			if ce, ok := err.(*core.Error); ok {
				return resource.Result{}, fmt.Errorf("%s", ce.Message)
			}
			return resource.Result{}, err
		}
	}
	return resource.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Arn": req.PhysicalID}}, nil
}

func (p subscriptionProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.Unsubscribe(req.PhysicalID)
}

func (subscriptionProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "TopicArn", "Protocol", "Endpoint", "Region")
}

// Match claims the unsigned GET of a SubscribeURL, which an http endpoint
// (or a developer's browser) visits to confirm a subscription, as SNS
// serves it without a signature: the token is the proof.
// See https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html
func (s *Service) Match(r *http.Request) bool { return subscribeURL(r) }

// Public lets a SubscribeURL through without a signature; the token
// authorizes the confirmation, and nothing else is served anonymously.
func (s *Service) Public(r *http.Request) bool { return subscribeURL(r) }

func subscribeURL(r *http.Request) bool {
	if r.Method != http.MethodGet || r.URL.Path != "/" {
		return false
	}
	q := r.URL.Query()
	return q.Get("Action") == "ConfirmSubscription" && q.Get("Token") != "" && strings.HasPrefix(q.Get("TopicArn"), "arn:aws:sns:") &&
		len(q) == 3
}
