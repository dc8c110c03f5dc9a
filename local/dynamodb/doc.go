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
// secondary indexes. Tables come from the API or from CloudFormation
// (AWS::DynamoDB::Table, see [Service.Providers]).
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
// Any other operation (PartiQL, backups, global tables, tags, TTL and the
// DynamoDB Streams API) is refused with UnknownOperationException naming
// it. A table's TimeToLiveSpecification and StreamSpecification are kept
// and described but items do not expire and no stream records are written.
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
