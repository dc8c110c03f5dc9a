package sns

import (
	"context"
	"strings"

	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives AWS::SNS::Topic and AWS::SNS::Subscription their
// behaviour in the local cloud's CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::SNS::Topic":        topicProvider{s},
		"AWS::SNS::Subscription": subscriptionProvider{s},
	}
}

type topicProvider struct{ s *Service }

// Create makes the topic: TopicName, or stack-logicalID-RANDOM (with .fifo
// for FIFO topics), with DisplayName and FIFO attributes.
func (p topicProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	attrs := topicAttributes(req.Properties)
	name := resource.String(req.Properties, "TopicName")
	if name == "" {
		name = resource.PhysicalName(req.StackName, req.LogicalID, 251)
		if attrs["FifoTopic"] == "true" {
			name += ".fifo"
		}
	}
	arn, err := p.s.CreateTopic(name, attrs, nil)
	if err != nil {
		return resource.Result{}, err
	}
	return result(arn), nil
}

// Update keeps the topic; DisplayName and the other mutable attributes have
// no effect on the local SNS.
func (p topicProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return result(req.PhysicalID), nil
}

// Delete removes the topic and its kept messages.
func (p topicProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.DeleteTopic(req.PhysicalID)
}

// RequiresReplacement: the name and the FIFO setting are fixed at creation.
func (topicProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "TopicName", "FifoTopic")
}

func topicAttributes(props map[string]any) map[string]string {
	attrs := map[string]string{}
	if d := resource.String(props, "DisplayName"); d != "" {
		attrs["DisplayName"] = d
	}
	switch v := props["FifoTopic"].(type) {
	case bool:
		if v {
			attrs["FifoTopic"] = "true"
		}
	case string:
		if strings.EqualFold(v, "true") {
			attrs["FifoTopic"] = "true"
		}
	}
	return attrs
}

// result: Ref of a topic is its ARN.
func result(arn string) resource.Result {
	name := arn[strings.LastIndex(arn, ":")+1:]
	return resource.Result{PhysicalID: arn, Attributes: map[string]any{"TopicArn": arn, "TopicName": name}}
}
