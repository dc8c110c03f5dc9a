package sqs

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// The awsQuery protocol: the same operations with form parameters in and
// XML out. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-xml.html

type xmlAttribute struct {
	Name  string
	Value string
}

type xmlMessageAttribute struct {
	Name  string
	Value struct {
		DataType    string
		StringValue string `xml:",omitempty"`
		BinaryValue string `xml:",omitempty"`
	}
}

type xmlMessage struct {
	MessageId              string
	ReceiptHandle          string
	MD5OfBody              string
	Body                   string
	MD5OfMessageAttributes string                `xml:",omitempty"`
	Attribute              []xmlAttribute        `xml:"Attribute"`
	MessageAttribute       []xmlMessageAttribute `xml:"MessageAttribute"`
}

type xmlSendResult struct {
	Id                     string `xml:",omitempty"`
	MessageId              string
	MD5OfMessageBody       string
	MD5OfMessageAttributes string `xml:",omitempty"`
	SequenceNumber         string `xml:",omitempty"`
}

type xmlBatchError struct {
	Id          string
	SenderFault bool
	Code        string
	Message     string
}

type xmlID struct{ Id string }

// queryErrors gives query clients the query code of each error.
func queryErrors(fn core.QueryAction) core.QueryAction {
	return func(ctx context.Context, p url.Values) (any, error) {
		out, err := fn(ctx, p)
		var e *core.Error
		if errors.As(err, &e) {
			c := *e
			c.Code = queryCode(e)
			return nil, &c
		}
		return out, err
	}
}

func queryAttributes(p url.Values) map[string]string {
	return core.QueryMap(p, "Attribute", "Name", "Value")
}

func queryMessageAttributes(p url.Values, prefix string) (map[string]MessageAttribute, error) {
	var out map[string]MessageAttribute
	for _, m := range core.QueryStructs(p, prefix) {
		if out == nil {
			out = map[string]MessageAttribute{}
		}
		a := MessageAttribute{DataType: m.Get("Value.DataType"), StringValue: m.Get("Value.StringValue")}
		if b := m.Get("Value.BinaryValue"); b != "" {
			raw, err := base64.StdEncoding.DecodeString(b)
			if err != nil {
				return nil, errInvalidValue("The message attribute '%s' has an invalid binary value.", m.Get("Name"))
			}
			a.BinaryValue = raw
		}
		out[m.Get("Name")] = a
	}
	return out, nil
}

func querySeconds(p url.Values, name string) (*time.Duration, error) {
	v := p.Get(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, errInvalidValue("Value %s for parameter %s is invalid. Reason: must be an integer.", v, name)
	}
	d := time.Duration(n) * time.Second
	return &d, nil
}

func querySend(p url.Values, prefix string) (SendInput, error) {
	attrs, err := queryMessageAttributes(p, prefix+"MessageAttribute")
	if err != nil {
		return SendInput{}, err
	}
	delay, err := querySeconds(p, prefix+"DelaySeconds")
	if err != nil {
		return SendInput{}, err
	}
	return SendInput{Body: p.Get(prefix + "MessageBody"), Attributes: attrs, Delay: delay,
		GroupID: p.Get(prefix + "MessageGroupId"), DedupID: p.Get(prefix + "MessageDeduplicationId")}, nil
}

func xmlSend(id string, r SendResult) xmlSendResult {
	return xmlSendResult{Id: id, MessageId: r.MessageID, MD5OfMessageBody: r.MD5OfBody, MD5OfMessageAttributes: r.MD5OfAttributes, SequenceNumber: r.SequenceNumber}
}

func xmlBatchErr(id string, err error) xmlBatchError {
	b := toBatchError(id, err)
	return xmlBatchError(b)
}

func (s *Service) queryActions() map[string]core.QueryAction {
	actions := map[string]core.QueryAction{
		"CreateQueue": func(_ context.Context, p url.Values) (any, error) {
			u, err := s.CreateQueue(p.Get("QueueName"), queryAttributes(p), core.QueryMap(p, "Tag", "Key", "Value"))
			return struct{ QueueUrl string }{u}, err
		},
		"GetQueueUrl": func(_ context.Context, p url.Values) (any, error) {
			u, err := s.QueueURL(p.Get("QueueName"))
			return struct{ QueueUrl string }{u}, err
		},
		"DeleteQueue": func(_ context.Context, p url.Values) (any, error) { return nil, s.DeleteQueue(p.Get("QueueUrl")) },
		"PurgeQueue":  func(_ context.Context, p url.Values) (any, error) { return nil, s.Purge(p.Get("QueueUrl")) },
		"ListQueues": func(_ context.Context, p url.Values) (any, error) {
			max, _ := strconv.Atoi(p.Get("MaxResults"))
			urls, next := page(s.ListQueues(p.Get("QueueNamePrefix")), max, p.Get("NextToken"))
			return struct {
				QueueUrl  []string
				NextToken string `xml:",omitempty"`
			}{urls, next}, nil
		},
		"GetQueueAttributes": func(_ context.Context, p url.Values) (any, error) {
			a, err := s.Attributes(p.Get("QueueUrl"), core.QueryList(p, "AttributeName"))
			if err != nil {
				return nil, err
			}
			out := struct{ Attribute []xmlAttribute }{}
			for _, k := range sortedKeys(a) {
				out.Attribute = append(out.Attribute, xmlAttribute{k, a[k]})
			}
			return out, nil
		},
		"SetQueueAttributes": func(_ context.Context, p url.Values) (any, error) {
			return nil, s.SetAttributes(p.Get("QueueUrl"), queryAttributes(p))
		},
		"SendMessage": func(_ context.Context, p url.Values) (any, error) {
			in, err := querySend(p, "")
			if err != nil {
				return nil, err
			}
			r, err := s.Send(p.Get("QueueUrl"), in)
			if err != nil {
				return nil, err
			}
			return xmlSend("", r), nil
		},
		"SendMessageBatch": func(_ context.Context, p url.Values) (any, error) {
			entries := core.QueryStructs(p, "SendMessageBatchRequestEntry")
			ids := make([]string, len(entries))
			for i, e := range entries {
				ids[i] = e.Get("Id")
			}
			if err := errBatch(len(entries), "SendMessageBatchRequestEntry", ids); err != nil {
				return nil, err
			}
			out := struct {
				SendMessageBatchResultEntry []xmlSendResult
				BatchResultErrorEntry       []xmlBatchError
			}{}
			for _, e := range entries {
				in, err := querySend(e, "")
				if err == nil {
					var r SendResult
					if r, err = s.Send(p.Get("QueueUrl"), in); err == nil {
						out.SendMessageBatchResultEntry = append(out.SendMessageBatchResultEntry, xmlSend(e.Get("Id"), r))
						continue
					}
				}
				if core.AsError(err).Code == "QueueDoesNotExist" {
					return nil, err
				}
				out.BatchResultErrorEntry = append(out.BatchResultErrorEntry, xmlBatchErr(e.Get("Id"), err))
			}
			return out, nil
		},
		"ReceiveMessage": func(ctx context.Context, p url.Values) (any, error) {
			max, _ := strconv.Atoi(p.Get("MaxNumberOfMessages"))
			vis, err := querySeconds(p, "VisibilityTimeout")
			if err != nil {
				return nil, err
			}
			wait, err := querySeconds(p, "WaitTimeSeconds")
			if err != nil {
				return nil, err
			}
			got, err := s.Receive(ctx, p.Get("QueueUrl"), ReceiveInput{Max: max, Visibility: vis, Wait: wait})
			if err != nil {
				return nil, err
			}
			system := append(core.QueryList(p, "AttributeName"), core.QueryList(p, "MessageSystemAttributeName")...)
			user := core.QueryList(p, "MessageAttributeName")
			out := struct{ Message []xmlMessage }{}
			for _, m := range got {
				x := xmlMessage{MessageId: m.ID, ReceiptHandle: m.ReceiptHandle, MD5OfBody: md5Hex(m.Body), Body: m.Body}
				sa := pick(m.SystemAttributes(s.env.AccountID), system)
				for _, k := range sortedKeys(sa) {
					x.Attribute = append(x.Attribute, xmlAttribute{k, sa[k]})
				}
				ua := pickUser(m.Attributes, user)
				for _, k := range sortedKeys(ua) {
					a := xmlMessageAttribute{Name: k}
					a.Value.DataType, a.Value.StringValue = ua[k].DataType, ua[k].StringValue
					if ua[k].BinaryValue != nil {
						a.Value.BinaryValue = base64.StdEncoding.EncodeToString(ua[k].BinaryValue)
					}
					x.MessageAttribute = append(x.MessageAttribute, a)
				}
				if len(ua) > 0 {
					x.MD5OfMessageAttributes = attributesMD5(ua)
				}
				out.Message = append(out.Message, x)
			}
			return out, nil
		},
		"DeleteMessage": func(_ context.Context, p url.Values) (any, error) {
			return nil, s.Delete(p.Get("QueueUrl"), p.Get("ReceiptHandle"))
		},
		"DeleteMessageBatch": func(_ context.Context, p url.Values) (any, error) {
			entries := core.QueryStructs(p, "DeleteMessageBatchRequestEntry")
			ids := make([]string, len(entries))
			for i, e := range entries {
				ids[i] = e.Get("Id")
			}
			if err := errBatch(len(entries), "DeleteMessageBatchRequestEntry", ids); err != nil {
				return nil, err
			}
			out := struct {
				DeleteMessageBatchResultEntry []xmlID
				BatchResultErrorEntry         []xmlBatchError
			}{}
			for _, e := range entries {
				if err := s.Delete(p.Get("QueueUrl"), e.Get("ReceiptHandle")); err != nil {
					if core.AsError(err).Code == "QueueDoesNotExist" {
						return nil, err
					}
					out.BatchResultErrorEntry = append(out.BatchResultErrorEntry, xmlBatchErr(e.Get("Id"), err))
					continue
				}
				out.DeleteMessageBatchResultEntry = append(out.DeleteMessageBatchResultEntry, xmlID{e.Get("Id")})
			}
			return out, nil
		},
		"ChangeMessageVisibility": func(_ context.Context, p url.Values) (any, error) {
			d, err := querySeconds(p, "VisibilityTimeout")
			if err != nil {
				return nil, err
			}
			if d == nil {
				return nil, errMissing("VisibilityTimeout")
			}
			return nil, s.ChangeVisibility(p.Get("QueueUrl"), p.Get("ReceiptHandle"), *d)
		},
	}
	for k, fn := range actions {
		actions[k] = queryErrors(fn)
	}
	return actions
}
