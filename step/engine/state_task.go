package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sparta-go/sparta/step/internal/integrations"
)

// Task states. The engine does not interpret Resource: every task goes to
// Options.Invoke, except that ".waitForTaskToken" resources then wait for
// SendTaskSuccess or SendTaskFailure.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html and
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token.

// maxTimeoutSeconds is the default TimeoutSeconds of a Task (99999999), which
// the engine treats as unbounded.
const maxTimeoutSeconds = 99999999

func (c *compiler) compileTask(o *object, s *state, depth int) []string {
	s.resource, _ = o.str("Resource", true)
	if err := integrations.Check(s.resource); err != nil {
		o.errorf("Resource", "%v", err)
	}
	s.waitForToken = strings.HasSuffix(s.resource, ".waitForTaskToken")
	allowed := []string{"Resource", "TimeoutSeconds", "HeartbeatSeconds", "Retry", "Catch", "Credentials"}
	if s.jsonata {
		s.arguments = c.jsonataField(o, "Arguments")
		allowed = append(allowed, "Arguments")
	} else {
		allowed = append(allowed, c.jsonPathResultFields(o, s, true)...)
		allowed = append(allowed, "TimeoutSecondsPath", "HeartbeatSecondsPath")
	}
	s.times = &taskTimes{timeout: c.intOrPath(o, s, "TimeoutSeconds", 1)}
	s.times.heartbeat = c.intOrPath(o, s, "HeartbeatSeconds", 1)
	if t, h := s.times.timeout, s.times.heartbeat; t.set && h.set && t.path == nil && t.expr == nil && h.path == nil && h.expr == nil && h.static >= t.static {
		o.errorf("HeartbeatSeconds", "must be smaller than TimeoutSeconds")
	}
	if v, ok := o.m["Credentials"]; ok {
		s.credentials = v
	}
	c.compileRetry(o, s)
	c.compileCatch(o, s)
	return allowed
}

// taskAttempt runs one attempt of a Task state, from Parameters (or
// Arguments) to its output.
func (r *runner) taskAttempt(f *frame) (any, *failure) {
	st := f.st
	e := r.exec
	if st.waitForToken {
		// The token must exist before Parameters are evaluated, which is
		// where $$.Task.Token is read.
		f.token = e.uuid()
		f.invalidate()
	}
	args, fl := f.effectiveArgs()
	if fl != nil {
		return nil, fl
	}
	timeout, fl := f.taskSeconds(st.times.timeout)
	if fl != nil {
		return nil, fl
	}
	heartbeat, fl := f.taskSeconds(st.times.heartbeat)
	if fl != nil {
		return nil, fl
	}
	if timeout > 0 && heartbeat >= timeout {
		return nil, runtimeFailure("The state '%s' has HeartbeatSeconds (%d) not smaller than TimeoutSeconds (%d)", st.name, heartbeat/time.Second, timeout/time.Second)
	}
	if e.opts.Invoke == nil {
		return nil, runtimeFailure("The Task state '%s' cannot run: no task handler is configured for resource %q", st.name, st.resource)
	}
	req := &TaskRequest{
		StateName: st.name, Resource: st.resource, Input: args, TaskToken: f.token,
		Timeout: timeout, Heartbeat: heartbeat, Credentials: st.credentials,
		RetryCount: f.retry, ExecutionARN: e.opts.ExecutionARN,
	}
	ev := taskEventsOf(st.resource)
	r.emit(event{typ: ev.scheduled, state: st.name, resource: st.resource, input: args, hasInput: true,
		more: &eventMore{timeout: int64(timeout / time.Second), heartbeat: int64(heartbeat / time.Second)}})
	r.emit(event{typ: ev.started, state: st.name, resource: st.resource})
	var result any
	if st.waitForToken {
		result, fl = r.invokeWithToken(f, req)
	} else {
		result, fl = r.invoke(req)
	}
	return r.taskOutcome(f, ev, result, fl)
}

// taskOutcome records how an attempt of a Task ended and, when it
// succeeded, computes the state's output.
func (r *runner) taskOutcome(f *frame, ev *taskEvents, result any, fl *failure) (any, *failure) {
	st := f.st
	if fl != nil {
		typ := ev.failed
		if fl.name == ErrTimeout || fl.name == ErrHeartbeatTimeout {
			typ = ev.timedOut
		}
		if fl.name != "" || !fl.fatal {
			r.emit(event{typ: typ, state: st.name, resource: st.resource, more: &eventMore{errName: fl.name, cause: fl.cause}})
		}
		return nil, fl
	}
	r.emit(event{typ: ev.succeeded, state: st.name, resource: st.resource, output: result, hasOutput: true})
	return f.finish(result, true)
}

// taskSeconds evaluates TimeoutSeconds or HeartbeatSeconds.
func (f *frame) taskSeconds(fd intField) (time.Duration, *failure) {
	var doc any
	if fd.path != nil {
		var fl *failure
		if doc, fl = f.effectiveInput(); fl != nil {
			return 0, fl
		}
	}
	n, ok, fl := f.evalInt(fd, doc)
	if fl != nil || !ok {
		return 0, fl
	}
	if n <= 0 {
		msg := fmt.Sprintf("The state '%s' has %s %d; it must be a positive integer", f.st.name, fd.field, n)
		if fd.expr != nil {
			return 0, fail(ErrQueryEvaluationError, "%s", msg)
		}
		return 0, runtimeFailure("%s", msg)
	}
	if n >= maxTimeoutSeconds {
		return 0, nil
	}
	return time.Duration(n) * time.Second, nil
}

// invoke calls Options.Invoke, enforcing TimeoutSeconds with a context
// deadline. A handler that ignores its context still times out: the call
// runs on its own goroutine and is abandoned, as AWS abandons a task that
// outlives its timeout.
func (r *runner) invoke(req *TaskRequest) (any, *failure) {
	fn := r.exec.opts.Invoke
	if req.Timeout <= 0 {
		res, err := safeInvoke(r.ctx, fn, req)
		return r.taskResult(res, err)
	}
	ctx, cancel := context.WithTimeout(r.ctx, req.Timeout)
	defer cancel()
	type outcome struct {
		res any
		err error
	}
	ch := make(chan outcome, 1)
	go func() {
		res, err := safeInvoke(ctx, fn, req)
		ch <- outcome{res, err}
	}()
	select {
	case o := <-ch:
		return r.taskResult(o.res, o.err)
	case <-ctx.Done():
		if r.ctx.Err() != nil {
			return nil, r.ctxFailure()
		}
		return nil, errTaskTimedOut()
	}
}

// errTaskTimedOut is a task's States.Timeout, whose cause AWS leaves empty,
// caught or not (recorded AWS behaviour: taskTimedOutEventDetails and
// executionFailedEventDetails carry the error only).
func errTaskTimedOut() *failure { return &failure{name: ErrTimeout} }

func (r *runner) taskResult(res any, err error) (any, *failure) {
	if err != nil {
		if r.ctx.Err() != nil && errors.Is(err, context.Canceled) {
			return nil, r.ctxFailure()
		}
		return nil, classify(err)
	}
	v, err := normalize(res)
	if err != nil {
		return nil, fail(ErrTaskFailed, "the task result is not JSON: %v", err)
	}
	return v, nil
}

// safeInvoke calls the handler, turning a panic into a task failure.
func safeInvoke(ctx context.Context, fn func(context.Context, *TaskRequest) (any, error), req *TaskRequest) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &failure{name: ErrTaskFailed, cause: fmt.Sprintf("the task handler panicked: %v", p)}
		}
	}()
	return fn(ctx, req)
}

// callback is a task waiting for its token.
type callback struct {
	done      chan tokenOutcome
	heartbeat chan struct{}
}

type tokenOutcome struct {
	output any
	fl     *failure
}

// invokeWithToken runs a ".waitForTaskToken" task: Invoke starts the work
// (its result is ignored) and the task completes when the token is sent
// back.
func (r *runner) invokeWithToken(f *frame, req *TaskRequest) (any, *failure) {
	e := r.exec
	cb, release := e.register(req.TaskToken)
	defer release()
	start := time.Now()
	submitted, fl := r.invoke(&TaskRequest{
		StateName: req.StateName, Resource: req.Resource, Input: req.Input, TaskToken: req.TaskToken,
		Timeout: req.Timeout, Heartbeat: req.Heartbeat, Credentials: req.Credentials,
		RetryCount: req.RetryCount, ExecutionARN: req.ExecutionARN,
	})
	if fl != nil {
		return nil, fl
	}
	// taskSubmittedEventDetails holds what the call that started the work
	// returned (recorded AWS behaviour).
	r.emit(event{typ: "TaskSubmitted", state: req.StateName, resource: req.Resource, output: submitted, hasOutput: submitted != nil})
	waiting := time.Now()
	if r.top && e.opts.Checkpoint != nil {
		e.opts.Checkpoint(r.checkpoint(f, req, start, waiting))
		defer e.opts.Checkpoint(nil)
	}
	return r.awaitToken(cb, req, start, waiting)
}

// awaitToken waits for the token of a task whose work was submitted at
// start, under its TimeoutSeconds (from start) and HeartbeatSeconds (from
// lastBeat, then from each heartbeat).
func (r *runner) awaitToken(cb *callback, req *TaskRequest, start, lastBeat time.Time) (any, *failure) {
	var timeoutC, heartbeatC <-chan time.Time
	if req.Timeout > 0 {
		t := time.NewTimer(req.Timeout - time.Since(start))
		defer t.Stop()
		timeoutC = t.C
	}
	var hb *time.Timer
	if req.Heartbeat > 0 {
		hb = time.NewTimer(req.Heartbeat - time.Since(lastBeat))
		defer hb.Stop()
		heartbeatC = hb.C
	}
	for {
		select {
		case o := <-cb.done:
			return o.output, o.fl
		case <-cb.heartbeat:
			if hb != nil {
				hb.Reset(req.Heartbeat)
			}
		case <-heartbeatC:
			// No cause, as for States.Timeout (recorded AWS behaviour).
			return nil, &failure{name: ErrHeartbeatTimeout}
		case <-timeoutC:
			return nil, errTaskTimedOut()
		case <-r.ctx.Done():
			return nil, r.ctxFailure()
		}
	}
}

// register makes token answerable until release is called.
func (e *Execution) register(token string) (cb *callback, release func()) {
	cb = &callback{done: make(chan tokenOutcome, 1), heartbeat: make(chan struct{}, 1)}
	e.tmu.Lock()
	if e.tokens == nil {
		e.tokens = map[string]*callback{}
	}
	e.tokens[token] = cb
	e.tmu.Unlock()
	return cb, func() {
		e.tmu.Lock()
		delete(e.tokens, token)
		e.tmu.Unlock()
	}
}

func (e *Execution) callback(token string) *callback {
	e.tmu.Lock()
	defer e.tmu.Unlock()
	return e.tokens[token]
}

// SendTaskSuccess completes the task waiting on token with output, as the
// SendTaskSuccess API does.
func (e *Execution) SendTaskSuccess(token string, output json.RawMessage) error {
	v, err := decodeJSON(output)
	if err != nil {
		return fmt.Errorf("task output is not JSON: %w", err)
	}
	return e.complete(token, tokenOutcome{output: v})
}

// SendTaskFailure fails the task waiting on token with errName and cause;
// Retry and Catch match errName.
func (e *Execution) SendTaskFailure(token, errName, cause string) error {
	return e.complete(token, tokenOutcome{fl: &failure{name: errName, cause: cause}})
}

func (e *Execution) complete(token string, o tokenOutcome) error {
	e.tmu.Lock()
	cb := e.tokens[token]
	delete(e.tokens, token)
	e.tmu.Unlock()
	if cb == nil {
		return ErrTaskDoesNotExist
	}
	cb.done <- o
	return nil
}

// SendTaskHeartbeat resets the HeartbeatSeconds timer of the task waiting
// on token.
func (e *Execution) SendTaskHeartbeat(token string) error {
	cb := e.callback(token)
	if cb == nil {
		return ErrTaskDoesNotExist
	}
	select {
	case cb.heartbeat <- struct{}{}:
	default:
	}
	return nil
}

// WrapLambdaInvokeResult wraps a Lambda function's result the way the
// optimized "arn:aws:states:::lambda:invoke" integration returns it, so
// that embedders routing that resource to an in-process handler produce
// what a deployed machine sees.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html.
func WrapLambdaInvokeResult(payload any) any {
	headers := map[string]any{
		"Connection":                     "keep-alive",
		"Content-Type":                   "application/json",
		"X-Amz-Executed-Version":         "$LATEST",
		"x-amzn-Remapped-Content-Length": "0",
	}
	return map[string]any{
		"ExecutedVersion": "$LATEST",
		"Payload":         payload,
		"SdkHttpMetadata": map[string]any{
			"AllHttpHeaders": map[string]any{},
			"HttpHeaders":    headers,
			"HttpStatusCode": json.Number("200"),
		},
		"SdkResponseMetadata": map[string]any{"RequestId": newUUID()},
		"StatusCode":          json.Number("200"),
	}
}
