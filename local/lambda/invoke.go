package lambda

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// Invocation types (X-Amz-Invocation-Type).
const (
	InvocationRequestResponse = "RequestResponse"
	InvocationEvent           = "Event"
	InvocationDryRun          = "DryRun"
)

// InvokeInput is a full Invoke request.
// See https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
type InvokeInput struct {
	// FunctionName is a name, name:qualifier, partial ARN or ARN.
	FunctionName string
	// Qualifier is a version or alias; empty means $LATEST (or the one
	// in FunctionName).
	Qualifier string
	// Payload is the JSON event; empty means {}.
	Payload []byte
	// InvocationType is RequestResponse (default), Event or DryRun.
	InvocationType string
	// ClientContext is base64-encoded JSON passed to the function, as in
	// X-Amz-Client-Context.
	ClientContext string
	// RequestID is the invocation's request ID; empty means a new one.
	RequestID string
}

// InvokeResult is the outcome of an invocation.
type InvokeResult struct {
	// StatusCode is 200 for RequestResponse, 202 for Event, 204 for DryRun.
	StatusCode int
	// Payload is the function's response, or the error document
	// ({"errorMessage", "errorType"}) when FunctionError is set.
	Payload []byte
	// FunctionError is "Unhandled" when the function (or its runtime)
	// failed: an error returned by the handler, a crash, a timeout.
	FunctionError string
	// LogTail is the last 4 KB of the invocation's log (START to REPORT),
	// as plain text; the HTTP API returns it base64-encoded when asked.
	LogTail string
	// ExecutedVersion is the version that ran ($LATEST or a number).
	ExecutedVersion string
	// RequestID is the invocation's request ID, as in its log lines.
	RequestID string
}

// target is a resolved invocation: which function version runs.
type target struct {
	name       string
	ver        version
	invokedARN string
	reserved   *int
}

func (t target) key() poolKey { return poolKey{t.name, t.ver.Config.Version} }

// Invoke runs a function synchronously with payload and returns its
// result; functionNameOrARN may carry a qualifier. An error is an API
// error (the function does not exist, throttling...) as a *core.Error
// with Lambda's code; a failing function is a nil error and a result whose
// FunctionError is "Unhandled".
func (s *Service) Invoke(ctx context.Context, functionNameOrARN string, payload []byte) (InvokeResult, error) {
	return s.InvokeWith(ctx, InvokeInput{FunctionName: functionNameOrARN, Payload: payload})
}

// InvokeWith is Invoke with every option of Lambda's Invoke. An Event
// invocation returns at once (202) and runs in the background; DryRun only
// checks that the function can be invoked (204).
func (s *Service) InvokeWith(ctx context.Context, in InvokeInput) (InvokeResult, error) {
	typ := in.InvocationType
	if typ == "" {
		typ = InvocationRequestResponse
	}
	limit := MaxSyncPayload
	switch typ {
	case InvocationRequestResponse, InvocationDryRun:
	case InvocationEvent:
		limit = MaxAsyncPayload
	default:
		return InvokeResult{}, errValidation("1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [Event, RequestResponse, DryRun]", typ)
	}
	if len(in.Payload) > limit {
		return InvokeResult{}, errTooLarge(limit)
	}
	payload := in.Payload
	if len(strings.TrimSpace(string(payload))) == 0 {
		payload = []byte("{}")
	} else if !json.Valid(payload) {
		return InvokeResult{}, core.Errorf(http.StatusBadRequest, CodeInvalidRequestContent,
			"Could not parse request body into json: the payload of %s is not valid JSON", in.FunctionName)
	}
	var clientContext string
	if in.ClientContext != "" {
		cc, err := base64.StdEncoding.DecodeString(in.ClientContext)
		if err != nil || !json.Valid(cc) {
			return InvokeResult{}, core.Errorf(http.StatusBadRequest, CodeInvalidRequestContent, "Client context must be a valid Base64-encoded JSON object.")
		}
		clientContext = string(cc)
	}
	t, err := s.resolve(in.FunctionName, in.Qualifier)
	if err != nil {
		return InvokeResult{}, err
	}
	id := in.RequestID
	if id == "" {
		id = core.NewRequestID()
	}
	inv := newInvocation(id, payload, time.Duration(t.ver.Config.Timeout)*time.Second)
	inv.invokedARN, inv.clientContext, inv.traceID = t.invokedARN, clientContext, traceID()
	executed := t.ver.Config.Version

	switch typ {
	case InvocationDryRun:
		return InvokeResult{StatusCode: http.StatusNoContent, ExecutedVersion: executed, RequestID: id}, nil
	case InvocationEvent:
		if !s.goTracked(func() { s.runEvent(t, inv) }) {
			return InvokeResult{}, errClosed
		}
		return InvokeResult{StatusCode: http.StatusAccepted, RequestID: id}, nil
	}

	type result struct {
		r   InvokeResult
		err error
	}
	ch := make(chan result, 1)
	// The invocation runs on its own goroutine: a caller that goes away
	// does not stop the function (it does not on AWS either), and the
	// sandbox is released only when the function is done.
	if !s.goTracked(func() {
		r, err := s.execute(t, inv)
		ch <- result{r, err}
	}) {
		return InvokeResult{}, errClosed
	}
	select {
	case res := <-ch:
		return res.r, res.err
	case <-ctx.Done():
		return InvokeResult{}, fmt.Errorf("invoking %s: %w", t.name, ctx.Err())
	}
}

// goTracked runs fn on a goroutine that Close waits for; false once the
// service is closed.
func (s *Service) goTracked(fn func()) bool {
	s.poolMu.Lock()
	defer s.poolMu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
	return true
}

// resolve finds the version an invocation runs: $LATEST, a version, or an
// alias's version (chosen by its routing weights).
func (s *Service) resolve(ref, qualifier string) (target, error) {
	name, q, err := s.parseRefQualifier(ref, qualifier)
	if err != nil {
		return target{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := s.get(name)
	if err != nil {
		return target{}, err
	}
	t := target{name: name, invokedARN: s.qualifiedARN(name, q), reserved: f.Reserved}
	v := q
	if a, ok := f.Aliases[q]; ok {
		v = pickAliasVersion(a)
	}
	var found bool
	if t.ver, found = f.version(v); !found {
		return target{}, errNotFound(s.qualifiedARN(name, q))
	}
	return t, nil
}

// execute runs one invocation on a sandbox and returns its result. An
// error means the invocation did not run (throttled, closed).
func (s *Service) execute(t target, inv *invocation) (InvokeResult, error) {
	res := InvokeResult{StatusCode: http.StatusOK, ExecutedVersion: t.ver.Config.Version, RequestID: inv.id}
	sb, err := s.acquire(t, inv.id)
	var fail *invokeFailure
	switch {
	case errors.As(err, &fail):
		res.Payload, res.FunctionError, res.LogTail = s.refuse(t, inv, fail)
		return res, nil
	case err != nil:
		return InvokeResult{}, core.AsError(err)
	}
	out := sb.run(inv)
	s.release(sb, out.healthy)
	for tries := 0; out.stale && tries < 3; tries++ {
		// The warm process had exited; run the invocation on a fresh
		// sandbox, as Lambda never hands an event to a dead runtime.
		if sb, err = s.acquire(t, inv.id); err != nil {
			if errors.As(err, &fail) {
				res.Payload, res.FunctionError, res.LogTail = s.refuse(t, inv, fail)
				return res, nil
			}
			return InvokeResult{}, core.AsError(err)
		}
		out = sb.run(inv)
		s.release(sb, out.healthy)
	}
	res.Payload, res.LogTail = out.payload, out.tail
	if out.unhandled {
		res.FunctionError = "Unhandled"
	}
	return res, nil
}

// refuse reports an invocation that could not start a sandbox: the error
// payload, and a log with the reason between START and END, as Lambda logs
// a failed init.
func (s *Service) refuse(t target, inv *invocation, fail *invokeFailure) ([]byte, string, string) {
	s.log.WithField("function", t.name).Warn(fail.message)
	b := &logBuffer{}
	b.begin()
	b.line(fmt.Sprintf("START RequestId: %s Version: %s", inv.id, t.ver.Config.Version))
	b.line(fail.message)
	b.line("END RequestId: " + inv.id)
	b.line(fmt.Sprintf("REPORT RequestId: %s\tDuration: 0.00 ms\tBilled Duration: 0 ms\tMemory Size: %d MB\tMax Memory Used: 0 MB\tStatus: error\tError Type: %s",
		inv.id, t.ver.Config.MemorySize, fail.errorType))
	tail := b.end()
	if s.cfg.Logs != nil {
		var id [16]byte
		_, _ = rand.Read(id[:])
		stream := time.Now().UTC().Format("2006/01/02") + "/[" + t.ver.Config.Version + "]" + hex.EncodeToString(id[:])
		if err := s.cfg.Logs.PutLogEvents(context.Background(), logGroup(t.ver.Config), stream, b.take()); err != nil {
			s.log.WithField("function", t.name).Warnf("writing the function's log: %v", err)
		}
	}
	doc, _ := json.Marshal(platformError{Type: fail.errorType, Message: fail.message})
	return doc, "Unhandled", tail
}

// runEvent runs an Event invocation in the background. Lambda queues
// asynchronous events and retries throttled ones; here a throttled event
// waits for capacity until the service closes.
func (s *Service) runEvent(t target, inv *invocation) {
	log := s.log.WithField("function", t.name).WithField("requestID", inv.id)
	backoff := 50 * time.Millisecond
	for {
		res, err := s.execute(t, inv)
		var e *core.Error
		if errors.As(err, &e) && e.Code == CodeTooManyRequests {
			select {
			case <-s.done:
				log.Warn("dropping an Event invocation: the service closed while it was throttled")
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		switch {
		case err != nil:
			log.Warnf("Event invocation: %v", err)
		case res.FunctionError != "":
			log.Debugf("Event invocation failed: %s", res.Payload)
		}
		return
	}
}

// traceID is an X-Ray trace header for the runtime (tracing is not
// recorded locally, but SDKs expect the header).
func traceID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("Root=1-%08x-%s;Sampled=0", time.Now().Unix(), hex.EncodeToString(b[:]))
}
