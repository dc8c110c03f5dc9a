// Package offlinedata owns the in-memory DynamoDB tables and SQS queues
// that offline executions (step.Execute, `execute --offline`, steptest)
// call instead of AWS: the data a workflow with a table or a queue reads
// and writes when it runs in-process.
//
// Items and expressions are evaluated by github.com/truora/minidyn, the
// engine the local cloud's DynamoDB (local/dynamodb) runs on, at the same
// version, and errors carry the codes and messages that the local cloud
// writes ("The conditional request failed", "Requested resource not
// found"), so a task fails offline with the error name it fails with on
// the local cloud. Queues keep every message sent, in order, for a test
// to read; nothing receives or deletes them.
//
// Tables and queues are created from their declarations
// (service.DynamoDBTable, service.SQSQueue) and found by LogicalID (what
// cfn.Ref resolves to offline), by physical name, by ARN or, for queues,
// by URL.
package offlinedata
