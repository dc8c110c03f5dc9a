// Package dynamodb is the local cloud's Amazon DynamoDB, on the awsJson 1.0
// protocol (X-Amz-Target DynamoDB_20120810.<Operation>, signing name
// "dynamodb"), with every table and item kept in the state directory.
//
// # Supported operations
//
// CreateTable, DescribeTable, UpdateTable (global secondary indexes added or
// removed), DeleteTable, ListTables (pages of at most 100), PutItem,
// GetItem, UpdateItem, DeleteItem, Query, Scan (Limit, ExclusiveStartKey and
// LastEvaluatedKey for pagination), BatchGetItem, BatchWriteItem,
// TransactWriteItems and TransactGetItems, with condition, update,
// projection, key-condition and filter expressions and their
// ExpressionAttributeNames and ExpressionAttributeValues; global and local
// secondary indexes; UpdateTimeToLive and DescribeTimeToLive. Tables come
// from the API or from CloudFormation (AWS::DynamoDB::Table, see
// [Service.Providers]).
//
// # Streams and TTL
//
// A table whose StreamSpecification is enabled (CreateTable, UpdateTable
// or the template) records every write that changes an item: INSERT,
// MODIFY or REMOVE, with Keys, NewImage and OldImage as its StreamViewType
// asks, a SequenceNumber that orders the stream and
// ApproximateCreationDateTime, in one shard, kept 24 hours and durable
// (collection dynamodb/streams). The DynamoDB Streams API
// (X-Amz-Target DynamoDBStreams_20120810, signing name dynamodb:
// ListStreams, DescribeStream, GetShardIterator, GetRecords) serves them,
// and Lambda's stream mappings read them through [Service.StreamAfter].
// With TTL on, a sweeper deletes items whose TTL attribute holds epoch
// seconds in the past every few seconds (DynamoDB takes up to days); the
// REMOVE records carry userIdentity {type Service, principalId
// dynamodb.amazonaws.com}.
//
// Items, indexes and the expression language are evaluated by
// github.com/truora/minidyn, an in-memory DynamoDB whose behaviour is
// checked against DynamoDB Local; this package adds what a cloud needs
// around it: durability, table descriptions as AWS writes them (ARN,
// status, creation time, billing mode), ListTables, AWS's error texts
// ("Requested resource not found") and the CloudFormation provider.
//
// # Refused
//
// Any other operation (PartiQL, backups, global tables, tags) is refused
// with UnknownOperationException naming it.
// Capacity is not metered: ReturnConsumedCapacity returns nothing and no
// request is throttled. Empty maps and lists ({"M":{}}, {"L":[]}) are not
// kept as such.
//
// # Performance
//
// The engine keeps each table's keys in one sorted slice that it sorts
// again whenever a new key is inserted, and evaluates key conditions
// item by item: PutItem and GetItem take well under a millisecond on small
// tables, but inserting into a table of 100,000 items costs a sort of
// them all, and a Query reads its partition from the start. The local
// DynamoDB is sized for development tables (thousands of items), not for
// load tests; see the benchmarks in bench_test.go.
//
// # Durability
//
// Every write appends the new state of each item it touched to the table's
// log (collection dynamodb/items) before the response is sent, under one
// write lock, so the log's order is the order of the writes; a restart
// replays it. A log grown to more than twice its live items is compacted
// into a snapshot when the cloud starts.
package dynamodb
