// Package stepfunctions owns the local cloud's AWS Step Functions: state
// machines and their executions, run on the execution engine
// (step/engine) with real integrations, the machine's IAM role enforced,
// and everything persisted in the local cloud's store.
//
// # API
//
// [Service.ServeHTTP] speaks the Step Functions JSON 1.0 protocol
// (X-Amz-Target: AWSStepFunctions.<Operation>, errors as {"__type",
// "message"} with HTTP 400): CreateStateMachine, UpdateStateMachine,
// DeleteStateMachine, DescribeStateMachine, ListStateMachines,
// StartExecution, StartSyncExecution (EXPRESS machines), DescribeExecution,
// StopExecution, ListExecutions (statusFilter, maxResults/nextToken),
// GetExecutionHistory (reverseOrder, includeExecutionData,
// maxResults/nextToken), SendTaskSuccess, SendTaskFailure and
// SendTaskHeartbeat. Any other operation is UnknownOperationException
// naming it. The same operations are Go methods. [Service.Providers]
// returns the CloudFormation provider of AWS::StepFunctions::StateMachine.
//
// StartSyncExecution's endpoint carries the host prefix "sync-": SDKs and
// the AWS CLI call sync-HOST even with an endpoint URL, and
// sync-127.0.0.1 does not resolve. The cloud answers for its names behind
// the prefix (local/guard.go), so a client reaches it with the prefix
// disabled (aws-sdk-go-v2: a middleware calling
// smithyhttp.DisableEndpointHostPrefix, see the tests; the AWS CLI:
// AWS_DISABLE_HOST_PREFIX_INJECTION=true since March 2025) or, with any
// CLI, through HTTP_PROXY set to the cloud's endpoint.
//
// DescribeExecution and GetExecutionHistory refuse the executions of
// EXPRESS machines (InvalidArn "Resource type not valid in this context:
// express") but for a Distributed Map's children, as AWS does.
// DescribeExecution and StartSyncExecution answer inputDetails and
// outputDetails {"included": true}.
//
// # Tasks
//
// Task states are routed by Resource:
//
//   - a Lambda function ARN: the state's input is the payload; a function
//     error fails the task with the payload's errorType as Error and the
//     payload as Cause, as AWS does; history records LambdaFunction*
//     events.
//   - arn:aws:states:::lambda:invoke (and .waitForTaskToken): Parameters'
//     FunctionName, Payload, Qualifier and InvocationType; the result is
//     shaped by engine.WrapLambdaInvokeResult.
//   - arn:aws:states:::sns:publish (and .waitForTaskToken): TopicArn,
//     Message, Subject; the result carries the MessageId.
//   - arn:aws:states:::sqs:sendMessage (and .waitForTaskToken): QueueUrl,
//     MessageBody (a string, or JSON sent as its text), DelaySeconds,
//     MessageAttributes, MessageGroupId, MessageDeduplicationId, on the
//     cloud's SQS; the result carries MessageId and MD5OfMessageBody.
//   - arn:aws:states:::dynamodb:getItem, putItem, updateItem and
//     deleteItem: Parameters are the DynamoDB request, run on the cloud's
//     DynamoDB; the result is the response (Item, Attributes); DynamoDB's
//     errors fail the task as DynamoDB.<Code>, e.g.
//     DynamoDB.ConditionalCheckFailedException.
//   - anything else (other integrations, activities, .sync jobs) fails the
//     task with States.Runtime naming the resource and saying the local
//     cloud does not support it.
//
// Before each call, the machine's role must allow lambda:InvokeFunction on
// the function ARN (qualified when the call is: grant ARN:* for those),
// sns:Publish on the topic, sqs:SendMessage on the queue or
// dynamodb:<Operation> on the table; otherwise the task fails as on AWS, with
// Lambda.AWSLambdaException or SNS.AuthorizationErrorException and a cause
// that reads "User: arn:aws:sts::...:assumed-role/ROLE/SESSION is not
// authorized to perform: ...". CreateStateMachine and UpdateStateMachine
// refuse a role that does not trust states.amazonaws.com (or its regional
// form) with AWS's AccessDeniedException message.
//
// The States.Runtime failures above fail the execution past any Retry or
// Catch on States.ALL, as on AWS: the engine treats a task error named
// States.Runtime as fatal.
//
// # Durability
//
// Machines, executions (status, input, output, error) and histories
// persist in the store given to [New]: machines/<name>,
// executions/<machine>/<name>, history/<machine>/<name> (a log appended as
// events happen) and running/<execution ARN> (a marker kept while an
// execution runs). An execution waiting for a task token in a top-level
// ".waitForTaskToken" Task survives a restart: its running marker holds
// the engine's checkpoint (the state, its input, the token, the history's
// length), and after [Service.Close] or a kill, [New] resumes it there,
// so that SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat with the
// old token complete it (resume.go). Any other running execution is
// stopped by [Service.Close] and recorded FAILED with a cause saying the
// local cloud stopped, and one a kill left running is marked the same way
// by [New]; its tokens are then TaskDoesNotExist, and a token this cloud
// never issued is InvalidToken. SendTaskSuccess, SendTaskFailure and
// SendTaskHeartbeat are authorized on the ARN of the machine whose task
// holds the token.
//
// Not supported: activities, versions and aliases (publish is accepted and
// ignored), redrive, map runs (Distributed Map runs inline), tags
// operations, logging to CloudWatch Logs (LoggingConfiguration is stored
// and returned only), and DefinitionS3Location in templates.
package stepfunctions
