package lambda

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runtimeAPIPrefix is the path prefix of the Lambda Runtime API 2018-06-01.
// See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
const runtimeAPIPrefix = "/2018-06-01/runtime/"

// Headers of the Runtime API.
const (
	hdrRequestID     = "Lambda-Runtime-Aws-Request-Id"
	hdrDeadline      = "Lambda-Runtime-Deadline-Ms"
	hdrFunctionARN   = "Lambda-Runtime-Invoked-Function-Arn"
	hdrTraceID       = "Lambda-Runtime-Trace-Id"
	hdrClientContext = "Lambda-Runtime-Client-Context"
	hdrErrorType     = "Lambda-Runtime-Function-Error-Type"
)

// maxErrorBody bounds the error documents a runtime posts.
const maxErrorBody = 1 << 20

// invocation is one event handed to one sandbox.
type invocation struct {
	id            string
	payload       []byte
	invokedARN    string
	clientContext string
	traceID       string
	timeout       time.Duration

	// delivered is closed when the runtime has fetched the event; deadline
	// is set just before.
	delivered   chan struct{}
	deliveredAt time.Time
	deadline    time.Time
	// done receives the runtime's response or error, once.
	done chan reply
}

func newInvocation(id string, payload []byte, timeout time.Duration) *invocation {
	return &invocation{id: id, payload: payload, timeout: timeout,
		delivered: make(chan struct{}), done: make(chan reply, 1)}
}

// reply is what the runtime posted for an invocation (or for init).
type reply struct {
	payload []byte
	// errorType is set for errors: the Lambda-Runtime-Function-Error-Type
	// header or the document's errorType.
	errorType string
	isError   bool
}

// runtimeAPI serves the Runtime API for one sandbox: the process's
// bootstrap long-polls next, which hands over the one invocation the
// sandbox was given, then posts its response or error. One listener per
// sandbox means a request needs no routing and a runtime can only see its
// own invocations.
type runtimeAPI struct {
	// queue holds the invocation waiting for next (at most one: a sandbox
	// runs one invocation at a time).
	queue chan *invocation
	// initErr receives an init/error report.
	initErr chan reply
	// ready is closed at the first next: the init phase is over.
	ready     chan struct{}
	readyOnce sync.Once
	// closed is closed when the sandbox stops, releasing a pending next.
	closed    chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	current *invocation // fetched by next, not answered yet
	polling bool        // a next is waiting
	readyAt time.Time   // when init ended
}

// initEnded returns when the runtime first asked for an event; zero while
// it is initializing.
func (a *runtimeAPI) initEnded() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.readyAt
}

func newRuntimeAPI() *runtimeAPI {
	return &runtimeAPI{
		queue:   make(chan *invocation, 1),
		initErr: make(chan reply, 1),
		ready:   make(chan struct{}),
		closed:  make(chan struct{}),
	}
}

func (a *runtimeAPI) close() { a.closeOnce.Do(func() { close(a.closed) }) }

// runtimeError writes the Runtime API's error document.
func runtimeError(w http.ResponseWriter, status int, errorType, format string, args ...any) {
	body, _ := json.Marshal(map[string]string{"errorMessage": fmt.Sprintf(format, args...), "errorType": errorType})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

// ServeHTTP dispatches one Runtime API request.
func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, runtimeAPIPrefix)
	if !ok {
		runtimeError(w, http.StatusNotFound, "NotFound", "%s is not a Runtime API 2018-06-01 path", r.URL.Path)
		return
	}
	switch {
	case rest == "invocation/next":
		if r.Method != http.MethodGet {
			runtimeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "invocation/next takes GET")
			return
		}
		a.next(w, r)
	case rest == "init/error":
		if r.Method != http.MethodPost {
			runtimeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "init/error takes POST")
			return
		}
		a.initError(w, r)
	case strings.HasPrefix(rest, "invocation/"):
		id, what, ok := strings.Cut(strings.TrimPrefix(rest, "invocation/"), "/")
		if !ok || (what != "response" && what != "error") {
			runtimeError(w, http.StatusNotFound, "NotFound", "%s is not a Runtime API 2018-06-01 path", r.URL.Path)
			return
		}
		if r.Method != http.MethodPost {
			runtimeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "invocation/{id}/%s takes POST", what)
			return
		}
		if what == "response" {
			a.response(w, r, id)
		} else {
			a.invocationError(w, r, id)
		}
	default:
		runtimeError(w, http.StatusNotFound, "NotFound", "%s is not a Runtime API 2018-06-01 path", r.URL.Path)
	}
}

// next hands the runtime its next invocation, waiting for one.
func (a *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	a.readyOnce.Do(func() {
		a.mu.Lock()
		a.readyAt = time.Now()
		a.mu.Unlock()
		close(a.ready)
	})
	a.mu.Lock()
	if a.current != nil || a.polling {
		a.mu.Unlock()
		runtimeError(w, http.StatusForbidden, "InvalidStateTransition",
			"State transition from Running to Ready failed for runtime: an invocation is in flight or already being waited for")
		return
	}
	a.polling = true
	a.mu.Unlock()

	var inv *invocation
	select {
	case inv = <-a.queue:
	case <-r.Context().Done():
	case <-a.closed:
	}
	a.mu.Lock()
	a.polling = false
	if inv != nil {
		inv.deliveredAt = time.Now()
		inv.deadline = inv.deliveredAt.Add(inv.timeout)
		a.current = inv
	}
	a.mu.Unlock()
	if inv == nil {
		runtimeError(w, http.StatusInternalServerError, "Runtime.Shutdown", "Container error. Non-recoverable state. Runtime should exit promptly.")
		return
	}
	close(inv.delivered)
	h := w.Header()
	h.Set(hdrRequestID, inv.id)
	h.Set(hdrDeadline, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	h.Set(hdrFunctionARN, inv.invokedARN)
	h.Set(hdrTraceID, inv.traceID)
	if inv.clientContext != "" {
		h.Set(hdrClientContext, inv.clientContext)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(inv.payload)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(inv.payload)
}

// answer completes the in-flight invocation id with rep; false when id is
// not the invocation in flight (unknown, or already answered).
func (a *runtimeAPI) answer(id string, rep reply) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	inv := a.current
	if inv == nil || inv.id != id {
		return false
	}
	a.current = nil
	inv.done <- rep
	return true
}

func (a *runtimeAPI) inFlight(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.current != nil && a.current.id == id
}

func (a *runtimeAPI) response(w http.ResponseWriter, r *http.Request, id string) {
	if !a.inFlight(id) {
		runtimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID: %q is not the invocation in flight", id)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxSyncPayload+1))
	if err != nil {
		runtimeError(w, http.StatusBadRequest, "InvalidRequest", "reading the response body: %v", err)
		return
	}
	if len(body) > MaxSyncPayload {
		msg := fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxSyncPayload)
		doc, _ := json.Marshal(platformError{Type: "Function.ResponseSizeTooLarge", Message: msg})
		a.answer(id, reply{payload: doc, errorType: "Function.ResponseSizeTooLarge", isError: true})
		runtimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Exceeded maximum allowed payload size (%d bytes).", MaxSyncPayload)
		return
	}
	if !a.answer(id, reply{payload: body}) {
		runtimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID: %q was answered already", id)
		return
	}
	accepted(w)
}

func (a *runtimeAPI) invocationError(w http.ResponseWriter, r *http.Request, id string) {
	if !a.inFlight(id) {
		runtimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID: %q is not the invocation in flight", id)
		return
	}
	rep, err := readErrorReport(r)
	if err != nil {
		runtimeError(w, http.StatusBadRequest, "InvalidRequest", "reading the error body: %v", err)
		return
	}
	if !a.answer(id, rep) {
		runtimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID: %q was answered already", id)
		return
	}
	accepted(w)
}

func (a *runtimeAPI) initError(w http.ResponseWriter, r *http.Request) {
	select {
	case <-a.ready:
		runtimeError(w, http.StatusForbidden, "InvalidStateTransition",
			"State transition from Ready to InitError failed for runtime: init is over (next was called)")
		return
	default:
	}
	rep, err := readErrorReport(r)
	if err != nil {
		runtimeError(w, http.StatusBadRequest, "InvalidRequest", "reading the error body: %v", err)
		return
	}
	if rep.errorType == "Runtime.Unknown" {
		rep.errorType = "Runtime.InitError"
		rep.payload, _ = json.Marshal(map[string]string{"errorMessage": errorMessageOf(rep.payload), "errorType": rep.errorType})
	}
	select {
	case a.initErr <- rep:
	default: // the first report wins
	}
	accepted(w)
}

// platformError is the payload of errors Lambda itself reports (timeouts,
// crashes): errorType first, as Lambda writes it.
type platformError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

// readErrorReport reads an error document. A JSON object is passed on as
// the runtime wrote it; anything else is wrapped in Lambda's error shape
// with the Lambda-Runtime-Function-Error-Type header as its type.
func readErrorReport(r *http.Request) (reply, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	if err != nil {
		return reply{}, err
	}
	typ := r.Header.Get(hdrErrorType)
	var doc struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "{") && json.Unmarshal(body, &doc) == nil {
		if typ == "" {
			typ = doc.ErrorType
		}
		if typ == "" {
			typ = "Runtime.Unknown"
		}
		return reply{payload: body, errorType: typ, isError: true}, nil
	}
	if typ == "" {
		typ = "Runtime.Unknown"
	}
	msg := trimmed
	if msg == "" {
		msg = typ
	}
	payload, _ := json.Marshal(map[string]string{"errorMessage": msg, "errorType": typ})
	return reply{payload: payload, errorType: typ, isError: true}, nil
}

func errorMessageOf(payload []byte) string {
	var doc struct {
		ErrorMessage string `json:"errorMessage"`
	}
	if json.Unmarshal(payload, &doc) == nil && doc.ErrorMessage != "" {
		return doc.ErrorMessage
	}
	return string(payload)
}
