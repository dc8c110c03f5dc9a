// Package lambda is the local cloud's AWS Lambda service: it keeps function
// configurations, versions and aliases in the durable store, serves the
// Lambda REST-JSON API (Invoke, GetFunction, ListFunctions, CreateFunction,
// ...) so that aws-sdk-go-v2 and the AWS CLI work unchanged, provides the
// CloudFormation providers for AWS::Lambda::Function, Permission, Version,
// Alias and EventSourceMapping, really runs the functions' bootstrap
// executables, and polls the SQS queues and DynamoDB streams of event
// source mappings.
//
// # Execution
//
// A function's code is copied out of S3 (through a [CodeSource]) when the
// function is created or its code updated, as Lambda does, stored as a blob
// named by its SHA-256 and unzipped once per digest under [Config.WorkDir].
// An invocation runs in a sandbox: one bootstrap process started with
// Lambda's environment (AWS_LAMBDA_FUNCTION_NAME, _HANDLER, AWS_REGION,
// memory size, log group and stream, placeholder credentials, TZ=:UTC, the
// function's Environment) whose AWS_LAMBDA_RUNTIME_API names a loopback
// listener of this package serving the Lambda Runtime API 2018-06-01
// (next, response, error, init/error). See
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
//
// python3.x and nodejs*.x functions run the same way with this machine's
// python3 and node, which run a runtime-interface client of this package
// (runtimes/bootstrap.py, runtimes/bootstrap.js) following AWS's handler,
// context and error conventions; the interpreter may be up to two
// versions older than the declared runtime (docs/lambda-runtimes.md), and
// a runtime no interpreter here fits fails each invocation with
// Runtime.InvalidRuntime naming what to install. [InlineZip] packages
// CloudFormation's Code.ZipFile (index.py or index.js, with a cfn-response
// module of ours when the code loads it). Runtime deprecations are
// enforced as AWS does: no create after a runtime's block-create date, no
// code or configuration update after its block-update date.
//
// Sandboxes are reused while warm (LIFO, so the warmest one serves next)
// and retired when the function's code or configuration changes or after
// [Config.IdleTimeout]. Each invocation in flight holds one sandbox, so N
// concurrent invocations run in N processes, bounded by the function's
// ReservedConcurrentExecutions and [Config.MaxConcurrency]; beyond them an
// invocation is throttled with TooManyRequestsException, as on AWS.
//
// Failures come back as Lambda reports them: a function error with
// X-Amz-Function-Error: Unhandled and the runtime's {"errorMessage",
// "errorType"} payload; a timeout kills the process and returns
// Sandbox.Timedout; a process that exits mid-invocation returns
// Runtime.ExitError with its exit status; init failures return the
// errorType the runtime reported (or Runtime.InitError). A bootstrap built
// for another architecture than this machine's is refused with a message
// that says how to build for the host.
//
// Standard output and error of the process go, line by line, to the
// [LogSink] under /aws/lambda/<FunctionName> (or the function's
// LoggingConfig.LogGroup) with START, END and REPORT lines like Lambda's;
// the last 4 KB of an invocation's log are its LogResult tail.
//
// # Differences from AWS
//
// Processes are not frozen between invocations, MemorySize is reported
// (Max Memory Used is the process's real peak RSS) but not enforced, /tmp is
// a per-sandbox TMPDIR rather than a private mount, Event invocations are
// not retried on error and have no destinations or dead-letter queue,
// layers, container images, SnapStart, provisioned concurrency, function
// URLs are not supported. Resource policies are kept (AddPermission,
// GetPolicy) and checked by the services that invoke on their own behalf
// (API Gateway, EventBridge), not on Invoke calls, which are held to the
// caller's IAM policies. Java, .NET and Ruby runtimes are refused at invoke
// (Runtime.InvalidRuntime).
//
// # Event source mappings
//
// Create, Get, List, Update and DeleteEventSourceMapping
// (/2015-03-31/event-source-mappings/, AWS's shapes, states and errors) and
// AWS::Lambda::EventSourceMapping, kept in the store with their stream
// checkpoints. Creating one checks, as Lambda does, that the function and
// the source exist, that the function's execution role may read the source
// ([Config.IAM]: sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes on
// the queue; dynamodb:GetRecords, GetShardIterator, DescribeStream on the
// stream), that a queue's visibility timeout is not shorter than the
// function's timeout, and that no mapping of the same source and function
// exists. SQS mappings long-poll with five receivers through
// [Config.Queues] (in-process) and invoke the function with batches in the
// shape of events.SQSEvent, deleting what succeeded (all of a batch, or
// those not in batchItemFailures with ReportBatchItemFailures); failed
// messages return after the queue's visibility timeout and its redrive
// policy applies. DynamoDB stream mappings read [Config.Streams] in order
// from TRIM_HORIZON or LATEST, with retries, bisection, a maximum record
// age and ReportBatchItemFailures by sequence number. Sources other than
// SQS and DynamoDB streams, filter criteria, on-failure destinations and
// tumbling windows are refused by name.
package lambda
