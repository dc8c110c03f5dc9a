// Package sns is the local cloud's Amazon SNS, on the awsQuery protocol,
// with topics and every published message kept in the state directory.
//
// # Supported operations
//
// CreateTopic (idempotent by name, standard and FIFO topics, attributes and
// tags), DeleteTopic (idempotent), ListTopics (pages of 100),
// GetTopicAttributes, SetTopicAttributes and Publish (TopicArn or TargetArn;
// Subject, MessageStructure=json with its "default" entry, message
// attributes, MessageGroupId and deduplication for FIFO topics; 256 KiB
// limit). Any other action, subscriptions included, is refused with
// InvalidAction naming it.
//
// Published messages are not delivered anywhere (there are no
// subscriptions yet); they are kept, in order, and listed with
// [Service.Messages]. Other services publish with [Service.Publish] (the
// Step Functions SNS integration) and can observe publications with
// [Service.OnPublish] (a future subscription delivery). Find the service
// with env.Lookup("sns").
package sns
