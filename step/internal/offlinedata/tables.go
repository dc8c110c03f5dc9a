package offlinedata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/truora/minidyn/server"

	"github.com/sparta-go/sparta/service"
)

// Data is one set of in-memory tables and queues. Its methods are safe
// for concurrent use (Parallel branches and Map iterations write at once).
type Data struct {
	// mu serialises calls into the engine, whose table map is not
	// synchronised, and guards the maps below.
	mu     sync.Mutex
	db     *server.Client
	tables map[string]string // LogicalID or TableName -> the engine's table name
	queues map[string]*queue // LogicalID or QueueName -> queue
}

// New returns empty data.
func New() *Data {
	return &Data{db: server.NewClient(), tables: map[string]string{}, queues: map[string]*queue{}}
}

// Error is a DynamoDB or SQS API error: its code, as the API's __type
// names it, and its message.
type Error struct {
	Code, Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns the API's error code.
func (e *Error) ErrorCode() string { return e.Code }

// CreateTable creates the declared table, with its key schema and
// indexes, under its TableName (its LogicalID when it has none).
func (d *Data) CreateTable(t *service.DynamoDBTable) error {
	if err := t.Validate(); err != nil {
		return err
	}
	name := t.TableName
	if name == "" {
		name = t.LogicalID
	}
	in := server.CreateTableInput{TableName: aws.String(name), BillingMode: ddbtypes.BillingModePayPerRequest}
	seen := map[string]bool{}
	define := func(k *service.KeyAttribute) {
		if k != nil && !seen[k.Name] {
			seen[k.Name] = true
			in.AttributeDefinitions = append(in.AttributeDefinitions, ddbtypes.AttributeDefinition{
				AttributeName: aws.String(k.Name), AttributeType: ddbtypes.ScalarAttributeType(k.Type)})
		}
	}
	in.KeySchema = keySchema(t.PartitionKey, t.SortKey)
	define(&t.PartitionKey)
	define(t.SortKey)
	for _, g := range t.GlobalSecondaryIndexes {
		define(&g.PartitionKey)
		define(g.SortKey)
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName: aws.String(g.Name), KeySchema: keySchema(g.PartitionKey, g.SortKey), Projection: projection(g)})
	}
	for _, l := range t.LocalSecondaryIndexes {
		define(l.SortKey)
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, ddbtypes.LocalSecondaryIndex{
			IndexName: aws.String(l.Name), KeySchema: keySchema(l.PartitionKey, l.SortKey), Projection: projection(l)})
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, alias := range []string{t.LogicalID, t.TableName} {
		if _, dup := d.tables[alias]; dup && alias != "" {
			return fmt.Errorf("table %q: a table named %q exists already", t.LogicalID, alias)
		}
	}
	if _, err := d.db.CreateTable(context.Background(), &in); err != nil {
		return fmt.Errorf("table %q: %w", t.LogicalID, err)
	}
	d.tables[t.LogicalID] = name
	if t.TableName != "" {
		d.tables[t.TableName] = name
	}
	return nil
}

func keySchema(pk service.KeyAttribute, sk *service.KeyAttribute) []ddbtypes.KeySchemaElement {
	ks := []ddbtypes.KeySchemaElement{{AttributeName: aws.String(pk.Name), KeyType: ddbtypes.KeyTypeHash}}
	if sk != nil {
		ks = append(ks, ddbtypes.KeySchemaElement{AttributeName: aws.String(sk.Name), KeyType: ddbtypes.KeyTypeRange})
	}
	return ks
}

func projection(ix service.TableIndex) *ddbtypes.Projection {
	typ := ix.ProjectionType
	if typ == "" {
		typ = "ALL"
	}
	return &ddbtypes.Projection{ProjectionType: ddbtypes.ProjectionType(typ), NonKeyAttributes: ix.NonKeyAttributes}
}

// TableName returns the engine's name of the table ref names (a LogicalID,
// a TableName or a table ARN), and whether there is one.
func (d *Data) TableName(ref string) (string, bool) {
	if i := strings.LastIndex(ref, ":table/"); i >= 0 && strings.HasPrefix(ref, "arn:") {
		ref = ref[i+len(":table/"):]
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	name, ok := d.tables[ref]
	return name, ok
}

// Operations lists the DynamoDB operations Do runs: the item operations of
// Step Functions' optimised integration, and Query and Scan for tests that
// read what a run wrote.
var Operations = []string{"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"}

// Do runs one DynamoDB operation given its request as DynamoDB's JSON
// (TableName, Key or Item with typed attribute values, expressions...) and
// returns its response as JSON. TableName may be any name TableName
// resolves. An unknown table is ResourceNotFoundException, a failed
// condition ConditionalCheckFailedException, as on the local cloud.
func (d *Data) Do(ctx context.Context, operation string, input []byte) (json.RawMessage, error) {
	var head struct{ TableName string }
	if err := json.Unmarshal(input, &head); err != nil {
		return nil, &Error{Code: "SerializationException", Message: err.Error()}
	}
	if name, ok := d.TableName(head.TableName); ok && name != head.TableName {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(input, &m); err != nil {
			return nil, &Error{Code: "SerializationException", Message: err.Error()}
		}
		m["TableName"], _ = json.Marshal(name)
		input, _ = json.Marshal(m)
	} else if !ok {
		return nil, &Error{Code: "ResourceNotFoundException", Message: "Requested resource not found"}
	}
	var (
		out any
		err error
	)
	d.mu.Lock()
	defer d.mu.Unlock()
	switch operation {
	case "GetItem":
		out, err = call(input, func(in *server.GetItemInput) (any, error) { return d.db.GetItem(ctx, in) })
	case "PutItem":
		out, err = call(input, func(in *server.PutItemInput) (any, error) { return d.db.PutItem(ctx, in) })
	case "UpdateItem":
		out, err = call(input, func(in *server.UpdateItemInput) (any, error) { return d.db.UpdateItem(ctx, in) })
	case "DeleteItem":
		out, err = call(input, func(in *server.DeleteItemInput) (any, error) { return d.db.DeleteItem(ctx, in) })
	case "Query":
		out, err = call(input, func(in *server.QueryInput) (any, error) { return d.db.Query(ctx, in) })
	case "Scan":
		out, err = call(input, func(in *server.ScanInput) (any, error) { return d.db.Scan(ctx, in) })
	default:
		return nil, &Error{Code: "UnknownOperationException", Message: fmt.Sprintf("DynamoDB operation %s is not supported offline; use one of %s", operation, strings.Join(Operations, ", "))}
	}
	if err != nil {
		return nil, apiError(err)
	}
	return json.Marshal(out)
}

// call decodes the request into the engine's input type and runs fn,
// turning a panic of the expression engine on bad input into an error.
func call[In any](input []byte, fn func(*In) (any, error)) (out any, err error) {
	in := new(In)
	if err := json.Unmarshal(input, in); err != nil {
		return nil, &Error{Code: "SerializationException", Message: "the request body is not valid JSON for this operation: " + err.Error()}
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, &Error{Code: "InternalServerError", Message: fmt.Sprintf("the expression engine failed on this request: %v", p)}
		}
	}()
	return fn(in)
}

// apiError names the engine's errors as the local DynamoDB does
// (local/dynamodb awsError): the SDK's typed errors keep their code, with
// DynamoDB's own texts where DynamoDB Local's differ.
func apiError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var api interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if !errors.As(err, &api) {
		return &Error{Code: "ValidationException", Message: err.Error()}
	}
	code, msg := api.ErrorCode(), api.ErrorMessage()
	switch code {
	case "ResourceNotFoundException":
		// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_Errors
		msg = "Requested resource not found"
	case "ConditionalCheckFailedException":
		msg = "The conditional request failed"
	}
	return &Error{Code: code, Message: msg}
}
