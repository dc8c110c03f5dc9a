package step

// JitterStrategy randomizes retry intervals.
type JitterStrategy string

// The jitter strategies. "" leaves the field out (AWS default NONE).
const (
	JitterFull JitterStrategy = "FULL"
	JitterNone JitterStrategy = "NONE"
)

// Predefined error names that Retry and Catch match.
//
// See https://states-language.net/spec.html#appendix-a.
const (
	ErrorAll                      = "States.ALL"
	ErrorTimeout                  = "States.Timeout"
	ErrorHeartbeatTimeout         = "States.HeartbeatTimeout"
	ErrorTaskFailed               = "States.TaskFailed"
	ErrorPermissions              = "States.Permissions"
	ErrorResultPathMatchFailure   = "States.ResultPathMatchFailure"
	ErrorParameterPathFailure     = "States.ParameterPathFailure"
	ErrorBranchFailed             = "States.BranchFailed"
	ErrorNoChoiceMatched          = "States.NoChoiceMatched"
	ErrorIntrinsicFailure         = "States.IntrinsicFailure"
	ErrorExceedToleratedFailure   = "States.ExceedToleratedFailureThreshold"
	ErrorItemReaderFailed         = "States.ItemReaderFailed"
	ErrorResultWriterFailed       = "States.ResultWriterFailed"
	ErrorQueryEvaluationError     = "States.QueryEvaluationError"
	ErrorRuntime                  = "States.Runtime"
	ErrorDataLimitExceeded        = "States.DataLimitExceeded"
	ErrorLambdaServiceException   = "Lambda.ServiceException"
	ErrorLambdaSdkClientException = "Lambda.SdkClientException"
)

// NoRetry, as Retrier.MaxAttempts, writes MaxAttempts 0: the matched errors
// are not retried (and later retriers are not consulted for them).
const NoRetry = -1

// Retrier is one retry policy of a Task, Parallel or Map state. The zero
// value of each field except ErrorEquals means the AWS default.
//
// See https://states-language.net/spec.html#retrying-after-error.
type Retrier struct {
	// ErrorEquals lists the error names the policy matches (required).
	// States.ALL matches every error and must be alone in the last retrier.
	ErrorEquals []string
	// IntervalSeconds before the first retry; 0 means 1.
	IntervalSeconds int
	// MaxAttempts is the number of retries; 0 means 3, NoRetry means none.
	MaxAttempts int
	// BackoffRate multiplies the interval after each attempt; 0 means 2.0.
	BackoffRate float64
	// MaxDelaySeconds caps the interval; 0 means no cap.
	MaxDelaySeconds int
	// JitterStrategy randomizes intervals; "" means NONE.
	JitterStrategy JitterStrategy
	// Comment documents the policy.
	Comment string
}

// Catcher is one fallback of a Task, Parallel or Map state: when an error
// matches and retries are exhausted, the machine goes to Next.
//
// See https://states-language.net/spec.html#fallback-states.
type Catcher struct {
	// ErrorEquals lists the error names the catcher matches (required).
	ErrorEquals []string
	// Next is the fallback state (required).
	Next State
	// ResultPath places the error output ({"Error", "Cause"}) in the
	// input; "" means "$" (replace the input), JSONNull keeps the input.
	ResultPath string
	// Output is the JSONata output passed to Next.
	Output any
	// Assign stores variables when the catcher matches.
	Assign map[string]any
	// Comment documents the catcher.
	Comment string
}
