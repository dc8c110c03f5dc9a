package invoke

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sparta-go/sparta/service"
)

// DefaultTimeout is Lambda's default function timeout, used offline when the
// function sets none.
const DefaultTimeout = 3 * time.Second

// tailBytes is how much of the log Lambda returns with LogType Tail.
const tailBytes = 4096

// Offline calls fn's Go handler in this process as Lambda would: through
// aws-lambda-go's handler adapter (so the JSON decoding and encoding are
// Lambda's), with a Lambda context, the function's environment variables
// and timeout, and failures named by Lambda's errorType rules. What the
// handler writes to standard output and error is captured as the log tail.
//
// Offline changes the process's environment and standard streams for the
// duration of the call, so invocations must not run concurrently.
func Offline(ctx context.Context, fn *service.LambdaAWSInfo, payload []byte) *Result {
	opts := service.LambdaFunctionOptions{}
	if fn.Options != nil {
		opts = *fn.Options
	}
	timeout := DefaultTimeout
	if opts.Timeout > 0 {
		timeout = time.Duration(opts.Timeout) * time.Second
	}
	requestID := newRequestID()
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":    fn.Name,
		"AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
		"_HANDLER":                    fn.Name,
	}
	if opts.MemorySize > 0 {
		env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = strconv.FormatInt(opts.MemorySize, 10)
	}
	for k, v := range opts.Environment {
		env[k] = v
	}
	restore := setenv(env)
	defer restore()

	lctx := lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       requestID,
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:" + fn.Name,
	})
	lctx, cancel := context.WithTimeout(lctx, timeout)
	defer cancel()

	res := &Result{Function: fn.Name, Where: "offline, in-process"}
	var out []byte
	var fail *messages.InvokeResponse_Error
	start := time.Now()
	logged := capture(func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() {
				if v := recover(); v != nil {
					fail = &messages.InvokeResponse_Error{Type: typeName(v), Message: fmt.Sprint(v)}
				}
			}()
			b, err := lambda.NewHandler(fn.Handler).Invoke(lctx, payload)
			if err != nil {
				fail = errorResponse(err)
				return
			}
			out = b
		}()
		select {
		case <-done:
		case <-lctx.Done():
			if errors.Is(lctx.Err(), context.DeadlineExceeded) {
				fail = &messages.InvokeResponse_Error{
					Type:    "Sandbox.Timedout",
					Message: fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", requestID, timeout.Seconds()),
				}
			} else {
				fail = &messages.InvokeResponse_Error{Type: "Interrupted", Message: lctx.Err().Error()}
			}
		}
	})
	res.Duration = time.Since(start)
	if fail != nil {
		res.ErrorType, res.ErrorMessage = fail.Type, fail.Message
		res.Payload = errorPayload(fail.Type, fail.Message)
	} else {
		res.Payload = out
	}
	log := fmt.Sprintf("START RequestId: %s Version: $LATEST\n%sEND RequestId: %s\nREPORT RequestId: %s\tDuration: %.2f ms\n",
		requestID, logged, requestID, requestID, float64(res.Duration.Microseconds())/1000)
	if len(log) > tailBytes {
		log = log[len(log)-tailBytes:]
	}
	res.LogTail = log
	return res
}

// errorResponse names a handler error as aws-lambda-go does: an
// InvokeResponse_Error keeps its Type, any other error is named by its Go
// type (a direct type check, as aws-lambda-go makes).
func errorResponse(err error) *messages.InvokeResponse_Error {
	if ire, ok := err.(messages.InvokeResponse_Error); ok {
		return &ire
	}
	if ire, ok := err.(*messages.InvokeResponse_Error); ok {
		return ire
	}
	return &messages.InvokeResponse_Error{Type: typeName(err), Message: err.Error()}
}

func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

func setenv(env map[string]string) (restore func()) {
	type saved struct {
		v  string
		ok bool
	}
	old := map[string]saved{}
	for k, v := range env {
		pv, ok := os.LookupEnv(k)
		old[k] = saved{pv, ok}
		_ = os.Setenv(k, v)
	}
	return func() {
		for k, s := range old {
			if s.ok {
				_ = os.Setenv(k, s.v)
			} else {
				_ = os.Unsetenv(k)
			}
		}
	}
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
