// Package events is the local cloud's Amazon EventBridge (signing name
// "events", awsJson 1.1 with X-Amz-Target AWSEvents.<Operation>): event
// buses, rules with event patterns and schedules, targets, and the
// delivery of matching and scheduled events to Lambda functions and Step
// Functions state machines, with its state in the state directory.
//
// # Supported operations
//
// PutRule (create or update, keeping targets), DescribeRule, ListRules
// (prefix, pages), DeleteRule (Force), EnableRule, DisableRule,
// PutTargets (Input, InputPath, InputTransformer, RoleArn; at most 5 per
// rule), RemoveTargets, ListTargetsByRule, PutEvents (entries fail one by
// one with EventBridge's codes), TestEventPattern, CreateEventBus,
// DeleteEventBus, DescribeEventBus, ListEventBuses. Errors carry AWS's
// codes and messages ("Rule X does not exist on EventBus default.",
// "Parameter ScheduleExpression is not valid.",
// InvalidEventPatternException "Event pattern is not valid. Reason: ...").
// Rules and buses also come from CloudFormation (AWS::Events::Rule with
// its Targets, AWS::Events::EventBus; see [Service.Providers]). Every
// request is mapped to events:<Operation> on the rule or bus ARN it names
// (authz.go) and checked by local/iam.
//
// Patterns are matched by internal/eventpattern and schedules evaluated by
// internal/schedule (rate() and AWS's six-field cron() with ?, L, W and #,
// in UTC). A scheduler goroutine fires the enabled scheduled rules on the
// cloud's clock (core.Clock: a test drives it virtually); a rate() counts
// from the minute its rule was created. A scheduled event has AWS's shape
// (source aws.events, detail-type "Scheduled Event", resources [rule ARN]).
//
// # Targets
//
// A Lambda function is invoked asynchronously (InvocationType Event) once
// its resource policy allows events.amazonaws.com with the rule's ARN as
// aws:SourceArn (AWS::Lambda::Permission, AddPermission). A state machine
// is started under the target's RoleArn, which must trust
// events.amazonaws.com and allow states:StartExecution on the machine.
// Input, InputPath and InputTransformer (InputPathsMap, InputTemplate with
// <aws.events.rule-arn>, <aws.events.rule-name>, <aws.events.event> and
// <aws.events.event.json>) shape what the target receives. Deliveries run
// in the background: a refused or failed one is logged and counted
// ([Service.Metrics], EventBridge's Invocations and FailedInvocations),
// never raised to the caller that put the event.
//
// Other services use the Go API: [Service.PutEventsJSON] is the Step
// Functions events:putEvents integration. Find the service with
// env.Lookup("events").
//
// # Refused and different
//
// SQS queues and SNS topics are delivered to without the queue's or
// topic's policy being checked (the local SQS and SNS keep policies
// without enforcing them). Other target kinds (Kinesis, API destinations,
// ...) are accepted but not delivered to (the failure is logged); archives, replays,
// connections, API destinations, partner event sources, endpoints, tags
// and bus policies are not supported (UnknownOperationException). A target
// is tried once: there is no retry policy or dead-letter queue. Firings the
// cloud was not running for are not made up after a restart. Patterns
// matched inside an array of objects need not come from the same element
// (Event Ruler requires it).
//
// # Durability
//
// Each bus and each rule (with its targets) is a document under the
// collections events/buses and events/rules, written before the response
// is sent; the scheduler resumes from the reloaded rules.
package events
