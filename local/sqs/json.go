package sqs

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

const jsonContentType = "application/x-amz-json-1.0"

// serveJSON serves the awsJson 1.0 protocol. Errors carry the JSON type in
// __type and the query code in x-amzn-query-error, as SQS writes them.
func (s *Service) serveJSON(w http.ResponseWriter, r *http.Request) {
	call := core.CallFrom(r.Context())
	prefix, op, ok := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	call.SetOperation(op)
	fn, known := s.json[op]
	if !ok || prefix != "AmazonSQS" || !known {
		s.writeJSONError(w, r, core.Errorf(http.StatusBadRequest, "UnknownOperationException", "SQS operation %s is not supported by the local cloud", op))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, core.MaxJSONBody+1))
	if err != nil || len(body) > core.MaxJSONBody {
		s.writeJSONError(w, r, core.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "the request body is unreadable or larger than %d bytes", core.MaxJSONBody))
		return
	}
	out, err := fn(r.Context(), body)
	if err != nil {
		s.writeJSONError(w, r, err)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	b, _ := json.Marshal(out)
	w.Header().Set("Content-Type", jsonContentType)
	_, _ = w.Write(b)
}

func (s *Service) writeJSONError(w http.ResponseWriter, r *http.Request, err error) {
	e := core.AsError(err)
	typ := "Sender"
	if e.Receiver {
		typ = "Receiver"
	}
	w.Header().Set("x-amzn-query-error", queryCode(e)+";"+typ)
	core.WriteJSONError(w, r, jsonContentType, &core.Error{Code: "com.amazonaws.sqs#" + e.Code, Message: e.Message, Status: e.Status, Receiver: e.Receiver})
}

type jsonAttribute struct {
	DataType    string
	StringValue string `json:",omitempty"`
	BinaryValue []byte `json:",omitempty"`
}

func fromJSONAttributes(in map[string]jsonAttribute) map[string]MessageAttribute {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]MessageAttribute, len(in))
	for k, a := range in {
		out[k] = MessageAttribute(a)
	}
	return out
}

type sendEntry struct {
	Id                     string
	MessageBody            string
	DelaySeconds           *int
	MessageAttributes      map[string]jsonAttribute
	MessageDeduplicationId string
	MessageGroupId         string
}

func (e sendEntry) input() SendInput {
	in := SendInput{Body: e.MessageBody, Attributes: fromJSONAttributes(e.MessageAttributes), GroupID: e.MessageGroupId, DedupID: e.MessageDeduplicationId}
	if e.DelaySeconds != nil {
		d := time.Duration(*e.DelaySeconds) * time.Second
		in.Delay = &d
	}
	return in
}

func sendOutput(r SendResult) map[string]any {
	out := map[string]any{"MessageId": r.MessageID, "MD5OfMessageBody": r.MD5OfBody}
	if r.MD5OfAttributes != "" {
		out["MD5OfMessageAttributes"] = r.MD5OfAttributes
	}
	if r.SequenceNumber != "" {
		out["SequenceNumber"] = r.SequenceNumber
	}
	return out
}

type batchError struct {
	Id          string
	SenderFault bool
	Code        string
	Message     string
}

func toBatchError(id string, err error) batchError {
	e := core.AsError(err)
	return batchError{Id: id, SenderFault: !e.Receiver, Code: queryCode(e), Message: e.Message}
}

func seconds(n *int) *time.Duration {
	if n == nil {
		return nil
	}
	d := time.Duration(*n) * time.Second
	return &d
}

// receivedJSON renders a received message, with the system and message
// attributes asked for.
func (s *Service) receivedJSON(m Received, system, user []string) map[string]any {
	out := map[string]any{"MessageId": m.ID, "ReceiptHandle": m.ReceiptHandle, "MD5OfBody": md5Hex(m.Body), "Body": m.Body}
	if attrs := pick(m.SystemAttributes(s.env.AccountID), system); len(attrs) > 0 {
		out["Attributes"] = attrs
	}
	if ua := pickUser(m.Attributes, user); len(ua) > 0 {
		j := map[string]jsonAttribute{}
		for k, a := range ua {
			j[k] = jsonAttribute(a)
		}
		out["MessageAttributes"] = j
		out["MD5OfMessageAttributes"] = attributesMD5(ua)
	}
	return out
}

// pick selects named system attributes ("All" for all).
func pick(all map[string]string, names []string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		if n == "All" {
			return all
		}
		if v, ok := all[n]; ok {
			out[n] = v
		}
	}
	return out
}

// pickUser selects message attributes by name, "All", ".*" or a "prefix.*".
func pickUser(all map[string]MessageAttribute, names []string) map[string]MessageAttribute {
	out := map[string]MessageAttribute{}
	for _, n := range names {
		for k, a := range all {
			if n == "All" || n == ".*" || k == n || (strings.HasSuffix(n, ".*") && strings.HasPrefix(k, strings.TrimSuffix(n, "*"))) {
				out[k] = a
			}
		}
	}
	return out
}

type queueRef struct{ QueueUrl string }

func (s *Service) jsonOperations() map[string]core.JSONOperation {
	return map[string]core.JSONOperation{
		"CreateQueue": core.Op(func(_ context.Context, in struct {
			QueueName  string
			Attributes map[string]string
			Tags       map[string]string `json:"tags"`
		}) (any, error) {
			u, err := s.CreateQueue(in.QueueName, in.Attributes, in.Tags)
			return map[string]string{"QueueUrl": u}, err
		}),
		"GetQueueUrl": core.Op(func(_ context.Context, in struct{ QueueName string }) (any, error) {
			u, err := s.QueueURL(in.QueueName)
			return map[string]string{"QueueUrl": u}, err
		}),
		"DeleteQueue": core.Op(func(_ context.Context, in queueRef) (any, error) { return nil, s.DeleteQueue(in.QueueUrl) }),
		"PurgeQueue":  core.Op(func(_ context.Context, in queueRef) (any, error) { return nil, s.Purge(in.QueueUrl) }),
		"ListQueues": core.Op(func(_ context.Context, in struct {
			QueueNamePrefix string
			MaxResults      int
			NextToken       string
		}) (any, error) {
			urls, next := page(s.ListQueues(in.QueueNamePrefix), in.MaxResults, in.NextToken)
			out := map[string]any{"QueueUrls": urls}
			if next != "" {
				out["NextToken"] = next
			}
			return out, nil
		}),
		"GetQueueAttributes": core.Op(func(_ context.Context, in struct {
			QueueUrl       string
			AttributeNames []string
		}) (any, error) {
			a, err := s.Attributes(in.QueueUrl, in.AttributeNames)
			return map[string]any{"Attributes": a}, err
		}),
		"SetQueueAttributes": core.Op(func(_ context.Context, in struct {
			QueueUrl   string
			Attributes map[string]string
		}) (any, error) {
			return nil, s.SetAttributes(in.QueueUrl, in.Attributes)
		}),
		"SendMessage": core.Op(func(_ context.Context, in struct {
			QueueUrl string
			sendEntry
		}) (any, error) {
			r, err := s.Send(in.QueueUrl, in.sendEntry.input())
			if err != nil {
				return nil, err
			}
			return sendOutput(r), nil
		}),
		"SendMessageBatch": core.Op(func(_ context.Context, in struct {
			QueueUrl string
			Entries  []sendEntry
		}) (any, error) {
			ids := make([]string, len(in.Entries))
			for i, e := range in.Entries {
				ids[i] = e.Id
			}
			if err := errBatch(len(in.Entries), "SendMessageBatchRequestEntry", ids); err != nil {
				return nil, err
			}
			if _, err := s.Attributes(in.QueueUrl, nil); err != nil {
				return nil, err
			}
			ok, failed := []map[string]any{}, []batchError{}
			for _, e := range in.Entries {
				r, err := s.Send(in.QueueUrl, e.input())
				if err != nil {
					failed = append(failed, toBatchError(e.Id, err))
					continue
				}
				o := sendOutput(r)
				o["Id"] = e.Id
				ok = append(ok, o)
			}
			return map[string]any{"Successful": ok, "Failed": failed}, nil
		}),
		"ReceiveMessage": core.Op(func(ctx context.Context, in struct {
			QueueUrl                    string
			MaxNumberOfMessages         int
			VisibilityTimeout           *int
			WaitTimeSeconds             *int
			AttributeNames              []string
			MessageSystemAttributeNames []string
			MessageAttributeNames       []string
		}) (any, error) {
			got, err := s.Receive(ctx, in.QueueUrl, ReceiveInput{Max: in.MaxNumberOfMessages, Visibility: seconds(in.VisibilityTimeout), Wait: seconds(in.WaitTimeSeconds)})
			if err != nil {
				return nil, err
			}
			msgs := []map[string]any{}
			for _, m := range got {
				msgs = append(msgs, s.receivedJSON(m, append(in.AttributeNames, in.MessageSystemAttributeNames...), in.MessageAttributeNames))
			}
			if len(msgs) == 0 {
				return struct{}{}, nil
			}
			return map[string]any{"Messages": msgs}, nil
		}),
		"DeleteMessage": core.Op(func(_ context.Context, in struct{ QueueUrl, ReceiptHandle string }) (any, error) {
			return nil, s.Delete(in.QueueUrl, in.ReceiptHandle)
		}),
		"DeleteMessageBatch": core.Op(func(_ context.Context, in struct {
			QueueUrl string
			Entries  []struct{ Id, ReceiptHandle string }
		}) (any, error) {
			ids := make([]string, len(in.Entries))
			for i, e := range in.Entries {
				ids[i] = e.Id
			}
			if err := errBatch(len(in.Entries), "DeleteMessageBatchRequestEntry", ids); err != nil {
				return nil, err
			}
			ok, failed := []map[string]string{}, []batchError{}
			for _, e := range in.Entries {
				if err := s.Delete(in.QueueUrl, e.ReceiptHandle); err != nil {
					if core.AsError(err).Code == "QueueDoesNotExist" {
						return nil, err
					}
					failed = append(failed, toBatchError(e.Id, err))
					continue
				}
				ok = append(ok, map[string]string{"Id": e.Id})
			}
			return map[string]any{"Successful": ok, "Failed": failed}, nil
		}),
		"ChangeMessageVisibility": core.Op(func(_ context.Context, in struct {
			QueueUrl, ReceiptHandle string
			VisibilityTimeout       int
		}) (any, error) {
			return nil, s.ChangeVisibility(in.QueueUrl, in.ReceiptHandle, time.Duration(in.VisibilityTimeout)*time.Second)
		}),
		"ChangeMessageVisibilityBatch": core.Op(func(_ context.Context, in struct {
			QueueUrl string
			Entries  []struct {
				Id, ReceiptHandle string
				VisibilityTimeout int
			}
		}) (any, error) {
			ids := make([]string, len(in.Entries))
			for i, e := range in.Entries {
				ids[i] = e.Id
			}
			if err := errBatch(len(in.Entries), "ChangeMessageVisibilityBatchRequestEntry", ids); err != nil {
				return nil, err
			}
			ok, failed := []map[string]string{}, []batchError{}
			for _, e := range in.Entries {
				if err := s.ChangeVisibility(in.QueueUrl, e.ReceiptHandle, time.Duration(e.VisibilityTimeout)*time.Second); err != nil {
					failed = append(failed, toBatchError(e.Id, err))
					continue
				}
				ok = append(ok, map[string]string{"Id": e.Id})
			}
			return map[string]any{"Successful": ok, "Failed": failed}, nil
		}),
	}
}

// page pages a sorted list of URLs: the token is the last URL returned.
func page(urls []string, max int, token string) ([]string, string) {
	start := 0
	if token != "" {
		for i, u := range urls {
			if u == token {
				start = i + 1
			}
		}
	}
	urls = urls[start:]
	if max <= 0 || max > 1000 {
		max = 1000
	}
	if len(urls) > max {
		return urls[:max], urls[max-1]
	}
	if urls == nil {
		urls = []string{}
	}
	return urls, ""
}
