package sqs

import (
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps an SQS request, in either protocol, to sqs:<Action> on
// the queue it names (QueueUrl, or QueueName for CreateQueue and
// GetQueueUrl); ListQueues has no resource. Batch actions are authorised
// as their single forms, as AWS does (SendMessageBatch is sqs:SendMessage).
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
// and https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	op := core.Operation(r)
	var url, name string
	if r.Header.Get("X-Amz-Target") != "" {
		url, name = core.JSONString(r, "QueueUrl"), core.JSONString(r, "QueueName")
	} else {
		p := core.QueryParams(r)
		url, name = p.Get("QueueUrl"), p.Get("QueueName")
	}
	switch op {
	case "SendMessageBatch":
		op = "SendMessage"
	case "DeleteMessageBatch":
		op = "DeleteMessage"
	case "ChangeMessageVisibilityBatch":
		op = "ChangeMessageVisibility"
	}
	resource := "*"
	switch {
	case url != "":
		resource = s.env.ARN("sqs", queueName(url))
	case name != "":
		resource = s.env.ARN("sqs", name)
	}
	return []core.Permission{{Action: "sqs:" + op, Resource: resource}}, nil
}
