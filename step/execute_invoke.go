//go:build !lambdabinary

package step

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step/engine"
)

// lambdaInvokeResource is the optimized Lambda integration; its result is
// wrapped in Payload/StatusCode the way AWS returns it.
const lambdaInvokeResource = "arn:aws:states:::lambda:invoke"

// defaultLambdaTimeout is Lambda's default function timeout.
const defaultLambdaTimeout = 3 * time.Second

// invoker serves the Task states of one offline run.
type invoker struct {
	machine  string
	lambdas  map[string]*service.LambdaAWSInfo // by placeholder
	handlers map[string]TaskHandler
	// refs maps the placeholders of template references to the logical
	// IDs they refer to, which name tables and queues offline.
	refs map[string]string
	// data is WithOfflineData's, or made at the first data task.
	data     *OfflineData
	dataOnce sync.Once
	// callbacks plays the consumer of ".waitForTaskToken" tasks; may be nil.
	callbacks func(*CallbackTask)
	clock     *engine.VirtualClock // nil on the wall clock
	// ready is closed once exec is set: tasks may run before Start
	// returns the execution they complete.
	ready chan struct{}
	exec  *engine.Execution
}

func (inv *invoker) now() time.Time {
	if inv.clock != nil {
		return inv.clock.Now()
	}
	return time.Now()
}

// invoke runs a task, then, for a ".waitForTaskToken" task, hands it to
// the consumer (see WithCallbacks) once its work is done.
func (inv *invoker) invoke(ctx context.Context, req *engine.TaskRequest) (any, error) {
	out, err := inv.work(ctx, req)
	if err != nil || req.TaskToken == "" {
		return out, err
	}
	inv.callback(req)
	return out, nil
}

func (inv *invoker) callback(req *engine.TaskRequest) {
	<-inv.ready
	if inv.exec == nil {
		return
	}
	input, _ := json.Marshal(req.Input)
	start := inv.now()
	cb := &CallbackTask{
		State: req.StateName, Resource: req.Resource, Token: req.TaskToken, Input: input,
		Message: callbackMessage(req), HeartbeatTimeout: req.Heartbeat, Timeout: req.Timeout,
		exec: inv.exec, clock: inv.clock, start: start, lastBeat: start,
	}
	if inv.callbacks != nil {
		inv.callbacks(cb)
	}
	cb.unanswered()
}

// callbackMessage is what carries a callback task's token to its consumer.
func callbackMessage(req *engine.TaskRequest) string {
	params, _ := req.Input.(map[string]any)
	var v any = req.Input
	switch trimPattern(req.Resource) {
	case ResourceSQSSendMessage:
		v = params["MessageBody"]
	case ResourceSNSPublish:
		v = params["Message"]
	case ResourceLambdaInvoke:
		v = params["Payload"]
	case ResourceStatesStartExecution:
		v = params["Input"]
	}
	s, _ := messageText(v)
	return s
}

func (inv *invoker) work(ctx context.Context, req *engine.TaskRequest) (any, error) {
	if h, ok := inv.handlers[req.Resource]; ok {
		return callHandler(ctx, h, req.Input)
	}
	if fn, ok := inv.lambdas[req.Resource]; ok {
		return invokeGoLambda(ctx, fn, req.Input)
	}
	if out, ok, err := inv.dataTask(ctx, req); ok {
		return out, err
	}
	if h, ok := inv.handlers[trimPattern(req.Resource)]; ok && req.TaskToken != "" {
		// A handler of the request-response integration does the work of
		// its callback form too.
		return callHandler(ctx, h, req.Input)
	}
	if base, _, _ := strings.Cut(strings.TrimPrefix(req.Resource, lambdaInvokeResource), ":"); strings.HasPrefix(req.Resource, lambdaInvokeResource) && (base == "" || base == ".waitForTaskToken") {
		params, _ := req.Input.(map[string]any)
		name, _ := params["FunctionName"].(string)
		if h, ok := inv.handlers[name]; ok {
			out, err := callHandler(ctx, h, params["Payload"])
			if err != nil {
				return nil, err
			}
			return engine.WrapLambdaInvokeResult(out), nil
		}
		if fn := inv.lambdaNamed(name); fn != nil {
			out, err := invokeGoLambda(ctx, fn, params["Payload"])
			if err != nil {
				return nil, err
			}
			return engine.WrapLambdaInvokeResult(out), nil
		}
		return nil, &engine.TaskError{Name: "States.Runtime", Cause: fmt.Sprintf(
			"state %q: lambda:invoke of FunctionName %q, which is neither a function of this machine nor served by step.WithTaskHandler", req.StateName, name)}
	}
	return nil, &engine.TaskError{Name: "States.Runtime", Cause: fmt.Sprintf(
		"state %q: no handler for resource %q: pass step.WithTaskHandler(%q, handler) to Execute", req.StateName, req.Resource, req.Resource)}
}

// lambdaNamed finds a function by placeholder, name or ARN.
func (inv *invoker) lambdaNamed(ref string) *service.LambdaAWSInfo {
	if fn, ok := inv.lambdas[ref]; ok {
		return fn
	}
	for _, fn := range inv.lambdas {
		if ref == fn.Name || strings.HasSuffix(ref, ":function:"+fn.Name) {
			return fn
		}
	}
	return nil
}

func callHandler(ctx context.Context, h TaskHandler, input any) (any, error) {
	in, err := json.Marshal(input)
	if err != nil {
		return nil, &engine.TaskError{Name: "States.Runtime", Cause: "marshaling the task input: " + err.Error()}
	}
	out, err := h(ctx, in)
	if err != nil {
		var ire messages.InvokeResponse_Error
		if errors.As(err, &ire) {
			return nil, &engine.TaskError{Name: ire.Type, Cause: ire.Message}
		}
		return nil, err
	}
	if len(out) == 0 {
		return json.RawMessage("null"), nil
	}
	return out, nil
}

// invokeGoLambda calls a function's Go handler as AWS Lambda would: through
// aws-lambda-go's own handler adapter (so JSON decoding and encoding are
// exactly Lambda's), with a Lambda context, under the function's timeout,
// and with failures named by Lambda's errorType rules.
func invokeGoLambda(ctx context.Context, fn *service.LambdaAWSInfo, input any) (any, error) {
	payload, err := json.Marshal(input)
	if err != nil {
		return nil, &engine.TaskError{Name: "States.Runtime", Cause: "marshaling the Lambda payload: " + err.Error()}
	}
	timeout := defaultLambdaTimeout
	if fn.Options != nil && fn.Options.Timeout > 0 {
		timeout = time.Duration(fn.Options.Timeout) * time.Second
	}
	requestID := newRequestID()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       requestID,
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:" + fn.Name,
	})
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	type result struct {
		out []byte
		err *messages.InvokeResponse_Error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- result{err: &messages.InvokeResponse_Error{Type: goTypeName(v), Message: fmt.Sprint(v)}}
			}
		}()
		out, err := lambda.NewHandler(fn.Handler).Invoke(ctx, payload)
		if err != nil {
			done <- result{err: lambdaErrorResponse(err)}
			return
		}
		done <- result{out: out}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, lambdaTaskError(r.err)
		}
		return json.RawMessage(r.out), nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, lambdaTaskError(&messages.InvokeResponse_Error{
				Type:    "Sandbox.Timedout",
				Message: fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", requestID, timeout.Seconds()),
			})
		}
		return nil, ctx.Err()
	}
}

// lambdaErrorResponse names a handler error as aws-lambda-go does: an
// InvokeResponse_Error value keeps its Type, any other error is named by its
// Go type (a direct type check, as in aws-lambda-go, so wrapping changes it).
func lambdaErrorResponse(err error) *messages.InvokeResponse_Error {
	if ire, ok := err.(messages.InvokeResponse_Error); ok {
		return &ire
	}
	return &messages.InvokeResponse_Error{Type: goTypeName(err), Message: err.Error()}
}

func goTypeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// lambdaTaskError is the task failure Step Functions reports for a Lambda
// error: the errorType as Error, and Lambda's error payload as Cause.
func lambdaTaskError(e *messages.InvokeResponse_Error) *engine.TaskError {
	cause, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{e.Message, e.Type})
	return &engine.TaskError{Name: e.Type, Cause: string(cause)}
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
