package core

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// MaxJSONBody bounds awsJson request bodies (PutLogEvents batches are at
// most 1 MiB; Step Functions definitions 1 MiB).
const MaxJSONBody = 8 << 20

// JSONOperation implements one awsJson operation: it decodes body (use
// [DecodeJSON]) and returns a value marshalled as the response, or nil for
// an empty object.
type JSONOperation func(ctx context.Context, body []byte) (any, error)

// JSONService serves an awsJson 1.0 or 1.1 protocol service (CloudWatch
// Logs, Step Functions, ECR, ECS): it dispatches on X-Amz-Target
// "<TargetPrefix>.<Operation>" and writes JSON results or
// {"__type": code, "message": ...} errors.
// See https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
type JSONService struct {
	// Service names the service in messages ("CloudWatch Logs").
	Service string
	// TargetPrefix is the part of X-Amz-Target before the dot,
	// e.g. "Logs_20140328" or "AWSStepFunctions".
	TargetPrefix string
	// ContentType is "application/x-amz-json-1.1" or "application/x-amz-json-1.0".
	ContentType string
	// Operations maps operation names to implementations.
	Operations map[string]JSONOperation
}

// ServeHTTP dispatches one awsJson request.
func (s *JSONService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := CallFrom(r.Context())
	target := r.Header.Get("X-Amz-Target")
	prefix, op, ok := strings.Cut(target, ".")
	call.SetOperation(op)
	if !ok || prefix != s.TargetPrefix || r.Method != http.MethodPost {
		WriteJSONError(w, r, s.ContentType, Errorf(http.StatusBadRequest, "UnknownOperationException",
			"%s expects a POST with X-Amz-Target %s.<Operation>, got %s %q", s.Service, s.TargetPrefix, r.Method, target))
		return
	}
	fn, ok := s.Operations[op]
	if !ok {
		WriteJSONError(w, r, s.ContentType, Errorf(http.StatusBadRequest, "UnknownOperationException",
			"%s operation %s is not supported by the local cloud", s.Service, op))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxJSONBody+1))
	if err != nil {
		WriteJSONError(w, r, s.ContentType, Errorf(http.StatusBadRequest, "SerializationException", "reading the request body: %v", err))
		return
	}
	if len(body) > MaxJSONBody {
		WriteJSONError(w, r, s.ContentType, Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "the request body is larger than %d bytes", MaxJSONBody))
		return
	}
	out, err := fn(r.Context(), body)
	if err != nil {
		WriteJSONError(w, r, s.ContentType, err)
		return
	}
	writeJSON(w, s.ContentType, http.StatusOK, out)
}

// DecodeJSON decodes an awsJson request body into v; an empty body is an
// empty object. Malformed JSON is a SerializationException as on AWS.
func DecodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return Errorf(http.StatusBadRequest, "SerializationException", "the request body is not valid JSON for this operation: %v", err)
	}
	return nil
}

// WriteJSONError writes err as an awsJson error: the code in __type and in
// the X-Amzn-ErrorType header, the text in message.
func WriteJSONError(w http.ResponseWriter, r *http.Request, contentType string, err error) {
	e := rendered(r, AsError(err))
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	writeJSON(w, contentType, e.Status, map[string]string{"__type": e.Code, "message": e.Message})
}

// WriteRESTJSONError writes err as a restJson1 error (Lambda's protocol):
// the code in the X-Amzn-ErrorType header, {"Type": "User"|"Service",
// "message": ...} in the body.
func WriteRESTJSONError(w http.ResponseWriter, r *http.Request, err error) {
	e := rendered(r, AsError(err))
	typ := "User"
	if e.Receiver {
		typ = "Service"
	}
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	writeJSON(w, "application/json", e.Status, map[string]string{"Type": typ, "message": e.Message})
}

func writeJSON(w http.ResponseWriter, contentType string, status int, v any) {
	var body []byte
	if v == nil {
		body = []byte("{}")
	} else {
		var err error
		if body, err = json.Marshal(v); err != nil {
			status = http.StatusInternalServerError
			body, _ = json.Marshal(map[string]string{"__type": "InternalFailure", "message": "encoding the response: " + err.Error()})
		}
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Op adapts an operation that takes its decoded input to a JSONOperation:
// the request body is decoded into In (an empty body leaves In's zero
// value), and a body that is not JSON is AWS's SerializationException. Every
// awsJson service registers its operations through it, so none repeats the
// decoding.
func Op[In any](fn func(ctx context.Context, in In) (any, error)) JSONOperation {
	return func(ctx context.Context, body []byte) (any, error) {
		var in In
		if err := DecodeJSON(body, &in); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}
