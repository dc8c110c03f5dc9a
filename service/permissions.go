package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/internal/eventpattern"
	"github.com/sparta-go/sparta/internal/schedule"
)

// LambdaPermissionExporter is a push event source of a function: an AWS
// service allowed to invoke it, and the resources that make the service do
// so (a bucket notification, a topic subscription, a rule). Append one to
// LambdaAWSInfo.Permissions. The implementations are this package's
// S3Permission, SNSPermission, CloudWatchEventsPermission,
// EventBridgePermission and LambdaPermission, as in Sparta.
type LambdaPermissionExporter interface {
	// ServicePrincipal is the AWS service principal granted
	// lambda:InvokeFunction.
	ServicePrincipal() string
	// Validate checks the permission of function fn on its own; the error
	// names the function.
	Validate(fn string) error
}

// BasePermission holds what every permission has: the account and the ARN
// of the resource allowed to invoke the function (a literal ARN or an
// encoded intrinsic). The emitted AWS::Lambda::Permission is scoped to it.
type BasePermission struct {
	// SourceAccount is the AWS account ID that owns the source.
	SourceAccount string `json:"SourceAccount,omitempty"`
	// SourceArn is the ARN of the bucket, topic or rule that invokes.
	SourceArn string `json:"SourceArn,omitempty"`
}

// LambdaPermission lets any AWS service principal invoke the function; it
// adds only the AWS::Lambda::Permission. Prefer the specific kinds, which
// also create the subscription, notification or rule.
type LambdaPermission struct {
	BasePermission
	// Principal is the service principal, e.g. "iot.amazonaws.com".
	Principal string
}

// Validate requires a principal and a source ARN (least privilege).
func (p LambdaPermission) Validate(fn string) error {
	var errs []error
	if p.Principal == "" {
		errs = append(errs, fmt.Errorf("function %q: LambdaPermission: Principal is empty: name the AWS service principal that invokes the function", fn))
	}
	if p.SourceArn == "" {
		errs = append(errs, fmt.Errorf("function %q: LambdaPermission for %s: SourceArn is empty: scope the permission to the resource that invokes", fn, p.Principal))
	}
	return errors.Join(errs...)
}

// S3Permission makes the bucket at SourceArn notify the function of the
// listed events (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html).
type S3Permission struct {
	BasePermission
	// Events are S3 event types, e.g. "s3:ObjectCreated:*".
	Events []string `json:"Events,omitempty"`
	// Filter scopes the notification to key prefixes and suffixes.
	Filter S3NotificationFilter `json:"Filter,omitempty"`
}

// S3NotificationFilter is S3's NotificationConfigurationFilter. Sparta uses
// the SDK's type of the same shape; the Lambda binary links no SDK, so a
// port renames the type and keeps the fields.
type S3NotificationFilter struct {
	Key *S3KeyFilter `json:"Key,omitempty"`
}

// S3KeyFilter holds the prefix and suffix rules of a notification.
type S3KeyFilter struct {
	FilterRules []S3FilterRule `json:"FilterRules,omitempty"`
}

// S3FilterRule is one key rule: Name is "prefix" or "suffix".
type S3FilterRule struct {
	Name  string  `json:"Name"`
	Value *string `json:"Value"`
}

// SNSPermission subscribes the function to the topic at SourceArn.
type SNSPermission struct {
	BasePermission
}

// CloudWatchEventsRuleTarget reshapes the event before it reaches the
// function: a constant Input, or the part of the event at InputPath.
type CloudWatchEventsRuleTarget struct {
	Input     string
	InputPath string
}

// CloudWatchEventsRule is one rule of a CloudWatchEventsPermission: a
// schedule (rate() or cron()) or an event pattern.
type CloudWatchEventsRule struct {
	Description string
	// EventPattern is the pattern as a JSON object (not its string form).
	EventPattern map[string]any `json:"EventPattern,omitempty"`
	// ScheduleExpression is rate(...) or cron(...) as EventBridge accepts.
	ScheduleExpression string
	RuleTarget         *CloudWatchEventsRuleTarget `json:"RuleTarget,omitempty"`
}

// CloudWatchEventsPermission creates one rule per entry of Rules (keyed by
// a name unique in the function), each targeting the function.
type CloudWatchEventsPermission struct {
	BasePermission
	Rules map[string]CloudWatchEventsRule
}

// EventBridgeRule is a rule on an event bus (the default bus when
// EventBusName is empty): a schedule or an event pattern.
type EventBridgeRule struct {
	Description  string
	EventBusName string
	// EventPattern is the pattern as a JSON object (not its string form).
	EventPattern map[string]any `json:"EventPattern,omitempty"`
	// ScheduleExpression is rate(...) or cron(...) as EventBridge accepts.
	ScheduleExpression string
}

// EventBridgePermission creates Rule targeting the function.
type EventBridgePermission struct {
	BasePermission
	Rule *EventBridgeRule
}

// ServicePrincipal implements LambdaPermissionExporter.
func (p LambdaPermission) ServicePrincipal() string { return p.Principal }

// ServicePrincipal implements LambdaPermissionExporter.
func (S3Permission) ServicePrincipal() string { return "s3.amazonaws.com" }

// ServicePrincipal implements LambdaPermissionExporter.
func (SNSPermission) ServicePrincipal() string { return "sns.amazonaws.com" }

// ServicePrincipal implements LambdaPermissionExporter.
func (CloudWatchEventsPermission) ServicePrincipal() string { return "events.amazonaws.com" }

// ServicePrincipal implements LambdaPermissionExporter.
func (EventBridgePermission) ServicePrincipal() string { return "events.amazonaws.com" }

// Validate requires the bucket and at least one s3: event type.
func (p S3Permission) Validate(fn string) error {
	var errs []error
	if p.SourceArn == "" {
		errs = append(errs, fmt.Errorf("function %q: S3Permission: SourceArn is empty: set it to the bucket's ARN", fn))
	}
	if len(p.Events) == 0 {
		errs = append(errs, fmt.Errorf("function %q: S3Permission for %s: Events is empty: list event types such as \"s3:ObjectCreated:*\"", fn, p.SourceArn))
	}
	for _, e := range p.Events {
		if !strings.HasPrefix(e, "s3:") {
			errs = append(errs, fmt.Errorf("function %q: S3Permission for %s: event %q is not an S3 event type such as \"s3:ObjectCreated:*\"", fn, p.SourceArn, e))
		}
	}
	return errors.Join(errs...)
}

// Validate requires the topic.
func (p SNSPermission) Validate(fn string) error {
	if p.SourceArn == "" {
		return fmt.Errorf("function %q: SNSPermission: SourceArn is empty: set it to the topic's ARN", fn)
	}
	return nil
}

// Validate requires at least one rule, each a schedule or a pattern.
func (p CloudWatchEventsPermission) Validate(fn string) error {
	if len(p.Rules) == 0 {
		return fmt.Errorf("function %q: CloudWatchEventsPermission: Rules is empty: add a rule with a ScheduleExpression or an EventPattern", fn)
	}
	var errs []error
	for name, r := range p.Rules {
		if err := validateRule(r.ScheduleExpression, r.EventPattern); err != nil {
			errs = append(errs, fmt.Errorf("function %q: CloudWatchEventsPermission rule %q: %w", fn, name, err))
		}
		if t := r.RuleTarget; t != nil {
			if t.Input != "" && t.InputPath != "" {
				errs = append(errs, fmt.Errorf("function %q: CloudWatchEventsPermission rule %q: RuleTarget sets both Input and InputPath: EventBridge takes one", fn, name))
			}
			if t.Input != "" && !json.Valid([]byte(t.Input)) {
				errs = append(errs, fmt.Errorf("function %q: CloudWatchEventsPermission rule %q: RuleTarget.Input %q is not JSON text", fn, name, t.Input))
			}
		}
	}
	return errors.Join(errs...)
}

// Validate requires a rule that is a schedule or a pattern.
func (p EventBridgePermission) Validate(fn string) error {
	if p.Rule == nil {
		return fmt.Errorf("function %q: EventBridgePermission: Rule is nil: set a rule with a ScheduleExpression or an EventPattern", fn)
	}
	if err := validateRule(p.Rule.ScheduleExpression, p.Rule.EventPattern); err != nil {
		return fmt.Errorf("function %q: EventBridgePermission: %w", fn, err)
	}
	return nil
}

// validateRule holds EventBridge's rules: a rule has a schedule, a
// pattern or both; a schedule is a valid rate() or cron() and a pattern a
// valid event pattern, as PutRule would judge them
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html,
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
func validateRule(expr string, pattern map[string]any) error {
	if expr == "" && len(pattern) == 0 {
		return errors.New("neither ScheduleExpression nor EventPattern is set: set one")
	}
	var errs []error
	if expr != "" {
		if _, err := schedule.Parse(expr); err != nil {
			errs = append(errs, fmt.Errorf("ScheduleExpression: %w", err))
		}
	}
	if len(pattern) > 0 {
		b, err := json.Marshal(pattern)
		if err == nil {
			_, err = eventpattern.Compile(string(b))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("EventPattern: %w", err))
		}
	}
	return errors.Join(errs...)
}
