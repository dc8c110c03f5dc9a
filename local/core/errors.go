package core

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an AWS error: a code clients match on, a message, the HTTP status
// and whether the caller (Sender) or the service (Receiver) is at fault.
// Services return it from their operations; the protocol writers (
// [WriteQueryError], [WriteJSONError], [WriteRESTXMLError]) render it in the
// shape the client's protocol expects.
type Error struct {
	Code    string
	Message string
	Status  int
	// Receiver marks a server-side fault ("Receiver" in awsQuery bodies).
	Receiver bool
	// Fields are extra elements some protocols carry (S3's BucketName, Key,
	// ArgumentName...). Renderers that have no place for them ignore them.
	Fields map[string]string
	// Cause is the underlying failure of a server-side error, kept for
	// Go callers and logs but never sent: it may name the server's files.
	Cause error
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Errorf returns a client (Sender) error with code, HTTP status and a
// formatted message.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

// With returns a copy of e carrying the extra field k=v.
func (e *Error) With(k, v string) *Error {
	c := *e
	c.Fields = make(map[string]string, len(e.Fields)+1)
	for fk, fv := range e.Fields {
		c.Fields[fk] = fv
	}
	c.Fields[k] = v
	return &c
}

// AsError turns any error into an *Error: AWS errors pass through (wrapping
// allowed); anything else is a fault of the cloud itself and becomes a 500
// InternalFailure whose message says so without the error's text (which
// may name the server's files, as a store error does); the text is kept
// as Cause, and the router logs it with the request ID when the error is
// written (see [Call.Faults]).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Receiver: true,
		Message: "The local cloud failed to serve this request; its log has the cause (search it for this request's ID).", Cause: err}
}

// rendered records the cause of a server-side error being written, for
// the router's log.
func rendered(r *http.Request, e *Error) *Error {
	if e.Cause != nil {
		CallFrom(r.Context()).addFault(e.Cause)
	}
	return e
}

// NotSupported is the error for an operation the local cloud does not
// implement (yet): a clear refusal rather than a silent success. Status 501
// is not retried by the AWS SDKs.
func NotSupported(service, operation string) *Error {
	return Errorf(http.StatusNotImplemented, "NotImplemented",
		"%s operation %s is not supported by the local cloud", service, operation)
}
