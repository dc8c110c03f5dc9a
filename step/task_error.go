package step

import "github.com/aws/aws-lambda-go/lambda/messages"

// NewTaskError returns an error that fails a task with the error name name,
// so that Retry and Catch can match it. Returned unwrapped from a Lambda
// handler it keeps its name on AWS Lambda too: it is the value aws-lambda-go
// reports verbatim as the function's errorType (any other error is named by
// its Go type). It compiles into the Lambda binary, where handlers use it.
func NewTaskError(name, cause string) error {
	return messages.InvokeResponse_Error{Type: name, Message: cause}
}
