package events

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives AWS::Events::Rule and AWS::Events::EventBus their
// behaviour in the local cloud's CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::Events::Rule":     ruleProvider{s},
		"AWS::Events::EventBus": busProvider{s},
	}
}

// ruleProperties are the AWS::Events::Rule properties the local cloud
// reads.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html
type ruleProperties struct {
	Name               string
	Description        string
	EventBusName       string
	EventPattern       any
	ScheduleExpression string
	State              string
	RoleArn            string
	Targets            []Target
}

func decodeRule(props map[string]any) (ruleProperties, error) {
	var p ruleProperties
	b, err := json.Marshal(props)
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil {
		return p, fmt.Errorf("AWS::Events::Rule properties: %w", err)
	}
	return p, nil
}

// pattern returns EventPattern as JSON text: templates write it as an
// object, or as a string holding one.
func (p ruleProperties) pattern() (string, error) {
	switch v := p.EventPattern.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		b, err := json.Marshal(v)
		return string(b), err
	}
}

type ruleProvider struct{ s *Service }

// Create puts the rule (Name, or stack-logicalID-RANDOM) and its targets.
// Ref is the rule's name, or "bus|name" on a custom bus, as on AWS.
func (p ruleProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	props, err := decodeRule(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	if props.Name == "" {
		props.Name = resource.PhysicalName(req.StackName, req.LogicalID, 64)
	}
	return p.put(ctx, props, nil)
}

func (p ruleProvider) put(ctx context.Context, props ruleProperties, old []Target) (resource.Result, error) {
	pattern, err := props.pattern()
	if err != nil {
		return resource.Result{}, err
	}
	bus := busNameOf(props.EventBusName)
	arn, err := p.s.PutRule(PutRuleInput{Name: props.Name, EventBusName: bus, EventPattern: pattern,
		ScheduleExpression: props.ScheduleExpression, State: props.State, Description: props.Description, RoleArn: props.RoleArn})
	if err != nil {
		return resource.Result{}, fmt.Errorf("rule %s: %w", props.Name, err)
	}
	var gone []string
	for _, t := range old {
		if !slices.ContainsFunc(props.Targets, func(n Target) bool { return n.Id == t.Id }) {
			gone = append(gone, t.Id)
		}
	}
	if len(gone) > 0 {
		if _, err := p.s.RemoveTargets(props.Name, bus, gone); err != nil {
			return resource.Result{}, err
		}
	}
	for i := 0; i < len(props.Targets); i += maxTargetsPerCall {
		if _, err := p.s.PutTargets(ctx, props.Name, bus, props.Targets[i:min(i+maxTargetsPerCall, len(props.Targets))]); err != nil {
			return resource.Result{}, fmt.Errorf("rule %s: targets: %w", props.Name, err)
		}
	}
	id := props.Name
	if bus != DefaultBus {
		id = bus + "|" + props.Name
	}
	return resource.Result{PhysicalID: id, Attributes: map[string]any{"Arn": arn}}, nil
}

// splitID reads a rule's physical ID: "name" or "bus|name".
func splitID(id string) (bus, name string) {
	if b, n, ok := strings.Cut(id, "|"); ok {
		return b, n
	}
	return DefaultBus, id
}

// Update puts the rule again and replaces its targets with the template's.
func (p ruleProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	props, err := decodeRule(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	bus, name := splitID(req.PhysicalID)
	props.Name, props.EventBusName = name, bus
	old, _ := p.s.Targets(name, bus)
	return p.put(ctx, props, old)
}

// Delete removes the rule with its targets; a missing rule is not an error.
func (p ruleProvider) Delete(_ context.Context, req resource.Request) error {
	bus, name := splitID(req.PhysicalID)
	if _, err := p.s.DescribeEventBus(bus); err != nil {
		return nil
	}
	return p.s.DeleteRule(name, bus, true)
}

// RequiresReplacement: the name and the bus are fixed at creation.
func (ruleProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "Name", "EventBusName")
}

// busProvider implements AWS::Events::EventBus: Ref is the bus's name.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-eventbus.html
type busProvider struct{ s *Service }

func (p busProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	name := resource.String(req.Properties, "Name")
	arn, err := p.s.CreateEventBus(name, resource.String(req.Properties, "Description"))
	if err != nil {
		return resource.Result{}, fmt.Errorf("event bus %s: %w", name, err)
	}
	return resource.Result{PhysicalID: name, Attributes: map[string]any{"Arn": arn, "Name": name}}, nil
}

// Update changes nothing the local cloud keeps but the description.
func (p busProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	b, err := p.s.DescribeEventBus(req.PhysicalID)
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: b.Name, Attributes: map[string]any{"Arn": b.Arn, "Name": b.Name}}, nil
}

func (p busProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.DeleteEventBus(req.PhysicalID)
}

// RequiresReplacement: a bus's name is fixed at creation.
func (busProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "Name", "EventSourceName")
}
