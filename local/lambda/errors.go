package lambda

import (
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

// Error codes of the Lambda API that this service returns. Clients match on
// them (aws-sdk-go-v2 maps each to a typed error in service/lambda/types).
// See https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
const (
	CodeResourceNotFound      = "ResourceNotFoundException"
	CodeResourceConflict      = "ResourceConflictException"
	CodeInvalidParameterValue = "InvalidParameterValueException"
	CodeInvalidRequestContent = "InvalidRequestContentException"
	CodeRequestTooLarge       = "RequestTooLargeException"
	CodeTooManyRequests       = "TooManyRequestsException"
	CodeService               = "ServiceException"
)

// Reasons carried by TooManyRequestsException, in its message.
const (
	reasonReserved = "ReservedFunctionConcurrentInvocationLimitExceeded"
	reasonAccount  = "ConcurrentInvocationLimitExceeded"
)

func errNotFound(arn string) *core.Error {
	return core.Errorf(http.StatusNotFound, CodeResourceNotFound, "Function not found: %s", arn)
}

func errInvalid(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, CodeInvalidParameterValue, format, args...)
}

func errConflict(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusConflict, CodeResourceConflict, format, args...)
}

// errThrottled is Lambda's throttling error. Its message is AWS's ("Rate
// Exceeded.") followed by the reason, which AWS returns in a Reason field
// the shared REST-JSON error writer has no place for.
func errThrottled(reason, function string, limit int) *core.Error {
	return core.Errorf(http.StatusTooManyRequests, CodeTooManyRequests,
		"Rate Exceeded. (%s: function %s is at its limit of %d concurrent invocations)", reason, function, limit)
}

func errTooLarge(limit int) *core.Error {
	return core.Errorf(http.StatusRequestEntityTooLarge, CodeRequestTooLarge,
		"Request must be smaller than %d bytes for the InvokeFunction operation", limit)
}
