package step

import (
	"strings"

	"github.com/sparta-go/sparta/service"
)

// TaskState runs one unit of work: a Lambda function, an AWS service
// integration, or an activity.
//
// See https://states-language.net/spec.html#task-state and
// https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html.
type TaskState struct {
	stateCommon
	flow
	ioPaths
	resultFields
	errorHandling
	assign any

	resource             string
	arguments            any
	credentials          any
	timeoutSeconds       any // int, json.Number or a JSONata string
	timeoutSecondsPath   string
	heartbeatSeconds     any
	heartbeatSecondsPath string

	// lambda is the Go function this task runs, when it was built with
	// NewLambdaTaskState; invoke selects the lambda:invoke integration.
	lambda  *service.LambdaAWSInfo
	invoke  bool
	pattern string // integration pattern of a Lambda task
	// refs binds the placeholders of template resources an integration
	// refers to ("SNSTopic1a2b3c4d") to their cfn intrinsic.
	refs map[string]string
	// passRoles are roles an ECS task runs as, for iam:PassRole.
	passRoles []string
}

// Task resources of the optimized service integrations.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html.
const (
	ResourceLambdaInvoke         = "arn:aws:states:::lambda:invoke"
	ResourceSNSPublish           = "arn:aws:states:::sns:publish"
	ResourceSQSSendMessage       = "arn:aws:states:::sqs:sendMessage"
	ResourceDynamoDBGetItem      = "arn:aws:states:::dynamodb:getItem"
	ResourceDynamoDBPutItem      = "arn:aws:states:::dynamodb:putItem"
	ResourceDynamoDBUpdateItem   = "arn:aws:states:::dynamodb:updateItem"
	ResourceDynamoDBDeleteItem   = "arn:aws:states:::dynamodb:deleteItem"
	ResourceStatesStartExecution = "arn:aws:states:::states:startExecution"
	ResourceECSRunTask           = "arn:aws:states:::ecs:runTask"
)

// Integration pattern suffixes.
const (
	suffixSync             = ".sync"
	suffixSync2            = ".sync:2"
	suffixWaitForTaskToken = ".waitForTaskToken"
)

// NewTaskState declares a Task state that runs the Go function fn, as
// Sparta's documentation writes it: the same as NewLambdaTaskState.
func NewTaskState(name string, fn *service.LambdaAWSInfo) *TaskState {
	return NewLambdaTaskState(name, fn)
}

// NewResourceTaskState declares a Task state that calls resource, an
// activity ARN, a Lambda function ARN or a service integration such as
// "arn:aws:states:::sns:publish", with parameters as its Parameters payload
// template (nil for none). Prefer the typed constructors
// (NewLambdaTaskState, NewSNSPublishState, ...), which also derive the
// machine role's permissions.
func NewResourceTaskState(name, resource string, parameters map[string]any) *TaskState {
	t := &TaskState{stateCommon: stateCommon{name: name}, resource: resource}
	if parameters != nil {
		t.parameters = parameters
	}
	return t
}

// NewLambdaTaskState declares a Task state that invokes fn with the state's
// input and whose result is the function's output, unwrapped: the Resource
// is the function ARN itself, so a Choice after it reads "$.roll" directly.
// The ARN is written as the placeholder FunctionPlaceholder(fn.Name), which
// the decorator binds to the function in the template. Use
// WithInvokeIntegration for the lambda:invoke integration instead.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html.
func NewLambdaTaskState(name string, fn *service.LambdaAWSInfo) *TaskState {
	return &TaskState{stateCommon: stateCommon{name: name}, lambda: fn}
}

// WithInvokeIntegration makes a Lambda task use the optimized integration
// "arn:aws:states:::lambda:invoke" with Parameters {"FunctionName": "${...}",
// "Payload.$": "$"} (Arguments with "{% $states.input %}" under JSONata).
// The result is then the Invoke API's response, whose Payload field holds
// the function's output. Parameters set with WithParameters are kept, and a
// Payload or Payload.$ among them replaces the default.
func (t *TaskState) WithInvokeIntegration() *TaskState { t.invoke = true; t.touch(); return t }

// LambdaFunction returns the function a Lambda task runs, or nil.
func (t *TaskState) LambdaFunction() *service.LambdaAWSInfo { return t.lambda }

// Resource returns the state's Resource as the ASL writes it.
func (t *TaskState) Resource() string {
	if t.lambda != nil {
		if t.invoke {
			return ResourceLambdaInvoke + t.pattern
		}
		return FunctionPlaceholder(t.lambda.Name)
	}
	return t.resource
}

// WaitForTaskToken appends ".waitForTaskToken" to the resource: the task
// pauses until SendTaskSuccess or SendTaskFailure returns the token that
// $$.Task.Token passed along. Validate rejects it where AWS does not support
// it (direct Lambda ARNs, DynamoDB).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token.
func (t *TaskState) WaitForTaskToken() *TaskState { return t.withPattern(suffixWaitForTaskToken) }

// Sync appends ".sync" to the resource: the task waits for the job (a nested
// execution, an ECS task) to complete. For StartExecution, the output is
// the DescribeExecution response with the child output as a JSON string.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync.
func (t *TaskState) Sync() *TaskState { return t.withPattern(suffixSync) }

// Sync2 appends ".sync:2" to a StartExecution resource: like Sync, but the
// child execution's output is parsed JSON.
func (t *TaskState) Sync2() *TaskState { return t.withPattern(suffixSync2) }

func (t *TaskState) withPattern(suffix string) *TaskState {
	if t.lambda != nil {
		// A direct function ARN has no integration patterns; the pattern is
		// kept so that Validate can name the mistake.
		t.pattern = suffix
		t.touch()
		return t
	}
	t.resource = trimPattern(t.resource) + suffix
	t.touch()
	return t
}

// trimPattern removes an integration pattern suffix from a resource.
func trimPattern(resource string) string {
	for _, s := range []string{suffixSync2, suffixSync, suffixWaitForTaskToken} {
		if strings.HasSuffix(resource, s) {
			return strings.TrimSuffix(resource, s)
		}
	}
	return resource
}

// WithArguments sets the JSONata Arguments of the task: the request sent to
// the resource, with "{% ... %}" expressions.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.
func (t *TaskState) WithArguments(arguments any) *TaskState {
	t.arguments = arguments
	t.touch()
	return t
}

// WithCredentials sets the Credentials field (a RoleArn or RoleArn.$ to
// assume for the call).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-state-fields.
func (t *TaskState) WithCredentials(credentials map[string]any) *TaskState {
	t.credentials = credentials
	t.touch()
	return t
}

// WithTimeoutSeconds fails the task with States.Timeout after seconds.
func (t *TaskState) WithTimeoutSeconds(seconds int) *TaskState {
	t.timeoutSeconds, t.timeoutSecondsPath = seconds, ""
	t.touch()
	return t
}

// WithTimeoutSecondsPath reads the timeout from the state input.
func (t *TaskState) WithTimeoutSecondsPath(path string) *TaskState {
	t.timeoutSeconds, t.timeoutSecondsPath = nil, path
	t.touch()
	return t
}

// WithHeartbeatSeconds fails the task with States.HeartbeatTimeout when the
// worker sends no heartbeat for seconds. It must be less than the timeout.
func (t *TaskState) WithHeartbeatSeconds(seconds int) *TaskState {
	t.heartbeatSeconds, t.heartbeatSecondsPath = seconds, ""
	t.touch()
	return t
}

// WithHeartbeatSecondsPath reads the heartbeat interval from the input.
func (t *TaskState) WithHeartbeatSecondsPath(path string) *TaskState {
	t.heartbeatSeconds, t.heartbeatSecondsPath = nil, path
	t.touch()
	return t
}

// Type returns TypeTask.
func (*TaskState) Type() StateType { return TypeTask }

// MarshalJSON writes the state's ASL object.
func (t *TaskState) MarshalJSON() ([]byte, error) { return marshalState(t) }

// bind returns value as the definition should write it: a literal as is, a
// cfn intrinsic as a placeholder recorded in refs.
func (t *TaskState) bind(kind, value string) string {
	if !isTemplateIntrinsic(value) {
		return value
	}
	key := substitutionKey(kind, value)
	if t.refs == nil {
		t.refs = map[string]string{}
	}
	t.refs[key] = value
	return "${" + key + "}"
}
