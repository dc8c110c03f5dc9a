// Package engine owns the local execution engine: an interpreter of the
// Amazon States Language that runs state machines in-process, as faithfully
// to AWS Step Functions as it can, for offline runs (step's sm.Execute) and
// for the local cloud's Step Functions service.
//
// # Shape
//
// [Compile] turns an ASL definition (the JSON a
// AWS::StepFunctions::StateMachine DefinitionString holds) into a
// [Program], pre-parsing every path, intrinsic function, JSONata expression
// and Choice rule and reporting every problem as a [*CompileError] that
// names the state and field. [Program.Start] runs one execution with
// [Options] and returns an [*Execution]; [Execution.Wait] returns its
// [*Result] (Status, Output, Error, Cause, Path, dates). The engine does not
// interpret Task resources: every Task goes to Options.Invoke, and the
// embedder routes by TaskRequest.Resource. [WrapLambdaInvokeResult] shapes a
// result the way the "arn:aws:states:::lambda:invoke" integration does.
//
// # History
//
// Events are named, linked and detailed as AWS records them (the rules are
// in history_links.go, checked against testdata/history/cases.json): the
// first state's entered event links to 0; Map and Parallel events link to
// the last event of the previous iteration or last branch; a retried Map or
// Parallel records its *StateFailed once; a branch or iteration still
// running when a sibling fails ends with <Type>StateAborted; a JSONata
// evaluation failure records EvaluationFailed; *StateExited events carry
// the variables their state assigned. The cause of a runtime or evaluation
// failure starts with "An error occurred while executing the state 'X'
// (entered at the event id #N). ", written in one place (frame.locate):
// failure constructors hold only the detail. A task's States.Timeout has no
// cause. The history holds at most 25,000 events (Options.MaxHistoryEvents):
// an execution whose 25,000th event would not be ExecutionSucceeded fails
// with States.Runtime, "The execution reached the maximum number of history
// events (25000).". Payloads stay model values until History is read.
//
// Refinements of the original design: history is read with
// [Result.History] (or [Execution.History] while running) instead of a
// field, because events keep their payloads as decoded values and marshal
// them only when read; Options also takes Rand and UUID for deterministic
// tests; [Execution.Done], [Execution.Status] and [Execution.ARN] serve the
// local cloud.
//
// # Values
//
// Values are decoded JSON as encoding/json.Decoder.UseNumber produces it and
// are immutable once created: ResultPath and Parameters build new documents
// that share untouched parts, so states pass values without re-marshaling,
// and history events and Parallel branches hold references, not copies.
//
// # Errors
//
// An error returned by Invoke is classified through errors.As on
// interface{ ErrorName() string } ([TaskError] is one), with the cause from
// an optional ErrorCause method, else err.Error(); an unnamed error is
// States.TaskFailed; context.DeadlineExceeded is States.Timeout; a panic in
// Invoke is States.TaskFailed with the panic text. The predefined errors
// are raised where AWS raises them: States.Runtime for paths that select
// nothing in InputPath, OutputPath, ItemsPath, *Path fields and Choice
// Variables (never retried or caught, as AWS documents), and for exceeding
// Options.MaxTransitions; States.ParameterPathFailure in Parameters,
// ResultSelector, ItemSelector and Assign; States.ResultPathMatchFailure;
// States.IntrinsicFailure; States.NoChoiceMatched; States.Timeout and
// States.HeartbeatTimeout; States.ExceedToleratedFailureThreshold;
// States.QueryEvaluationError for JSONata failures, undefined results and
// results of the wrong type. In Retry and Catch, States.ALL matches all of
// these, States.TaskFailed matches everything but the timeouts, and
// States.Timeout also matches States.HeartbeatTimeout.
//
// A failing Parallel branch or Map iteration fails the state with its own
// error, as AWS does; States.BranchFailed is raised only when a Parallel
// branch fails without an error name (a Fail state with no Error); a Map
// iteration that does so fails the Map with no error and no cause, as AWS
// does. A missing path in a Pass state's Parameters is States.Runtime.
//
// # Time
//
// Wait states and Retry intervals go through Options.Clock; with a
// [VirtualClock] they complete at once and move the clock, so the
// context object's times and the Result's dates read as they would on AWS.
// Sleepers compute their wake-up time from when they started, so parallel
// waits advance the clock by the longest, not the sum. Task TimeoutSeconds
// and HeartbeatSeconds bound real handler code and use real time. The
// machine's TimeoutSeconds ends the execution as TIMED_OUT on either clock.
//
// # Surviving a restart
//
// A top-level ".waitForTaskToken" task hands its embedder a [Checkpoint]
// (Options.Checkpoint) while it waits; Options.Resume continues the
// execution from it in another process, with the same token, the history
// numbered on and the retry counts kept (see checkpoint.go).
//
// # Variables
//
// Assign (both query languages) evaluates all its values against the
// variables as they were when the state was entered, then assigns them
// together after the state's output is computed, so Output does not see the
// new values. In JSONPath, Assign's "$" is the result after ResultSelector
// (Task, Parallel, Map), the Pass state's result, the effective input
// (Choice, Wait) or the error output (Catch). Parallel branches and Map
// iterations run in their own scopes that read outer variables; variables
// they assign do not leave them. A state in an inner scope may not assign a
// variable an outer scope assigns (rejected by Compile); a DISTRIBUTED item
// processor cannot read outer variables.
//
// # Supported and not
//
// Supported: all eight state types; JSONPath and JSONata per machine or per
// state; Parameters/ResultSelector/ItemSelector payload templates with ".$"
// paths, "$$" and "$var" roots and intrinsic functions (package intrinsic);
// every Choice operator and its Path variant; Retry with BackoffRate,
// MaxDelaySeconds, JitterStrategy FULL and MaxAttempts 0; Catch;
// ".waitForTaskToken" with SendTaskSuccess, SendTaskFailure and
// SendTaskHeartbeat; Parallel; Map with Items/ItemsPath, ItemSelector (or
// Parameters), ItemProcessor (or Iterator), MaxConcurrency(Path) as a bounded
// worker pool, ToleratedFailureCount/Percentage(Path) and the legacy fields.
// A DISTRIBUTED Map starts a Map Run whose items run as child executions,
// each with its own history ([MapRun], Options.OnMapRun).
//
// Not supported, refused by Compile: ItemReader, ResultWriter and
// ItemBatcher (Distributed Map over S3). A state output over
// [MaxPayloadBytes] fails with States.DataLimitExceeded, as on AWS. Not
// enforced: ".sync" semantics (the embedder's Invoke decides), and the HeartbeatSeconds
// of tasks that are not callbacks (nothing can heartbeat them in-process).
// The history uses LambdaFunction* events for Lambda function ARN resources
// and Task* events for every other resource, as AWS records them.
//
// # JSONata
//
// Expressions run on github.com/blues/jsonata-go v1.5.4, a port of
// jsonata-js 1.5.4 with some later functions, while Step Functions runs
// JSONata 2.0.6. jsonata_compat.go is the one layer that closes the
// differences: it lists each one the engine knows of, how it is closed
// (an empty array selected by a path is [], a sequence of one is its value,
// $assert, $parseInteger and $formatInteger exist) and the few that stay
// open (hexadecimal strings in $number, integers beyond 2^53, the wording
// of JSONata's own error messages; $eval is refused, as Step Functions does).
// A workflow variable holding JSON null may read as undefined. $states.input,
// $states.result, $states.errorOutput and $states.context are provided, with
// the Step Functions functions $partition, $range, $hash, $random, $uuid and
// $parse. An expression's "$" is undefined: use $states.input.
package engine
