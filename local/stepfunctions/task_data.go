package stepfunctions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/dynamodb"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/sqs"
	"github.com/sparta-go/sparta/step/engine"
)

// resourceSQSSendMessage is the SQS integration (request-response and
// .waitForTaskToken).
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
const resourceSQSSendMessage = "arn:aws:states:::sqs:sendMessage"

// dynamoDBActions maps the optimised DynamoDB integrations to the API
// operation each calls (and the IAM action it needs, "dynamodb:" + op).
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
var dynamoDBActions = map[string]string{
	"arn:aws:states:::dynamodb:getItem":    "GetItem",
	"arn:aws:states:::dynamodb:putItem":    "PutItem",
	"arn:aws:states:::dynamodb:updateItem": "UpdateItem",
	"arn:aws:states:::dynamodb:deleteItem": "DeleteItem",
}

// DynamoDBCaller runs one DynamoDB operation given its JSON request, as
// the local DynamoDB service does.
type DynamoDBCaller interface {
	Do(ctx context.Context, operation string, input []byte) (any, error)
}

// MessageSender sends an SQS message, as the local SQS service does.
type MessageSender interface {
	SendMessage(ctx context.Context, queueURL string, in sqs.SendInput) (sqs.SendResult, error)
}

// sdkMetadata is what the AWS SDK adds to an integration's result.
func sdkMetadata(out map[string]any, contentType string) map[string]any {
	out["SdkHttpMetadata"] = map[string]any{
		"AllHttpHeaders": map[string]any{},
		"HttpHeaders":    map[string]any{"Content-Type": contentType},
		"HttpStatusCode": json.Number("200"),
	}
	out["SdkResponseMetadata"] = map[string]any{"RequestId": core.NewRequestID()}
	return out
}

// plainJSON re-encodes the engine's values (json.Number and all) as JSON.
func plainJSON(req *engine.TaskRequest, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("encoding the Parameters of state '%s': %v", req.StateName, err)}
	}
	return b, nil
}

// dynamoDBTask runs dynamodb:getItem, putItem, updateItem and deleteItem:
// Parameters are the API request (TableName, Key or Item with typed
// attribute values, expressions...) and the result is the API response.
// The machine's role needs dynamodb:<Operation> on the table's ARN.
func (s *Service) dynamoDBTask(ctx context.Context, r *run, req *engine.TaskRequest) (any, error) {
	op := dynamoDBActions[req.Resource]
	params, _ := req.Input.(map[string]any)
	table, _ := params["TableName"].(string)
	if table == "" {
		return nil, &engine.TaskError{Name: "DynamoDB.AmazonDynamoDBException", Cause: fmt.Sprintf(
			"The state '%s' calls %s without a TableName string in its Parameters", req.StateName, req.Resource)}
	}
	tableARN := table
	if !strings.HasPrefix(table, "arn:") {
		tableARN = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", s.cfg.Region, s.cfg.AccountID, table)
	} else {
		params["TableName"] = table[strings.LastIndex(table, "/")+1:]
	}
	if err := s.authorize(r, "dynamodb:"+op, tableARN, func(ad *iam.AccessDeniedError) error {
		return &engine.TaskError{Name: "DynamoDB.AmazonDynamoDBException", Cause: fmt.Sprintf(
			"%s (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException; Request ID: %s; Proxy: null)", ad, core.NewRequestID())}
	}); err != nil {
		return nil, err
	}
	if s.cfg.DynamoDB == nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: "the local cloud runs no DynamoDB service, so table " + table + " cannot be called"}
	}
	body, err := plainJSON(req, params)
	if err != nil {
		return nil, err
	}
	out, err := s.cfg.DynamoDB.Do(ctx, op, body)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &engine.TaskError{Name: "DynamoDB." + errorCode(err, "AmazonDynamoDBException"), Cause: fmt.Sprintf(
			"%s (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)", message(err), errorCode(err, "AmazonDynamoDBException"), core.NewRequestID())}
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	result := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&result); err != nil {
		return nil, err
	}
	return sdkMetadata(result, "application/x-amz-json-1.0"), nil
}

func message(err error) string {
	var ce *core.Error
	if errors.As(err, &ce) {
		return ce.Message
	}
	return err.Error()
}

// sqsSendMessageTask runs sqs:sendMessage (and .waitForTaskToken, whose
// MessageBody carries $$.Task.Token): QueueUrl, MessageBody (a string, or
// any JSON value sent as its JSON text), DelaySeconds, MessageAttributes,
// MessageGroupId and MessageDeduplicationId. The role needs
// sqs:SendMessage on the queue's ARN.
func (s *Service) sqsSendMessageTask(ctx context.Context, r *run, req *engine.TaskRequest) (any, error) {
	params, _ := req.Input.(map[string]any)
	url, _ := params["QueueUrl"].(string)
	if url == "" {
		return nil, &engine.TaskError{Name: "SQS.AmazonSQSException", Cause: fmt.Sprintf("The state '%s' calls %s without a QueueUrl in its Parameters", req.StateName, req.Resource)}
	}
	var in sqs.SendInput
	switch b := params["MessageBody"].(type) {
	case string:
		in.Body = b
	case nil:
		return nil, &engine.TaskError{Name: "SQS.AmazonSQSException", Cause: "The request must contain the parameter MessageBody."}
	default:
		raw, err := plainJSON(req, b)
		if err != nil {
			return nil, err
		}
		in.Body = string(raw)
	}
	in.GroupID, _ = params["MessageGroupId"].(string)
	in.DedupID, _ = params["MessageDeduplicationId"].(string)
	if attrs, ok := params["MessageAttributes"].(map[string]any); ok {
		in.Attributes = map[string]sqs.MessageAttribute{}
		for k, v := range attrs {
			m, _ := v.(map[string]any)
			dt, _ := m["DataType"].(string)
			sv, _ := m["StringValue"].(string)
			in.Attributes[k] = sqs.MessageAttribute{DataType: dt, StringValue: sv}
		}
	}
	if d, ok := params["DelaySeconds"].(json.Number); ok {
		n, err := d.Int64()
		if err == nil {
			delay := time.Duration(n) * time.Second
			in.Delay = &delay
		}
	}
	name := url[strings.LastIndex(url, "/")+1:]
	queueARN := fmt.Sprintf("arn:aws:sqs:%s:%s:%s", s.cfg.Region, s.cfg.AccountID, name)
	if err := s.authorize(r, "sqs:SendMessage", queueARN, func(ad *iam.AccessDeniedError) error {
		return &engine.TaskError{Name: "SQS.AmazonSQSException", Cause: fmt.Sprintf(
			"%s (Service: AmazonSQS; Status Code: 403; Error Code: AccessDenied; Request ID: %s; Proxy: null)", ad, core.NewRequestID())}
	}); err != nil {
		return nil, err
	}
	if s.cfg.SQS == nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: "the local cloud runs no SQS service, so queue " + url + " cannot be sent to"}
	}
	res, err := s.cfg.SQS.SendMessage(ctx, url, in)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		code := errorCode(err, "AmazonSQSException")
		return nil, &engine.TaskError{Name: "SQS." + code, Cause: fmt.Sprintf("%s (Service: AmazonSQS; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)", message(err), strings.TrimSuffix(code, "Exception"), core.NewRequestID())}
	}
	out := map[string]any{"MessageId": res.MessageID, "MD5OfMessageBody": res.MD5OfBody}
	if res.MD5OfAttributes != "" {
		out["MD5OfMessageAttributes"] = res.MD5OfAttributes
	}
	if res.SequenceNumber != "" {
		out["SequenceNumber"] = res.SequenceNumber
	}
	return sdkMetadata(out, "text/xml"), nil
}

// LocalDynamoDB is a DynamoDBCaller calling the cloud's DynamoDB service.
type LocalDynamoDB struct{ Env *core.Env }

// Do runs the operation through the DynamoDB service's Go API.
func (d LocalDynamoDB) Do(ctx context.Context, operation string, input []byte) (any, error) {
	svc, _ := d.Env.Lookup("dynamodb")
	s, ok := svc.(*dynamodb.Service)
	if !ok {
		return nil, errors.New("the local cloud runs no DynamoDB service")
	}
	return s.Do(ctx, operation, input)
}

// LocalSQS is a MessageSender sending to the cloud's SQS service.
type LocalSQS struct{ Env *core.Env }

// SendMessage sends through the SQS service's Go API.
func (q LocalSQS) SendMessage(_ context.Context, queueURL string, in sqs.SendInput) (sqs.SendResult, error) {
	svc, _ := q.Env.Lookup("sqs")
	s, ok := svc.(*sqs.Service)
	if !ok {
		return sqs.SendResult{}, errors.New("the local cloud runs no SQS service")
	}
	return s.Send(queueURL, in)
}
