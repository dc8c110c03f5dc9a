package sqs

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives AWS::SQS::Queue and AWS::SQS::QueuePolicy their
// behaviour in the local cloud's CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::SQS::Queue":       queueProvider{s},
		"AWS::SQS::QueuePolicy": policyProvider{s},
	}
}

type queueProvider struct{ s *Service }

// queueAttributes maps the resource's properties to queue attributes.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html
func queueAttributes(props map[string]any) (map[string]string, error) {
	attrs := map[string]string{}
	for _, k := range []string{"DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
		"VisibilityTimeout", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
		"SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit"} {
		switch v := props[k].(type) {
		case nil:
		case string:
			attrs[k] = v
		case bool:
			attrs[k] = strconv.FormatBool(v)
		case float64:
			attrs[k] = strconv.FormatInt(int64(v), 10)
		default:
			attrs[k] = fmt.Sprint(v)
		}
	}
	for _, k := range []string{"RedrivePolicy", "RedriveAllowPolicy"} {
		switch v := props[k].(type) {
		case nil:
		case string:
			attrs[k] = v
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			attrs[k] = string(b)
		}
	}
	if attrs["FifoQueue"] == "false" {
		delete(attrs, "FifoQueue")
	}
	return attrs, nil
}

// Create makes the queue: QueueName, or stack-logicalID-RANDOM (with .fifo
// for FIFO queues).
func (p queueProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	attrs, err := queueAttributes(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	name := resource.String(req.Properties, "QueueName")
	if name == "" {
		name = resource.PhysicalName(req.StackName, req.LogicalID, 75)
		if attrs["FifoQueue"] == "true" {
			name += ".fifo"
		}
	}
	tags := map[string]string{}
	if list, ok := req.Properties["Tags"].([]any); ok {
		for _, t := range list {
			if m, ok := t.(map[string]any); ok {
				tags[fmt.Sprint(m["Key"])] = fmt.Sprint(m["Value"])
			}
		}
	}
	if _, err := p.s.QueueURL(name); err == nil {
		return resource.Result{}, fmt.Errorf("queue %s already exists", name)
	}
	url, err := p.s.CreateQueue(name, attrs, tags)
	if err != nil {
		return resource.Result{}, err
	}
	return p.result(url)
}

// Update changes the queue's attributes in place.
func (p queueProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	attrs, err := queueAttributes(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	delete(attrs, "FifoQueue")
	for _, k := range []string{"RedrivePolicy", "DelaySeconds", "VisibilityTimeout", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "MaximumMessageSize"} {
		if _, ok := attrs[k]; !ok {
			attrs[k] = attributeDefaults[k] // a removed property returns to AWS's default
		}
	}
	if err := p.s.SetAttributes(req.PhysicalID, attrs); err != nil {
		return resource.Result{}, err
	}
	return p.result(req.PhysicalID)
}

// Delete removes the queue; a missing queue is not an error.
func (p queueProvider) Delete(_ context.Context, req resource.Request) error {
	if err := p.s.DeleteQueue(req.PhysicalID); err != nil && !strings.Contains(err.Error(), "does not exist") {
		return err
	}
	return nil
}

// RequiresReplacement: the name and the queue type are fixed at creation.
func (queueProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "QueueName", "FifoQueue")
}

// result: Ref of a queue is its URL; Arn, QueueName and QueueUrl its
// attributes.
func (p queueProvider) result(url string) (resource.Result, error) {
	a, err := p.s.Attributes(url, []string{"QueueArn"})
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: url, Attributes: map[string]any{"Arn": a["QueueArn"], "QueueName": queueName(url), "QueueUrl": url}}, nil
}

type policyProvider struct{ s *Service }

// policyQueues returns the queue URLs and the policy JSON of a QueuePolicy.
func policyQueues(props map[string]any) ([]string, string, error) {
	doc, err := json.Marshal(props["PolicyDocument"])
	if err != nil {
		return nil, "", fmt.Errorf("PolicyDocument: %w", err)
	}
	if s, ok := props["PolicyDocument"].(string); ok {
		doc = []byte(s)
	}
	var urls []string
	list, _ := props["Queues"].([]any)
	for _, q := range list {
		urls = append(urls, fmt.Sprint(q))
	}
	if len(urls) == 0 {
		return nil, "", fmt.Errorf("queues: at least one queue URL is required")
	}
	return urls, string(doc), nil
}

// Create sets the Policy attribute of each queue. The local cloud keeps
// the policy and returns it; access is decided by the caller's IAM
// policies, not by it.
func (p policyProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	urls, doc, err := policyQueues(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	for _, u := range urls {
		if err := p.s.SetAttributes(u, map[string]string{"Policy": doc}); err != nil {
			return resource.Result{}, fmt.Errorf("queue %s: %w", u, err)
		}
	}
	id := req.PhysicalID
	if id == "" {
		id = resource.PhysicalName(req.StackName, req.LogicalID, 128)
	}
	return resource.Result{PhysicalID: id}, nil
}

// Update sets the policy again (and clears it from queues no longer listed).
func (p policyProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	oldURLs, _, _ := policyQueues(req.OldProperties)
	newURLs, _, _ := policyQueues(req.Properties)
	for _, u := range oldURLs {
		if !contains(newURLs, u) {
			_ = p.s.SetAttributes(u, map[string]string{"Policy": ""})
		}
	}
	return p.Create(ctx, req)
}

// Delete clears the policy of the queues that still exist.
func (p policyProvider) Delete(_ context.Context, req resource.Request) error {
	urls, _, _ := policyQueues(req.Properties)
	for _, u := range urls {
		_ = p.s.SetAttributes(u, map[string]string{"Policy": ""})
	}
	return nil
}

// RequiresReplacement: a queue policy is updated in place.
func (policyProvider) RequiresReplacement(_, _ map[string]any) bool { return false }

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
