// Package sns is the local cloud's Amazon SNS, on the awsQuery protocol,
// with topics, subscriptions and every published message kept in the
// state directory.
//
// # Supported operations
//
// CreateTopic (idempotent by name, standard and FIFO topics, attributes and
// tags), DeleteTopic (idempotent), ListTopics (pages of 100),
// GetTopicAttributes (with SubscriptionsConfirmed and SubscriptionsPending),
// SetTopicAttributes and Publish (TopicArn or TargetArn; Subject,
// MessageStructure=json with its "default" and per-protocol entries,
// message attributes, MessageGroupId and deduplication for FIFO topics;
// 256 KiB limit); Subscribe (with Attributes and ReturnSubscriptionArn),
// ConfirmSubscription, Unsubscribe, ListSubscriptions,
// ListSubscriptionsByTopic, GetSubscriptionAttributes and
// SetSubscriptionAttributes. Any other action is refused with
// InvalidAction naming it.
//
// # Subscriptions
//
// Every protocol is created as SNS creates it; delivery goes where the
// local cloud can reach:
//
//   - lambda: confirmed at once; each message invokes the function
//     asynchronously with the event SNS sends
//     (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html).
//   - sqs: confirmed at once; each message is sent to the local queue, as
//     the Notification JSON or, with RawMessageDelivery, the bare message
//     with its attributes as SQS message attributes. As on AWS, the queue's
//     policy must allow sns.amazonaws.com sqs:SendMessage from the topic
//     (aws:SourceArn); without it the message is not delivered and the
//     cloud's log names the statement to add. FIFO topics deliver to SQS
//     only, with the message group and deduplication ID.
//   - http, https: loopback endpoints only (localhost, 127.0.0.1, ::1;
//     anything else is refused, so that a topic cannot make the local cloud
//     reach other machines). Subscribe POSTs a SubscriptionConfirmation with
//     a Token and a SubscribeURL; the subscription is pending (Subscribe
//     returns "pending confirmation", lists show PendingConfirmation) until
//     ConfirmSubscription with that token, signed or by an unsigned GET of
//     the SubscribeURL (the one request this service serves without a
//     signature, as SNS does: the token is the proof). Then each message is POSTed as a
//     Notification (or the bare message with RawMessageDelivery) with SNS's
//     x-amz-sns-* headers, retried three times a second apart. https
//     certificates are not verified (a local endpoint's development
//     certificate cannot be known). Messages are not signed: Signature is a
//     placeholder, so subscribers must not verify it locally.
//   - email, email-json, sms: created pending confirmation, and never
//     confirmed or delivered (the local cloud sends no mail or texts).
//   - application, firehose: refused, naming why.
//
// FilterPolicy (with FilterPolicyScope MessageAttributes or MessageBody)
// selects the messages a subscription receives: exact strings, numbers and
// booleans, prefix, suffix, equals-ignore-case, anything-but, numeric
// ranges and exists, as SNS documents them
// (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
// DeliveryPolicy, RedrivePolicy and ReplayPolicy are kept but have no
// effect.
//
// Published messages are also kept, in order, and listed with
// [Service.Messages]. Other services publish with [Service.Publish] (the
// Step Functions SNS integration) and observe publications with
// [Service.OnPublish]. Find the service with env.Lookup("sns").
package sns
