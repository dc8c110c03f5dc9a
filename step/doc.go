// Package step owns typed AWS Step Functions state machines: every state type
// and choice operator of the Amazon States Language (ASL) as Go values, the
// service integrations the framework supports, validation before anything is
// built or deployed, ASL JSON in both directions, and the service decorator
// that adds a machine and its least-privilege role to a CloudFormation template.
//
// A machine reads like the states it declares:
//
//	roll := step.NewLambdaTaskState("lambdaRollDie", lambdaFn)
//	success := step.NewSuccessState("success")
//	delay := step.NewWaitDelayState("tryAgainShortly", 3*time.Second)
//	check := step.NewChoiceState("checkRoll",
//		&step.Not{
//			Comparison: &step.NumericGreaterThan{Variable: "$.roll", Value: 3},
//			Next:       delay,
//		}).WithDefault(success)
//	roll.Next(check)
//	delay.Next(roll)
//	sm := step.NewStateMachine("RollDie", roll)
//
// Transitions are Go pointers, so a machine is the graph reachable from its
// start state; [FromJSON] reads any ASL definition (JSONPath or JSONata) into
// the same types, and [StateMachine.MarshalJSON] writes it back in AWS's form.
// The same machine always marshals to the same bytes.
//
// [StateMachine.Validate] reports every problem at once, each as a
// [*ValidationError] naming the machine, the state and the field: dangling or
// cross-branch transitions, unreachable states, states that do not end
// exactly one way, names, choice rules, Retry and Catch lists, JSONPath and
// intrinsic function syntax, query-language field mixing, the 1 MB definition
// limit, and Choice variables that name no JSON field of the Go struct the
// preceding Lambda task returns.
//
// # Placeholders
//
// A definition refers to resources of the service's own template through
// DefinitionSubstitutions placeholders, never through literal ARNs:
// a Lambda task's Resource (or its FunctionName parameter with
// [TaskState.WithInvokeIntegration]) is "${<FunctionARNSubstitution>}", the
// key the cfn package derives from the function name; topic, queue, table and
// state machine references written with the cfn intrinsic helpers get a key
// made of their kind and a hash of the reference. Literal ARNs, queue URLs and
// table names are written as they are. [StateMachine.LambdaFunctions] lists
// the Lambda placeholders, and the decorator binds every placeholder in the
// template.
//
// # Build tags
//
// The package compiles into the binary that runs inside AWS Lambda (built
// with the lambdabinary tag). Only the decorator and the IAM policy files
// import goformation and the AWS SDK, and they are excluded from that build,
// where [StateMachine.StateMachineDecorator] returns a decorator that does
// nothing.
//
// See the Amazon States Language specification at
// https://states-language.net/spec.html and the Step Functions Developer
// Guide at https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html.
package step
