package sns

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/sparta-go/sparta/local/store"
)

// Subscription is a topic's subscriber. The local SNS delivers to the
// lambda protocol only: each message published to the topic invokes the
// function asynchronously with the event AWS sends
// (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html).
type Subscription struct {
	ARN      string
	TopicARN string
	Protocol string
	Endpoint string
}

// supportedProtocols are the protocols the local SNS delivers to.
var supportedProtocols = []string{"lambda"}

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

// Subscribe subscribes endpoint to a topic. Only the lambda protocol is
// delivered to; others are refused rather than silently dropped.
func (s *Service) Subscribe(topicARN, protocol, endpoint string) (Subscription, error) {
	if !slices.Contains(supportedProtocols, protocol) {
		return Subscription{}, errInvalid("Protocol %q: the local cloud delivers only to %s subscriptions", protocol, strings.Join(supportedProtocols, ", "))
	}
	if endpoint == "" {
		return Subscription{}, errInvalid("Endpoint Reason: no value for required parameter")
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
		if sub.TopicARN == topicARN && sub.Protocol == protocol && sub.Endpoint == endpoint {
			return sub, nil // Subscribe is idempotent, as on AWS
		}
	}
	sub := Subscription{ARN: topicARN + ":" + core.NewRequestID(), TopicARN: topicARN, Protocol: protocol, Endpoint: endpoint}
	if err := s.subsColl().Put(subscriptionKey(sub.ARN), sub); err != nil {
		return Subscription{}, err
	}
	st.byARN[sub.ARN] = sub
	return sub, nil
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

func subscriptionKey(arn string) string { return arn[strings.LastIndex(arn, ":")+1:] }

// deliver invokes every lambda subscriber of the message's topic, as an
// Event invocation: SNS does not wait for the function.
func (s *Service) deliver(m Message) {
	subs, err := s.Subscriptions(m.TopicARN)
	if err != nil || len(subs) == 0 {
		return
	}
	svc, _ := s.env.Lookup("lambda")
	fns, ok := svc.(*lambda.Service)
	if !ok {
		s.log.Warn("sns: a lambda subscription cannot be delivered: the local cloud runs no Lambda service")
		return
	}
	for _, sub := range subs {
		payload, err := json.Marshal(snsEvent(sub, m))
		if err != nil {
			continue
		}
		if _, err := fns.InvokeWith(context.Background(), lambda.InvokeInput{FunctionName: sub.Endpoint, Payload: payload, InvocationType: "Event"}); err != nil {
			s.log.WithError(err).WithField("subscription", sub.ARN).Warn("sns: delivering to a lambda subscription failed")
		}
	}
}

// snsEvent is the event Lambda receives from SNS.
func snsEvent(sub Subscription, m Message) map[string]any {
	attrs := map[string]any{}
	for k, a := range m.Attributes {
		attrs[k] = map[string]any{"Type": a.DataType, "Value": a.StringValue}
	}
	return map[string]any{"Records": []any{map[string]any{
		"EventSource":          "aws:sns",
		"EventVersion":         "1.0",
		"EventSubscriptionArn": sub.ARN,
		"Sns": map[string]any{
			"Type":              "Notification",
			"MessageId":         m.MessageID,
			"TopicArn":          m.TopicARN,
			"Subject":           m.Subject,
			"Message":           m.Message,
			"Timestamp":         m.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z"),
			"SignatureVersion":  "1",
			"Signature":         "local",
			"SigningCertUrl":    "",
			"UnsubscribeUrl":    "",
			"MessageAttributes": attrs,
		},
	}}}
}

func (s *Service) subscribe(_ context.Context, p url.Values) (any, error) {
	sub, err := s.Subscribe(p.Get("TopicArn"), p.Get("Protocol"), p.Get("Endpoint"))
	if err != nil {
		return nil, err
	}
	return struct{ SubscriptionArn string }{sub.ARN}, nil
}

func (s *Service) unsubscribe(_ context.Context, p url.Values) (any, error) {
	return nil, s.Unsubscribe(p.Get("SubscriptionArn"))
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
		out.Subscriptions = append(out.Subscriptions, subscriptionMember{sub.ARN, s.env.AccountID, sub.Protocol, sub.Endpoint, sub.TopicARN})
	}
	return out, nil
}

// subscriptionProvider gives AWS::SNS::Subscription its behaviour.
type subscriptionProvider struct{ s *Service }

func (p subscriptionProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	sub, err := p.s.Subscribe(resource.String(req.Properties, "TopicArn"), resource.String(req.Properties, "Protocol"), resource.String(req.Properties, "Endpoint"))
	if err != nil {
		if ce, ok := err.(*core.Error); ok {
			return resource.Result{}, fmt.Errorf("%s", ce.Message)
		}
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: sub.ARN, Attributes: map[string]any{"Arn": sub.ARN}}, nil
}

// Update: every property that matters replaces the subscription.
func (p subscriptionProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return resource.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Arn": req.PhysicalID}}, nil
}

func (p subscriptionProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.Unsubscribe(req.PhysicalID)
}

func (subscriptionProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "TopicArn", "Protocol", "Endpoint")
}
