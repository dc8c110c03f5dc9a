package sqs

import (
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

// SQS names each error twice: the awsJson protocol's type and the awsQuery
// code, which JSON clients read from the x-amzn-query-error header (the
// service's awsQueryCompatible trait). The JSON type is the core.Error's
// Code; the query code is kept in its "QueryCode" field.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
func sqsError(jsonCode, queryCode, format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, jsonCode, format, args...).With("QueryCode", queryCode)
}

func queryCode(e *core.Error) string {
	if c := e.Fields["QueryCode"]; c != "" {
		return c
	}
	return e.Code
}

func errNoQueue() error {
	return sqsError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
}

func errInvalidValue(format string, args ...any) error {
	return sqsError("InvalidParameterValue", "InvalidParameterValue", format, args...)
}

func errMissing(name string) error {
	return sqsError("MissingParameter", "MissingParameter", "The request must contain the parameter %s.", name)
}

func errAttributeName(name string) error {
	return sqsError("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute %s.", name)
}

func errAttributeValue(name string) error {
	return sqsError("InvalidAttributeValue", "InvalidAttributeValue", "Invalid value for the parameter %s.", name)
}

func errReceipt(handle string) error {
	return sqsError("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", "The input receipt handle %q is not a valid receipt handle.", handle)
}

func errNotInflight() error {
	return sqsError("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "Message does not exist or is not available for visibility timeout change.")
}

func errBatch(n int, entry string, ids []string) error {
	if n == 0 {
		return sqsError("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one %s in the request.", entry)
	}
	if n > 10 {
		return sqsError("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent %d.", n)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return sqsError("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id %s repeated.", id)
		}
		seen[id] = true
	}
	return nil
}
