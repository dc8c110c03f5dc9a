package sns_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/sparta-go/sparta/local/localtest"
)

// post is one request an http subscriber received.
type post struct {
	header http.Header
	body   string
}

// endpoint is an http subscriber on loopback that records what it gets.
func endpoint(t *testing.T) (*httptest.Server, chan post) {
	t.Helper()
	got := make(chan post, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- post{r.Header.Clone(), string(b)}
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func nextPost(t *testing.T, got chan post) post {
	t.Helper()
	select {
	case p := <-got:
		return p
	case <-time.After(10 * time.Second):
		t.Fatal("the endpoint received nothing within 10 s")
		return post{}
	}
}

// TestHTTPSubscription: SNS POSTs a SubscriptionConfirmation, the
// subscription stays pending until ConfirmSubscription, then each message
// arrives as a Notification in AWS's JSON with AWS's headers.
// See https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html,
// https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html and
// https://docs.aws.amazon.com/sns/latest/dg/http-header.html
func TestHTTPSubscription(t *testing.T) {
	c := localtest.Start(t)
	cl := sns.NewFromConfig(localtest.Config(c))
	topic, err := cl.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("sightings")})
	if err != nil {
		t.Fatal(err)
	}
	srv, got := endpoint(t)
	sub, err := cl.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("http"), Endpoint: aws.String(srv.URL + "/hook")})
	if err != nil || aws.ToString(sub.SubscriptionArn) != "pending confirmation" {
		t.Fatalf("Subscribe(http) = %+v, %v, want \"pending confirmation\"", sub, err)
	}
	confirm := nextPost(t, got)
	var doc map[string]string
	if err := json.Unmarshal([]byte(confirm.body), &doc); err != nil {
		t.Fatalf("SubscriptionConfirmation body %q: %v", confirm.body, err)
	}
	if confirm.header.Get("X-Amz-Sns-Message-Type") != "SubscriptionConfirmation" || doc["Type"] != "SubscriptionConfirmation" ||
		doc["Token"] == "" || doc["TopicArn"] != aws.ToString(topic.TopicArn) || !strings.Contains(doc["SubscribeURL"], "Action=ConfirmSubscription") ||
		confirm.header.Get("X-Amz-Sns-Topic-Arn") != aws.ToString(topic.TopicArn) || confirm.header.Get("User-Agent") != "Amazon Simple Notification Service Agent" {
		t.Errorf("SubscriptionConfirmation = %v %s", confirm.header, confirm.body)
	}
	list, _ := cl.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: topic.TopicArn})
	if len(list.Subscriptions) != 1 || aws.ToString(list.Subscriptions[0].SubscriptionArn) != "PendingConfirmation" {
		t.Errorf("ListSubscriptionsByTopic before confirmation = %+v", list.Subscriptions)
	}
	if _, err := cl.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("before confirmation")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.ConfirmSubscription(ctx, &sns.ConfirmSubscriptionInput{TopicArn: topic.TopicArn, Token: aws.String("nope")}); err == nil {
		t.Error("ConfirmSubscription with a wrong token succeeded")
	}
	// The endpoint confirms by visiting the SubscribeURL, unsigned.
	visit, err := http.Get(doc["SubscribeURL"])
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(visit.Body)
	visit.Body.Close()
	if visit.StatusCode != http.StatusOK || !strings.Contains(string(page), "<ConfirmSubscriptionResult>") {
		t.Fatalf("GET SubscribeURL = %s %s", visit.Status, page)
	}
	confirmed, err := cl.ConfirmSubscription(ctx, &sns.ConfirmSubscriptionInput{TopicArn: topic.TopicArn, Token: aws.String(doc["Token"])})
	if err != nil || !strings.HasPrefix(aws.ToString(confirmed.SubscriptionArn), aws.ToString(topic.TopicArn)+":") {
		t.Fatalf("ConfirmSubscription (again) = %+v, %v", confirmed, err)
	}
	// Anything else unsigned is still refused.
	if anon, err := http.Get(c.Endpoint() + "/?Action=ListTopics"); err != nil || anon.StatusCode == http.StatusOK {
		t.Errorf("an unsigned ListTopics = %v, %v, want a refusal", anon, err)
	}
	pub, err := cl.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("a dragon"), Subject: aws.String("sighting"),
		MessageAttributes: map[string]types.MessageAttributeValue{"color": {DataType: aws.String("String"), StringValue: aws.String("red")}}})
	if err != nil {
		t.Fatal(err)
	}
	n := nextPost(t, got)
	var note struct {
		Type, MessageId, TopicArn, Subject, Message, Timestamp, SignatureVersion, Signature, SigningCertURL, UnsubscribeURL string
		MessageAttributes                                                                                                   map[string]struct{ Type, Value string }
	}
	if err := json.Unmarshal([]byte(n.body), &note); err != nil {
		t.Fatal(err)
	}
	if note.Type != "Notification" || note.Message != "a dragon" || note.Subject != "sighting" || note.MessageId != aws.ToString(pub.MessageId) ||
		note.MessageAttributes["color"].Value != "red" || note.UnsubscribeURL == "" || note.SignatureVersion != "1" {
		t.Errorf("Notification = %s (the message published before confirmation must not arrive)", n.body)
	}
	for k, want := range map[string]string{"X-Amz-Sns-Message-Type": "Notification", "X-Amz-Sns-Message-Id": aws.ToString(pub.MessageId),
		"X-Amz-Sns-Subscription-Arn": aws.ToString(confirmed.SubscriptionArn), "Content-Type": "text/plain; charset=UTF-8"} {
		if got := n.header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}

	// Raw delivery: the bare message, flagged in a header.
	if _, err := cl.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: confirmed.SubscriptionArn,
		AttributeName: aws.String("RawMessageDelivery"), AttributeValue: aws.String("true")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("raw")}); err != nil {
		t.Fatal(err)
	}
	if raw := nextPost(t, got); raw.body != "raw" || raw.header.Get("X-Amz-Sns-Rawdelivery") != "true" {
		t.Errorf("raw delivery = %v %q", raw.header, raw.body)
	}
	attrs, err := cl.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: confirmed.SubscriptionArn})
	if err != nil || attrs.Attributes["RawMessageDelivery"] != "true" || attrs.Attributes["PendingConfirmation"] != "false" {
		t.Errorf("GetSubscriptionAttributes = %v, %v", attrs, err)
	}

	// Not loopback: refused, the local cloud sends nothing off the machine.
	_, err = cl.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("https"), Endpoint: aws.String("https://example.com/hook")})
	wantCode(t, "Subscribe(https://example.com)", err, "InvalidParameter")
}

// TestPendingAndRefusedProtocols: email, email-json and sms subscriptions
// are created pending confirmation and never delivered; application and
// firehose are refused with the reason.
func TestPendingAndRefusedProtocols(t *testing.T) {
	c := localtest.Start(t)
	cl := sns.NewFromConfig(localtest.Config(c))
	topic, _ := cl.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("mail")})
	for proto, ep := range map[string]string{"email": "a@example.com", "email-json": "b@example.com", "sms": "+15555550100"} {
		out, err := cl.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String(proto), Endpoint: aws.String(ep), ReturnSubscriptionArn: true})
		if err != nil {
			t.Fatalf("Subscribe(%s) = %v", proto, err)
		}
		a, err := cl.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: out.SubscriptionArn})
		if err != nil || a.Attributes["PendingConfirmation"] != "true" || a.Attributes["Protocol"] != proto {
			t.Errorf("GetSubscriptionAttributes(%s) = %v, %v", proto, a, err)
		}
	}
	ta, _ := cl.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: topic.TopicArn})
	if ta.Attributes["SubscriptionsPending"] != "3" || ta.Attributes["SubscriptionsConfirmed"] != "0" {
		t.Errorf("topic attributes = %v, want 3 pending", ta.Attributes)
	}
	for proto, ep := range map[string]string{"application": "arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/x", "firehose": "arn:aws:firehose:us-east-1:000000000000:deliverystream/d", "carrier-pigeon": "x"} {
		_, err := cl.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String(proto), Endpoint: aws.String(ep)})
		wantCode(t, "Subscribe("+proto+")", err, "InvalidParameter")
	}
}

// TestSQSSubscription: a message reaches the subscribed queue once the
// queue's policy lets SNS send from the topic, as an envelope or, with
// RawMessageDelivery, as the bare message with its attributes; a filter
// policy keeps other messages out.
// See https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html
func TestSQSSubscription(t *testing.T) {
	c := localtest.Start(t)
	cfg := localtest.Config(c)
	cl, q := sns.NewFromConfig(cfg), sqssdk.NewFromConfig(cfg)
	topic, _ := cl.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("orders")})
	queue, err := q.CreateQueue(ctx, &sqssdk.CreateQueueInput{QueueName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	qa, _ := q.GetQueueAttributes(ctx, &sqssdk.GetQueueAttributesInput{QueueUrl: queue.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	queueARN := qa.Attributes["QueueArn"]
	sub, err := cl.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(queueARN)})
	if err != nil || strings.Contains(aws.ToString(sub.SubscriptionArn), "pending") {
		t.Fatalf("Subscribe(sqs) = %+v, %v, want a confirmed subscription", sub, err)
	}
	receive := func() []sqstypes.Message {
		out, err := q.ReceiveMessage(ctx, &sqssdk.ReceiveMessageInput{QueueUrl: queue.QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10,
			MessageAttributeNames: []string{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			_, _ = q.DeleteMessage(ctx, &sqssdk.DeleteMessageInput{QueueUrl: queue.QueueUrl, ReceiptHandle: m.ReceiptHandle})
		}
		return out.Messages
	}
	// Without a queue policy SQS refuses SNS, as on AWS.
	cl.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("lost")})
	if got := receive(); len(got) != 0 {
		t.Fatalf("without a queue policy the queue received %+v", got)
	}
	policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"%s","Condition":{"ArnEquals":{"aws:SourceArn":"%s"}}}]}`,
		queueARN, aws.ToString(topic.TopicArn))
	if _, err := q.SetQueueAttributes(ctx, &sqssdk.SetQueueAttributesInput{QueueUrl: queue.QueueUrl, Attributes: map[string]string{"Policy": policy}}); err != nil {
		t.Fatal(err)
	}
	cl.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("wrapped")})
	got := receive()
	var env struct{ Type, TopicArn, Message string }
	if len(got) != 1 || json.Unmarshal([]byte(aws.ToString(got[0].Body)), &env) != nil || env.Type != "Notification" || env.Message != "wrapped" {
		t.Fatalf("the queue received %+v, want the Notification envelope", got)
	}
	for k, v := range map[string]string{"RawMessageDelivery": "true", "FilterPolicy": `{"size":[{"numeric":[">",10]}]}`} {
		if _, err := cl.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: sub.SubscriptionArn, AttributeName: aws.String(k), AttributeValue: aws.String(v)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range []string{"5", "50"} {
		cl.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("size " + size),
			MessageAttributes: map[string]types.MessageAttributeValue{"size": {DataType: aws.String("Number"), StringValue: aws.String(size)}}})
	}
	got = receive()
	if len(got) != 1 || aws.ToString(got[0].Body) != "size 50" || aws.ToString(got[0].MessageAttributes["size"].StringValue) != "50" {
		t.Fatalf("with raw delivery and a filter the queue received %+v, want the bare message \"size 50\" with its attribute", got)
	}
}

// TestSubscriptionCLI drives subscriptions with the AWS CLI.
func TestSubscriptionCLI(t *testing.T) {
	c := localtest.Start(t)
	var topic struct{ TopicArn string }
	_ = json.Unmarshal([]byte(localtest.CLI(t, c, "sns", "create-topic", "--name", "cli-subs")), &topic)
	out := localtest.CLI(t, c, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "email", "--notification-endpoint", "a@example.com")
	if !strings.Contains(out, "pending confirmation") {
		t.Errorf("aws sns subscribe --protocol email printed %s", out)
	}
	srv, got := endpoint(t)
	localtest.CLI(t, c, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "http", "--notification-endpoint", srv.URL)
	var doc map[string]string
	_ = json.Unmarshal([]byte(nextPost(t, got).body), &doc)
	out = localtest.CLI(t, c, "sns", "confirm-subscription", "--topic-arn", topic.TopicArn, "--token", doc["Token"])
	if !strings.Contains(out, topic.TopicArn+":") {
		t.Errorf("aws sns confirm-subscription printed %s", out)
	}
	localtest.CLI(t, c, "sns", "publish", "--topic-arn", topic.TopicArn, "--message", "from the CLI")
	if n := nextPost(t, got); !strings.Contains(n.body, "from the CLI") {
		t.Errorf("the endpoint received %s", n.body)
	}
	if out := localtest.CLI(t, c, "sns", "list-subscriptions-by-topic", "--topic-arn", topic.TopicArn); !strings.Contains(out, "PendingConfirmation") {
		t.Errorf("aws sns list-subscriptions-by-topic printed %s", out)
	}
}
