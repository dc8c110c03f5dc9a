// Package sqs is the local cloud's Amazon SQS, speaking both protocols that
// SQS clients use: awsJson 1.0 (X-Amz-Target AmazonSQS.<Operation>, the
// current SDKs) and awsQuery (Action=<Operation>, older SDKs and the AWS
// CLI v1 and early v2), with queues and messages kept in the state
// directory.
//
// # Supported operations
//
// CreateQueue (idempotent when the attributes match), GetQueueUrl,
// ListQueues (with prefix and pages), DeleteQueue, GetQueueAttributes
// (computed counts included), SetQueueAttributes, SendMessage and
// SendMessageBatch (delays, message attributes with the MD5 digests the
// SDKs verify, 256 KiB limit), ReceiveMessage (visibility timeouts, long
// polling with WaitTimeSeconds, system and message attribute selection),
// DeleteMessage and DeleteMessageBatch, ChangeMessageVisibility (and its
// batch form on awsJson), PurgeQueue. Standard and FIFO queues: FIFO queues
// keep order within a message group, deliver no message of a group while
// another is in flight, and deduplicate over five minutes by
// MessageDeduplicationId or by content. A queue's RedrivePolicy moves a
// message to its dead-letter queue once it has been received
// maxReceiveCount times. Queues come from the API or from CloudFormation
// (AWS::SQS::Queue and AWS::SQS::QueuePolicy, see [Service.Providers]).
//
// Other services use the Go API: [Service.Send], [Service.Receive],
// [Service.Delete] (the Step Functions integration, Lambda event source
// mappings). Find the service with env.Lookup("sqs").
//
// # Refused
//
// Tags operations, permissions (AddPermission, RemovePermission), message
// move tasks and ChangeMessageVisibilityBatch on awsQuery are refused
// (UnknownOperationException on awsJson, InvalidAction on awsQuery).
// Queue policies are kept and returned but do not grant access: callers
// are held to their IAM policies. PurgeQueue has no 60-second cool-down
// and KMS attributes are kept but nothing is encrypted.
//
// # Durability
//
// Every send, receive, visibility change and delete appends to the queue's
// log (collection sqs/messages) before the response is sent; a restart
// replays it, so messages, receive counts and in-flight deadlines survive.
// Receipt handles issued before a restart stay valid. A log grown to more
// than twice its live messages is compacted into a snapshot at start.
package sqs
