package sparta

import "github.com/sparta-go/sparta/service"

// Event sources of functions, with Sparta's names: append permissions to
// LambdaAWSInfo.Permissions and mappings to LambdaAWSInfo.EventSourceMappings.
type (
	// LambdaPermissionExporter is a push event source of a function.
	LambdaPermissionExporter = service.LambdaPermissionExporter
	// BasePermission scopes a permission to its source's ARN and account.
	BasePermission = service.BasePermission
	// LambdaPermission lets one AWS service principal invoke the function.
	LambdaPermission = service.LambdaPermission
	// S3Permission makes a bucket notify the function.
	S3Permission = service.S3Permission
	// S3NotificationFilter scopes an S3 notification by key.
	S3NotificationFilter = service.S3NotificationFilter
	// S3KeyFilter holds prefix and suffix rules.
	S3KeyFilter = service.S3KeyFilter
	// S3FilterRule is one prefix or suffix rule.
	S3FilterRule = service.S3FilterRule
	// SNSPermission subscribes the function to a topic.
	SNSPermission = service.SNSPermission
	// CloudWatchEventsPermission creates rules that target the function.
	CloudWatchEventsPermission = service.CloudWatchEventsPermission
	// CloudWatchEventsRule is a schedule or an event pattern.
	CloudWatchEventsRule = service.CloudWatchEventsRule
	// CloudWatchEventsRuleTarget reshapes the event for the function.
	CloudWatchEventsRuleTarget = service.CloudWatchEventsRuleTarget
	// EventBridgePermission creates one rule that targets the function.
	EventBridgePermission = service.EventBridgePermission
	// EventBridgeRule is a rule on an event bus.
	EventBridgeRule = service.EventBridgeRule
	// EventSourceMapping makes Lambda poll a queue or stream for the function.
	EventSourceMapping = service.EventSourceMapping
)
