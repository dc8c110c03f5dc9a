//go:build !lambdabinary

package step

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step/engine"
	"github.com/sparta-go/sparta/step/internal/offlinedata"
)

// OfflineData is the in-memory DynamoDB tables and SQS queues that Execute
// runs the DynamoDB item integrations (getItem, putItem, updateItem,
// deleteItem) and sqs:sendMessage (with or without .waitForTaskToken)
// against: a workflow with a table can be tested without a cloud. Items
// and expressions are evaluated by the engine the local cloud's DynamoDB
// runs on, and tasks fail with the error names they fail with there
// (DynamoDB.ConditionalCheckFailedException,
// DynamoDB.ResourceNotFoundException, SQS.QueueDoesNotExistException...).
//
// A state refers to a table or queue by cfn.Ref(LogicalID), by its
// physical name, or by ARN (and a queue by URL). Queues keep every message
// sent, in order; nothing consumes them. An OfflineData is safe for
// concurrent use and may be shared by several runs.
type OfflineData struct {
	d *offlinedata.Data
}

// NewOfflineData creates the declared tables, each with its key schema and
// indexes, and the declared queues, empty. The error names every invalid
// declaration.
func NewOfflineData(tables []*service.DynamoDBTable, queues []*service.SQSQueue) (*OfflineData, error) {
	d := offlinedata.New()
	var errs []error
	for _, t := range tables {
		errs = append(errs, d.CreateTable(t))
	}
	for _, q := range queues {
		errs = append(errs, d.CreateQueue(q))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("offline data: %w", err)
	}
	return &OfflineData{d: d}, nil
}

// WithOfflineData runs the machine's DynamoDB and SQS tasks against data.
// Without it, Execute gives each run empty data with no table and no
// queue, where those tasks fail as they would against a missing table.
func WithOfflineData(data *OfflineData) ExecuteOption {
	return func(c *executeConfig) { c.data = data }
}

// DynamoDB runs one DynamoDB operation (GetItem, PutItem, UpdateItem,
// DeleteItem, Query or Scan) given its request in DynamoDB's JSON (any
// JSON-marshalable value), and returns the response: how a test seeds a
// table before a run and reads it after. TableName may be the table's
// LogicalID. The error has the API's code (see ErrorCode).
func (d *OfflineData) DynamoDB(ctx context.Context, operation string, request any) (json.RawMessage, error) {
	in, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("offline DynamoDB %s: %w", operation, err)
	}
	return d.d.Do(ctx, operation, in)
}

// Item returns the item of table whose key is key (Go values, converted
// as DynamoDBItem converts them), in DynamoDB's typed JSON, or nil when
// there is none.
func (d *OfflineData) Item(table string, key map[string]any) (map[string]any, error) {
	k, err := DynamoDBItem(key)
	if err != nil {
		return nil, fmt.Errorf("offline table %q: key: %w", table, err)
	}
	out, err := d.DynamoDB(context.Background(), "GetItem", map[string]any{"TableName": table, "Key": k, "ConsistentRead": true})
	if err != nil {
		return nil, err
	}
	var res struct{ Item map[string]any }
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, err
	}
	return res.Item, nil
}

// Items returns every item of table, in DynamoDB's typed JSON, in the
// order a Scan returns them.
func (d *OfflineData) Items(table string) ([]map[string]any, error) {
	out, err := d.DynamoDB(context.Background(), "Scan", map[string]any{"TableName": table})
	if err != nil {
		return nil, err
	}
	var res struct{ Items []map[string]any }
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, err
	}
	return res.Items, nil
}

// OfflineMessage is a message an offline queue holds.
type OfflineMessage struct {
	MessageID string
	Body      string
	// GroupID and DeduplicationID are a FIFO queue's.
	GroupID, DeduplicationID string
	// Attributes maps each message attribute to its string value.
	Attributes map[string]string
	// Sent is when it was sent, on the execution's clock.
	Sent time.Time
}

// Messages returns the messages sent to queue (its LogicalID, name or
// URL), oldest first; the error says when there is no such queue.
func (d *OfflineData) Messages(queue string) ([]OfflineMessage, error) {
	msgs, ok := d.d.Messages(queue)
	if !ok {
		return nil, fmt.Errorf("offline data has no queue %q: declare it with NewOfflineData", queue)
	}
	out := make([]OfflineMessage, len(msgs))
	for i, m := range msgs {
		out[i] = OfflineMessage{MessageID: m.ID, Body: m.Body, GroupID: m.GroupID, DeduplicationID: m.DedupID, Sent: m.Sent}
		if len(m.Attributes) > 0 {
			out[i].Attributes = map[string]string{}
			for k, a := range m.Attributes {
				out[i].Attributes[k] = a.StringValue
			}
		}
	}
	return out, nil
}

// ErrorCode returns the DynamoDB or SQS error code of an error
// OfflineData returned ("ConditionalCheckFailedException"), or "".
func ErrorCode(err error) string {
	var e *offlinedata.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Resources of the data integrations offline runs serve.
var offlineDynamoDB = map[string]string{
	ResourceDynamoDBGetItem:    "GetItem",
	ResourceDynamoDBPutItem:    "PutItem",
	ResourceDynamoDBUpdateItem: "UpdateItem",
	ResourceDynamoDBDeleteItem: "DeleteItem",
}

// dataTask runs a DynamoDB or SQS integration against the offline data,
// answering as the local cloud's Step Functions does (local/stepfunctions
// task_data.go): the API's response with the SDK's metadata, or a task
// error named "DynamoDB.<Code>" or "SQS.<Code>". ok is false for other
// resources.
func (inv *invoker) dataTask(ctx context.Context, req *engine.TaskRequest) (out any, ok bool, err error) {
	op := offlineDynamoDB[req.Resource]
	if op == "" && trimPattern(req.Resource) != ResourceSQSSendMessage {
		return nil, false, nil
	}
	inv.dataOnce.Do(func() {
		if inv.data == nil {
			// A run without WithOfflineData gets empty data of its own,
			// made only when it has a data task.
			inv.data = &OfflineData{d: offlinedata.New()}
		}
	})
	if op != "" {
		out, err := inv.dynamoDBTask(ctx, req, op)
		return out, true, err
	}
	if trimPattern(req.Resource) == ResourceSQSSendMessage {
		out, err := inv.sqsSendMessageTask(req)
		return out, true, err
	}
	return nil, false, nil
}

func (inv *invoker) dynamoDBTask(ctx context.Context, req *engine.TaskRequest, op string) (any, error) {
	params, _ := req.Input.(map[string]any)
	table, _ := params["TableName"].(string)
	if table == "" {
		return nil, &engine.TaskError{Name: "DynamoDB.AmazonDynamoDBException", Cause: fmt.Sprintf(
			"The state '%s' calls %s without a TableName string in its Parameters", req.StateName, req.Resource)}
	}
	request := make(map[string]any, len(params))
	for k, v := range params {
		request[k] = v
	}
	request["TableName"] = inv.resolve(table)
	body, err := json.Marshal(request)
	if err != nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("encoding the Parameters of state '%s': %v", req.StateName, err)}
	}
	raw, err := inv.data.d.Do(ctx, op, body)
	if err != nil {
		code := exceptionCode(err, "AmazonDynamoDBException")
		cause := fmt.Sprintf("%s (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)", apiMessage(err), code, newRequestID())
		if code == "ResourceNotFoundException" {
			cause += fmt.Sprintf("; offline, table %q is not among the tables given with step.WithOfflineData", table)
		}
		return nil, &engine.TaskError{Name: "DynamoDB." + code, Cause: cause}
	}
	result := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&result); err != nil {
		return nil, err
	}
	return sdkMetadata(result, "application/x-amz-json-1.0"), nil
}

func (inv *invoker) sqsSendMessageTask(req *engine.TaskRequest) (any, error) {
	params, _ := req.Input.(map[string]any)
	url, _ := params["QueueUrl"].(string)
	if url == "" {
		return nil, &engine.TaskError{Name: "SQS.AmazonSQSException", Cause: fmt.Sprintf("The state '%s' calls %s without a QueueUrl in its Parameters", req.StateName, req.Resource)}
	}
	in := offlinedata.SendInput{Now: inv.now()}
	body, err := messageText(params["MessageBody"])
	if err != nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("encoding the MessageBody of state '%s': %v", req.StateName, err)}
	}
	if params["MessageBody"] == nil {
		return nil, &engine.TaskError{Name: "SQS.AmazonSQSException", Cause: "The request must contain the parameter MessageBody."}
	}
	in.Body = body
	in.GroupID, _ = params["MessageGroupId"].(string)
	in.DedupID, _ = params["MessageDeduplicationId"].(string)
	if attrs, ok := params["MessageAttributes"].(map[string]any); ok {
		in.Attributes = map[string]offlinedata.MessageAttribute{}
		for k, v := range attrs {
			m, _ := v.(map[string]any)
			dt, _ := m["DataType"].(string)
			sv, _ := m["StringValue"].(string)
			in.Attributes[k] = offlinedata.MessageAttribute{DataType: dt, StringValue: sv}
		}
	}
	if d, ok := params["DelaySeconds"].(json.Number); ok {
		if n, err := d.Int64(); err == nil {
			delay := time.Duration(n) * time.Second
			in.Delay = &delay
		}
	}
	res, err := inv.data.d.SendMessage(inv.resolve(url), in)
	if err != nil {
		code := exceptionCode(err, "AmazonSQSException")
		cause := fmt.Sprintf("%s (Service: AmazonSQS; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)", apiMessage(err), strings.TrimSuffix(code, "Exception"), newRequestID())
		if code == "QueueDoesNotExistException" {
			cause += fmt.Sprintf("; offline, queue %q is not among the queues given with step.WithOfflineData", url)
		}
		return nil, &engine.TaskError{Name: "SQS." + code, Cause: cause}
	}
	out := map[string]any{"MessageId": res.MessageID, "MD5OfMessageBody": res.MD5OfBody}
	if res.SequenceNumber != "" {
		out["SequenceNumber"] = res.SequenceNumber
	}
	return sdkMetadata(out, "text/xml"), nil
}

// messageText is a message parameter as sent: a string as is, any other
// JSON value as its JSON text.
func messageText(v any) (string, error) {
	switch m := v.(type) {
	case nil:
		return "", nil
	case string:
		return m, nil
	default:
		b, err := json.Marshal(m)
		return string(b), err
	}
}

// resolve turns a placeholder of a template reference ("${DynamoDBTable…}",
// bound to cfn.Ref("Sightings")) into the logical ID it refers to, which
// names the table or queue offline.
func (inv *invoker) resolve(name string) string {
	if id, ok := inv.refs[name]; ok {
		return id
	}
	return name
}

// exceptionCode is the error's API code with "Exception" appended, as
// Step Functions names SDK exceptions, or fallback.
func exceptionCode(err error, fallback string) string {
	code := ErrorCode(err)
	if code == "" {
		return fallback
	}
	if !strings.HasSuffix(code, "Exception") {
		code += "Exception"
	}
	return code
}

func apiMessage(err error) string {
	var e *offlinedata.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// sdkMetadata is what the AWS SDK adds to an integration's result.
func sdkMetadata(out map[string]any, contentType string) map[string]any {
	out["SdkHttpMetadata"] = map[string]any{
		"AllHttpHeaders": map[string]any{},
		"HttpHeaders":    map[string]any{"Content-Type": contentType},
		"HttpStatusCode": json.Number("200"),
	}
	out["SdkResponseMetadata"] = map[string]any{"RequestId": newRequestID()}
	return out
}
