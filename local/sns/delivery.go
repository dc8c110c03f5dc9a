package sns

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/sqs"
)

// HTTP delivery: SNS's default delivery policy retries a failed POST three
// times, 20 seconds apart; the local cloud retries as many times, one
// second apart, so that a test does not wait a minute. Each POST waits at
// most 15 seconds for the endpoint, as SNS does.
// See https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
const (
	httpRetries    = 3
	httpRetryDelay = time.Second
	httpTimeout    = 15 * time.Second
)

// Close ends HTTP deliveries in progress and waits for them.
func (s *Service) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	s.deliveries.Wait()
	return nil
}

// deliver hands a published message to every confirmed subscription of
// its topic whose filter policy matches it. SNS does not wait for the
// subscribers: lambda gets an Event invocation, sqs a message in the
// queue, http and https a POST on a goroutine.
func (s *Service) deliver(m Message) {
	subs, err := s.Subscriptions(m.TopicARN)
	if err != nil {
		return
	}
	for _, sub := range subs {
		if sub.Pending {
			continue
		}
		if ok, err := matchesFilter(sub, m); err != nil || !ok {
			continue
		}
		log := s.log.WithField("subscription", sub.ARN)
		switch sub.Protocol {
		case protoLambda:
			if err := s.deliverLambda(sub, m); err != nil {
				log.WithError(err).Warn("sns: delivering to a lambda subscription failed")
			}
		case protoSQS:
			if err := s.deliverSQS(sub, m); err != nil {
				log.WithError(err).Warn("sns: delivering to an sqs subscription failed")
			}
		case protoHTTP, protoHTTPS:
			s.goPost(sub, "Notification", s.notificationBody(sub, m), m.MessageID)
		}
	}
}

// messageFor is the message a protocol receives: with MessageStructure
// json, the protocol's entry or the default one.
func messageFor(protocol string, m Message) string {
	if m.MessageStructure != "json" {
		return m.Message
	}
	var byProtocol map[string]any
	_ = json.Unmarshal([]byte(m.Message), &byProtocol)
	if v, ok := byProtocol[protocol].(string); ok {
		return v
	}
	v, _ := byProtocol["default"].(string)
	return v
}

func (s *Service) deliverLambda(sub Subscription, m Message) error {
	svc, _ := s.env.Lookup("lambda")
	fns, ok := svc.(*lambda.Service)
	if !ok {
		return errors.New("the local cloud runs no Lambda service")
	}
	payload, err := json.Marshal(snsEvent(sub, m))
	if err != nil {
		return err
	}
	_, err = fns.InvokeWith(context.Background(), lambda.InvokeInput{FunctionName: sub.Endpoint, Payload: payload, InvocationType: "Event"})
	return err
}

// snsEvent is the event Lambda receives from SNS.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
func snsEvent(sub Subscription, m Message) map[string]any {
	attrs := map[string]any{}
	for k, a := range m.Attributes {
		attrs[k] = map[string]any{"Type": a.DataType, "Value": attributeValue(a)}
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
			"Message":           messageFor(protoLambda, m),
			"Timestamp":         m.Timestamp.UTC().Format(timestampLayout),
			"SignatureVersion":  "1",
			"Signature":         "local",
			"SigningCertUrl":    "",
			"UnsubscribeUrl":    "",
			"MessageAttributes": attrs,
		},
	}}}
}

// timestampLayout is how SNS writes Timestamp.
const timestampLayout = "2006-01-02T15:04:05.000Z"

func attributeValue(a MessageAttribute) string {
	if len(a.BinaryValue) > 0 {
		b, _ := json.Marshal(a.BinaryValue) // base64, quoted
		return string(b[1 : len(b)-1])
	}
	return a.StringValue
}

// envelope is the JSON document SNS delivers to http, https and (without
// raw delivery) sqs endpoints.
// See https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html
type envelope struct {
	Type              string
	MessageID         string `json:"MessageId"`
	Token             string `json:",omitempty"`
	TopicArn          string
	Subject           string `json:",omitempty"`
	Message           string
	SubscribeURL      string `json:",omitempty"`
	Timestamp         string
	SequenceNumber    string `json:",omitempty"`
	SignatureVersion  string
	Signature         string
	SigningCertURL    string
	UnsubscribeURL    string                  `json:",omitempty"`
	MessageAttributes map[string]envelopeAttr `json:",omitempty"`
}

type envelopeAttr struct {
	Type  string
	Value string
}

// signature stands in for SNS's: the local cloud holds no AWS signing
// certificate, so subscribers must not verify messages from it.
const signature = "bG9jYWwgY2xvdWQ6IG5vdCBzaWduZWQ="

func (s *Service) unsubscribeURL(sub Subscription) string {
	return s.env.Endpoint + "/?Action=Unsubscribe&SubscriptionArn=" + url.QueryEscape(sub.ARN)
}

func (s *Service) signingCertURL() string {
	return s.env.Endpoint + "/SimpleNotificationService-local.pem"
}

// notificationBody is what an http/https endpoint receives: the envelope,
// or the bare message with RawMessageDelivery.
func (s *Service) notificationBody(sub Subscription, m Message) []byte {
	msg := messageFor(sub.Protocol, m)
	if sub.Attributes["RawMessageDelivery"] == "true" {
		return []byte(msg)
	}
	e := envelope{Type: "Notification", MessageID: m.MessageID, TopicArn: m.TopicARN, Subject: m.Subject, Message: msg,
		Timestamp: m.Timestamp.UTC().Format(timestampLayout), SequenceNumber: m.SequenceNumber, SignatureVersion: "1",
		Signature: signature, SigningCertURL: s.signingCertURL(), UnsubscribeURL: s.unsubscribeURL(sub)}
	if len(m.Attributes) > 0 {
		e.MessageAttributes = map[string]envelopeAttr{}
		for k, a := range m.Attributes {
			e.MessageAttributes[k] = envelopeAttr{Type: a.DataType, Value: attributeValue(a)}
		}
	}
	b, _ := json.Marshal(e)
	return b
}

// sendConfirmation POSTs the SubscriptionConfirmation of a new http/https
// subscription; the endpoint confirms with ConfirmSubscription (its
// SubscribeURL, signed, or the token given to the API).
func (s *Service) sendConfirmation(sub Subscription) {
	e := envelope{Type: "SubscriptionConfirmation", MessageID: newID(), Token: sub.Token, TopicArn: sub.TopicARN,
		Message:      fmt.Sprintf("You have chosen to subscribe to the topic %s.\nTo confirm the subscription, visit the SubscribeURL included in this message.", sub.TopicARN),
		SubscribeURL: s.env.Endpoint + "/?Action=ConfirmSubscription&TopicArn=" + url.QueryEscape(sub.TopicARN) + "&Token=" + sub.Token,
		Timestamp:    s.env.Clock.Now().UTC().Format(timestampLayout), SignatureVersion: "1", Signature: signature, SigningCertURL: s.signingCertURL()}
	b, _ := json.Marshal(e)
	s.goPost(sub, "SubscriptionConfirmation", b, e.MessageID)
}

func newID() string { return newToken()[:32] }

// goPost POSTs body to an http/https subscription on a goroutine, with
// SNS's headers, retrying a failure.
// See https://docs.aws.amazon.com/sns/latest/dg/http-header.html
func (s *Service) goPost(sub Subscription, kind string, body []byte, messageID string) {
	select {
	case <-s.done:
		return
	default:
	}
	s.deliveries.Add(1)
	go func() {
		defer s.deliveries.Done()
		log := s.log.WithField("subscription", sub.ARN)
		for attempt := 0; attempt <= httpRetries; attempt++ {
			if attempt > 0 {
				select {
				case <-s.done:
					return
				case <-time.After(httpRetryDelay):
				}
			}
			err := s.post(sub, kind, body, messageID)
			if err == nil {
				return
			}
			log.Debugf("sns: %s POST to %s (attempt %d): %v", kind, sub.Endpoint, attempt+1, err)
		}
		log.Warnf("sns: gave up delivering a %s to %s after %d attempts", kind, sub.Endpoint, httpRetries+1)
	}()
}

// httpClient delivers to loopback endpoints only (Subscribe refuses
// others) and does not verify their certificates: a local https endpoint
// has a development certificate the local cloud cannot know. It never
// follows redirects, which could lead off the machine.
var httpClient = &http.Client{
	Timeout:       httpTimeout,
	Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, Proxy: nil}, //nolint:gosec // loopback only, see above
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func (s *Service) post(sub Subscription, kind string, body []byte, messageID string) error {
	u, err := url.Parse(sub.Endpoint)
	if err != nil || !loopback(u.Hostname()) {
		return fmt.Errorf("endpoint %s is not a loopback URL", sub.Endpoint)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.Endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	h := req.Header
	h.Set("Content-Type", "text/plain; charset=UTF-8")
	h.Set("User-Agent", "Amazon Simple Notification Service Agent")
	h.Set("X-Amz-Sns-Message-Type", kind)
	h.Set("X-Amz-Sns-Message-Id", messageID)
	h.Set("X-Amz-Sns-Topic-Arn", sub.TopicARN)
	if kind == "Notification" {
		h.Set("X-Amz-Sns-Subscription-Arn", sub.ARN)
		if sub.Attributes["RawMessageDelivery"] == "true" {
			h.Set("X-Amz-Sns-Rawdelivery", "true")
		}
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 499 || resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

// deliverSQS sends the message to the subscribed queue, if the queue's
// policy lets sns.amazonaws.com send messages from this topic, as SQS
// requires on AWS (without it SNS's deliveries fail and the message is
// lost). The envelope is the body, or with RawMessageDelivery the bare
// message with its attributes as SQS message attributes.
// See https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html
func (s *Service) deliverSQS(sub Subscription, m Message) error {
	svc, _ := s.env.Lookup("sqs")
	q, ok := svc.(*sqs.Service)
	if !ok {
		return errors.New("the local cloud runs no SQS service")
	}
	queueURL, err := q.QueueURLByARN(sub.Endpoint)
	if err != nil {
		return fmt.Errorf("queue %s: %w", sub.Endpoint, err)
	}
	attrs, err := q.Attributes(queueURL, []string{"Policy"})
	if err != nil {
		return err
	}
	if err := allowsTopic(attrs["Policy"], sub.Endpoint, m.TopicARN, s.env.AccountID); err != nil {
		return err
	}
	in := sqs.SendInput{Body: string(s.notificationBody(sub, m)), GroupID: m.GroupID, DedupID: m.DeduplicationID}
	if m.GroupID != "" && in.DedupID == "" {
		in.DedupID = m.MessageID
	}
	if sub.Attributes["RawMessageDelivery"] == "true" && len(m.Attributes) > 0 {
		in.Attributes = map[string]sqs.MessageAttribute{}
		for k, a := range m.Attributes {
			in.Attributes[k] = sqs.MessageAttribute{DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue}
		}
	}
	_, err = q.Send(queueURL, in)
	return err
}

// allowsTopic evaluates a queue policy for sqs:SendMessage by
// sns.amazonaws.com on behalf of the topic.
func allowsTopic(policy, queueARN, topicARN, account string) error {
	missing := fmt.Errorf("the policy of queue %s does not allow sns.amazonaws.com to sqs:SendMessage from topic %s: add a statement "+
		`{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"%s","Condition":{"ArnEquals":{"aws:SourceArn":"%s"}}} (AWS::SQS::QueuePolicy or SetQueueAttributes)`,
		queueARN, topicARN, queueARN, topicARN)
	if policy == "" {
		return missing
	}
	p, err := iam.ParsePolicy(policy)
	if err != nil {
		return fmt.Errorf("the policy of queue %s: %w", queueARN, err)
	}
	req := iam.Request{Action: "sqs:SendMessage", Resource: queueARN, Principal: map[string]string{"Service": "sns.amazonaws.com"},
		Context: map[string]string{"aws:SourceArn": topicARN, "aws:SourceAccount": account}}
	if iam.Evaluate(req, p) != iam.Allow {
		return missing
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
