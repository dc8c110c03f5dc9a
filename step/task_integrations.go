package step

// Typed constructors for the optimized service integrations the framework
// derives IAM permissions for. Each takes the target resource as a literal
// (an ARN, a queue URL, a table name) or as a reference to a resource of the
// service's template written with the cfn helpers (cfn.Ref, cfn.GetAtt,
// cfn.Sub); a reference becomes a DefinitionSubstitutions placeholder.
// parameters adds the rest of the request: keys ending in ".$" take
// JSONPath values. It may be nil.

// NewSNSPublishState declares a Task state that publishes to the topic
// topicARN: {"TopicArn": topicARN} plus parameters, typically "Message" or
// "Message.$". The role may sns:Publish to that topic only.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html.
func NewSNSPublishState(name, topicARN string, parameters map[string]any) *TaskState {
	t := NewResourceTaskState(name, ResourceSNSPublish, nil)
	t.parameters = withParam(parameters, "TopicArn", t.bind("SNSTopic", topicARN))
	return t
}

// NewSQSSendMessageState declares a Task state that sends a message to the
// queue queueURL (what Ref returns for an AWS::SQS::Queue): {"QueueUrl":
// queueURL} plus parameters, typically "MessageBody" or "MessageBody.$".
// The role may sqs:SendMessage to that queue only.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html.
func NewSQSSendMessageState(name, queueURL string, parameters map[string]any) *TaskState {
	t := NewResourceTaskState(name, ResourceSQSSendMessage, nil)
	t.parameters = withParam(parameters, "QueueUrl", t.bind("SQSQueue", queueURL))
	return t
}

// NewDynamoDBGetItemState declares a Task state that reads an item of the
// table tableName (what Ref returns for an AWS::DynamoDB::Table):
// {"TableName": tableName} plus parameters, which must give "Key". The role
// may dynamodb:GetItem on that table only.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html.
func NewDynamoDBGetItemState(name, tableName string, parameters map[string]any) *TaskState {
	t := NewResourceTaskState(name, ResourceDynamoDBGetItem, nil)
	t.parameters = withParam(parameters, "TableName", t.bind("DynamoDBTable", tableName))
	return t
}

// NewDynamoDBPutItemState declares a Task state that writes an item to the
// table tableName: {"TableName": tableName} plus parameters, which must give
// "Item". The role may dynamodb:PutItem on that table only.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html.
func NewDynamoDBPutItemState(name, tableName string, parameters map[string]any) *TaskState {
	t := NewResourceTaskState(name, ResourceDynamoDBPutItem, nil)
	t.parameters = withParam(parameters, "TableName", t.bind("DynamoDBTable", tableName))
	return t
}

// NewStartExecutionState declares a Task state that starts an execution of
// another state machine: {"StateMachineArn": stateMachineARN} plus
// parameters (typically "Input" or "Input.$"). Chain Sync or Sync2 to wait
// for the child to finish, or WaitForTaskToken. The role may
// states:StartExecution on that machine (and, for .sync, describe and stop
// its executions and manage the EventBridge rule Step Functions uses).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html.
func NewStartExecutionState(name, stateMachineARN string, parameters map[string]any) *TaskState {
	t := NewResourceTaskState(name, ResourceStatesStartExecution, nil)
	t.parameters = withParam(parameters, "StateMachineArn", t.bind("StateMachine", stateMachineARN))
	return t
}

// ECSRunTask is the request of an ECS RunTask integration. The zero value of
// each optional field leaves it out of the request.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html.
type ECSRunTask struct {
	// Cluster is the cluster ARN; empty runs on the default cluster.
	Cluster string
	// TaskDefinition is the task definition ARN (required).
	TaskDefinition string
	// LaunchType is "FARGATE", "EC2" or "EXTERNAL"; empty uses the cluster
	// default.
	LaunchType string
	// PassRoles are the ARNs of the task's execution and task roles, which
	// the machine's role must be allowed to pass to ECS.
	PassRoles []string
	// Parameters adds to the request (NetworkConfiguration, Overrides...).
	Parameters map[string]any
}

// NewECSRunTaskState declares a Task state that runs an ECS task. Chain Sync
// to wait for the task to stop, or WaitForTaskToken.
func NewECSRunTaskState(name string, task ECSRunTask) *TaskState {
	t := NewResourceTaskState(name, ResourceECSRunTask, nil)
	params := withParam(task.Parameters, "TaskDefinition", t.bind("ECSTaskDefinition", task.TaskDefinition))
	if task.Cluster != "" {
		params["Cluster"] = t.bind("ECSCluster", task.Cluster)
	}
	if task.LaunchType != "" {
		params["LaunchType"] = task.LaunchType
	}
	for _, r := range task.PassRoles {
		t.bind("IAMRole", r)
	}
	t.passRoles = append([]string(nil), task.PassRoles...)
	t.parameters = params
	return t
}

// withParam copies parameters and sets key to value: the resource named by
// the constructor's argument wins over a key or key+".$" in parameters.
func withParam(parameters map[string]any, key string, value any) map[string]any {
	out := make(map[string]any, len(parameters)+1)
	for k, v := range parameters {
		out[k] = v
	}
	delete(out, key+".$")
	out[key] = value
	return out
}
