package service

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// SQSQueue declares an AWS::SQS::Queue of the service. Its LogicalID is
// the resource's logical ID, which task states refer to (cfn.Ref is the
// queue URL) and grants name. Zero values are AWS's defaults.
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html.
type SQSQueue struct {
	// LogicalID names the resource: letters and digits only.
	LogicalID string
	// QueueName is the physical name (ending in .fifo for FIFO queues);
	// empty lets CloudFormation choose one.
	QueueName string
	// FIFO makes a FIFO queue; ContentBasedDeduplication deduplicates by a
	// hash of the body.
	FIFO, ContentBasedDeduplication bool
	// VisibilityTimeoutSeconds (0 to 43200; 0 means AWS's 30),
	// MessageRetentionSeconds (60 to 1209600; 0 means 4 days),
	// DelaySeconds (0 to 900) and ReceiveWaitSeconds (0 to 20).
	VisibilityTimeoutSeconds, MessageRetentionSeconds, DelaySeconds, ReceiveWaitSeconds int
	// DeadLetterQueue receives a message once it has been received
	// MaxReceiveCount times (1 to 1000).
	DeadLetterQueue *SQSQueue
	MaxReceiveCount int
}

// Queue actions for [SQSQueue.Allow]: exact actions, never a wildcard.
var (
	// QueueSendActions send messages.
	QueueSendActions = []string{"sqs:SendMessage", "sqs:GetQueueUrl"}
	// QueueConsumeActions receive and delete messages, what an SQS event
	// source mapping needs.
	QueueConsumeActions = []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}
)

// NewSQSQueue declares a standard queue with AWS's defaults.
func NewSQSQueue(logicalID string) *SQSQueue { return &SQSQueue{LogicalID: logicalID} }

// ARN is the queue's ARN as an intrinsic ({"Fn::GetAtt": [LogicalID,
// "Arn"]}, encoded as cfn.GetAtt encodes it).
func (q *SQSQueue) ARN() string { return getAtt(q.LogicalID, "Arn") }

// Allow grants fn exactly actions ("sqs:..." names, no wildcard) on the
// queue.
func (q *SQSQueue) Allow(fn *LambdaAWSInfo, actions ...string) error {
	if fn == nil {
		return fmt.Errorf("queue %q: Allow needs a function", q.LogicalID)
	}
	if fn.Role.ExistingRole != "" {
		return fmt.Errorf("queue %q: function %q runs as the existing role %s; grant the queue there", q.LogicalID, fn.Name, fn.Role.ExistingRole)
	}
	for _, a := range actions {
		if !strings.HasPrefix(a, "sqs:") || strings.Contains(a, "*") {
			return fmt.Errorf("queue %q: action %q is not an exact sqs: action", q.LogicalID, a)
		}
	}
	fn.Role.Privileges = append(fn.Role.Privileges, IAMRolePrivilege{Actions: append([]string(nil), actions...), Resource: q.ARN()})
	return nil
}

var queueNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// Validate reports every problem of the declaration, each naming the queue.
func (q *SQSQueue) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("queue %q: "+format, append([]any{q.LogicalID}, args...)...))
	}
	if !logicalIDPattern.MatchString(q.LogicalID) {
		add("LogicalID must be 1 to 255 letters and digits")
	}
	if q.QueueName != "" {
		base := q.QueueName
		if q.FIFO {
			base = strings.TrimSuffix(q.QueueName, ".fifo")
			if base == q.QueueName {
				add("QueueName %q of a FIFO queue must end in .fifo", q.QueueName)
			}
		}
		if !queueNamePattern.MatchString(base) || len(q.QueueName) > 80 {
			add("QueueName %q must be 1 to 80 letters, digits, - or _", q.QueueName)
		}
	}
	if q.ContentBasedDeduplication && !q.FIFO {
		add("ContentBasedDeduplication needs FIFO")
	}
	for _, b := range []struct {
		name     string
		v, lo, h int
	}{
		{"VisibilityTimeoutSeconds", q.VisibilityTimeoutSeconds, 0, 43200},
		{"MessageRetentionSeconds", q.MessageRetentionSeconds, 0, 1209600},
		{"DelaySeconds", q.DelaySeconds, 0, 900},
		{"ReceiveWaitSeconds", q.ReceiveWaitSeconds, 0, 20},
	} {
		if b.v < b.lo || b.v > b.h {
			add("%s %d is not between %d and %d", b.name, b.v, b.lo, b.h)
		}
	}
	if q.MessageRetentionSeconds != 0 && q.MessageRetentionSeconds < 60 {
		add("MessageRetentionSeconds %d is below 60", q.MessageRetentionSeconds)
	}
	switch {
	case q.DeadLetterQueue == nil && q.MaxReceiveCount != 0:
		add("MaxReceiveCount needs a DeadLetterQueue")
	case q.DeadLetterQueue != nil && (q.MaxReceiveCount < 1 || q.MaxReceiveCount > 1000):
		add("MaxReceiveCount %d is not between 1 and 1000", q.MaxReceiveCount)
	case q.DeadLetterQueue != nil && q.DeadLetterQueue.FIFO != q.FIFO:
		add("the dead-letter queue of a FIFO queue must be FIFO, and of a standard queue standard")
	case q.DeadLetterQueue == q:
		add("a queue cannot be its own dead-letter queue")
	}
	return errors.Join(errs...)
}
