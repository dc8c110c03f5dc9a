package lambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/sparta-go/sparta/local/lambda"
)

// echoResult is what the echo test function returns.
type echoResult struct {
	PID        int               `json:"pid"`
	Say        string            `json:"say"`
	Env        map[string]string `json:"env"`
	RequestID  string            `json:"requestId"`
	ARN        string            `json:"arn"`
	DeadlineMs int64             `json:"deadlineMs"`
}

func decodeEcho(t testing.TB, out *lambdasdk.InvokeOutput) echoResult {
	t.Helper()
	if out.FunctionError != nil {
		t.Fatalf("Invoke: FunctionError %s: %s", *out.FunctionError, out.Payload)
	}
	var r echoResult
	if err := json.Unmarshal(out.Payload, &r); err != nil {
		t.Fatalf("decoding %s: %v", out.Payload, err)
	}
	return r
}

func logTail(t testing.TB, out *lambdasdk.InvokeOutput) string {
	t.Helper()
	if out.LogResult == nil {
		t.Fatal("Invoke returned no LogResult though LogType was Tail")
	}
	b, err := base64.StdEncoding.DecodeString(*out.LogResult)
	if err != nil {
		t.Fatalf("LogResult is not base64: %v", err)
	}
	return string(b)
}

func TestInvokeRequestResponse(t *testing.T) {
	f := newFixture(t, func(c *lambda.Config) { c.Endpoint = "http://127.0.0.1:1" })
	f.create(t, "echo", "echo", func(in *lambdasdk.CreateFunctionInput) {
		in.MemorySize = aws.Int32(256)
		in.Timeout = aws.Int32(7)
		in.Environment = &types.Environment{Variables: map[string]string{"GREETING": "hello"}}
	})
	out := f.invoke(t, "echo", `{"say":"hi"}`)
	if out.StatusCode != 200 || aws.ToString(out.ExecutedVersion) != "$LATEST" {
		t.Errorf("Invoke = status %d, version %q, want 200, $LATEST", out.StatusCode, aws.ToString(out.ExecutedVersion))
	}
	r := decodeEcho(t, out)
	if r.Say != "hi" {
		t.Errorf("the function saw say=%q, want hi", r.Say)
	}
	want := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "echo",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/echo",
		"_HANDLER":                        "echo",
		"AWS_REGION":                      region,
		"AWS_DEFAULT_REGION":              region,
		"TZ":                              ":UTC",
		"GREETING":                        "hello",
		"AWS_ENDPOINT_URL":                "http://127.0.0.1:1",
	}
	for k, v := range want {
		if r.Env[k] != v {
			t.Errorf("environment %s = %q, want %q", k, r.Env[k], v)
		}
	}
	if !regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$`).MatchString(r.Env["AWS_LAMBDA_LOG_STREAM_NAME"]) {
		t.Errorf("AWS_LAMBDA_LOG_STREAM_NAME = %q, want Lambda's yyyy/mm/dd/[$LATEST]id", r.Env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
	if !strings.HasPrefix(r.Env["AWS_LAMBDA_RUNTIME_API"], "127.0.0.1:") || r.Env["LAMBDA_TASK_ROOT"] == "" || r.Env["AWS_ACCESS_KEY_ID"] == "" {
		t.Errorf("runtime API %q, task root %q, access key %q: want all set", r.Env["AWS_LAMBDA_RUNTIME_API"], r.Env["LAMBDA_TASK_ROOT"], r.Env["AWS_ACCESS_KEY_ID"])
	}
	if r.ARN != "arn:aws:lambda:us-east-1:000000000000:function:echo" {
		t.Errorf("invoked ARN = %q", r.ARN)
	}
	if r.DeadlineMs <= 6000 || r.DeadlineMs > 7000 {
		t.Errorf("time left at start = %d ms, want just under the 7 s timeout", r.DeadlineMs)
	}
	tail := logTail(t, out)
	for _, re := range []string{
		`START RequestId: ` + r.RequestID + ` Version: \$LATEST\n`,
		`echo: saying "hi"\n`,
		`echo: a line on stderr\n`,
		`END RequestId: ` + r.RequestID + `\n`,
		`REPORT RequestId: ` + r.RequestID + `\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: [1-9]\d* MB\tInit Duration: [0-9.]+ ms\n$`,
	} {
		if !regexp.MustCompile(re).MatchString(tail) {
			t.Errorf("log tail does not match %q:\n%s", re, tail)
		}
	}
}

func TestRolldie(t *testing.T) {
	f := newFixture(t)
	f.create(t, "rollDie", "rolldie")
	for i := 0; i < 3; i++ {
		out := f.invoke(t, "rollDie", `{}`)
		var roll struct{ Roll int }
		if out.FunctionError != nil || json.Unmarshal(out.Payload, &roll) != nil || roll.Roll < 1 || roll.Roll > 5 {
			t.Fatalf("Invoke(rollDie) = %s (error %v), want a roll from 1 to 5", out.Payload, aws.ToString(out.FunctionError))
		}
	}
	if n := f.svc.Sandboxes("rollDie"); n != 1 {
		t.Errorf("three invocations in a row ran in %d processes, want 1 warm one", n)
	}
}

// platformError is Lambda's own error document.
type platformError struct {
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

func unhandled(t testing.TB, out *lambdasdk.InvokeOutput) platformError {
	t.Helper()
	if aws.ToString(out.FunctionError) != "Unhandled" {
		t.Fatalf("FunctionError = %q, want Unhandled (payload %s)", aws.ToString(out.FunctionError), out.Payload)
	}
	var e platformError
	if err := json.Unmarshal(out.Payload, &e); err != nil {
		t.Fatalf("error payload %s: %v", out.Payload, err)
	}
	return e
}

func TestFunctionErrors(t *testing.T) {
	f := newFixture(t)
	f.create(t, "failing", "failing")
	f.create(t, "sleepy", "sleepy", func(in *lambdasdk.CreateFunctionInput) { in.Timeout = aws.Int32(1) })
	f.create(t, "crash", "crash")
	f.create(t, "initCrash", "crash", func(in *lambdasdk.CreateFunctionInput) {
		in.Environment = &types.Environment{Variables: map[string]string{"CRASH_IN_INIT": "1"}}
	})
	f.create(t, "wrongHandler", "rolldie", func(in *lambdasdk.CreateFunctionInput) { in.Handler = aws.String("noSuchHandler") })
	f.create(t, "foreign", "foreign")

	tests := []struct {
		name, function, wantType, wantMessage, wantLog string
	}{
		{"handler error", "failing", "errorString", `^the dice fell off the table$`, `failing: about to fail`},
		{"timeout", "sleepy", "Sandbox.Timedout", `^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$`, `Task timed out after 1.00 seconds`},
		{"crash", "crash", "Runtime.ExitError", `^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$`, `crash: about to exit`},
		{"crash in init", "initCrash", "Runtime.ExitError", `Runtime exited with error: exit status 2$`, `crash: failing during init`},
		{"init error", "wrongHandler", "Runtime.HandlerNotFound", `handler "noSuchHandler" is not a function of this service`, `INIT_REPORT`},
		{"foreign architecture", "foreign", "Runtime.InvalidEntrypoint", `^function foreign was built for \w+; this machine runs \w+: provision with --local, which builds for the host$`, `provision with --local`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			out := f.invoke(t, tt.function, `{}`)
			e := unhandled(t, out)
			if e.ErrorType != tt.wantType || !regexp.MustCompile(tt.wantMessage).MatchString(e.ErrorMessage) {
				t.Errorf("Invoke(%s) = %+v, want type %s, message matching %q", tt.function, e, tt.wantType, tt.wantMessage)
			}
			if tail := logTail(t, out); !strings.Contains(tail, tt.wantLog) || !strings.Contains(tail, "END RequestId:") {
				t.Errorf("log tail of %s lacks %q or END:\n%s", tt.function, tt.wantLog, tail)
			}
			if tt.function == "sleepy" && time.Since(start) > 3*time.Second {
				t.Errorf("the 1 s timeout took %v to enforce", time.Since(start))
			}
		})
	}
	// A function error keeps the process warm; a timeout or a crash ends it.
	for fn, want := range map[string]int{"failing": 1, "sleepy": 0, "crash": 0, "initCrash": 0, "wrongHandler": 0, "foreign": 0} {
		if n := f.svc.Sandboxes(fn); n != want {
			t.Errorf("after its invocation %s has %d processes, want %d", fn, n, want)
		}
	}
	// The sandbox after a crash is new and works the same way.
	if e := unhandled(t, f.invoke(t, "crash", `{}`)); e.ErrorType != "Runtime.ExitError" {
		t.Errorf("second crash = %+v", e)
	}
}

func TestWarmReuseAndRetirement(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	first := decodeEcho(t, f.invoke(t, "echo", `{}`))
	second := f.invoke(t, "echo", `{}`)
	if pid := decodeEcho(t, second).PID; pid != first.PID {
		t.Errorf("warm invocation ran in process %d, want %d again", pid, first.PID)
	}
	if tail := logTail(t, second); strings.Contains(tail, "Init Duration") {
		t.Errorf("a warm invocation reported an Init Duration:\n%s", tail)
	}
	// New configuration, new process, as on Lambda.
	if _, err := f.client.UpdateFunctionConfiguration(context.Background(), &lambdasdk.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("echo"), Environment: &types.Environment{Variables: map[string]string{"GREETING": "bonjour"}},
	}); err != nil {
		t.Fatal(err)
	}
	third := decodeEcho(t, f.invoke(t, "echo", `{}`))
	if third.PID == first.PID || third.Env["GREETING"] != "bonjour" {
		t.Errorf("after UpdateFunctionConfiguration: pid %d (was %d), GREETING %q: want a new process with the new environment", third.PID, first.PID, third.Env["GREETING"])
	}
	if n := f.svc.Sandboxes("echo"); n != 1 {
		t.Errorf("%d processes after the update, want the old one stopped", n)
	}
}

func TestIdleTimeout(t *testing.T) {
	f := newFixture(t, func(c *lambda.Config) { c.IdleTimeout = 100 * time.Millisecond })
	f.create(t, "echo", "echo")
	f.invoke(t, "echo", `{}`)
	deadline := time.Now().Add(5 * time.Second)
	for f.svc.Sandboxes("echo") > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := f.svc.Sandboxes("echo"); n != 0 {
		t.Errorf("%d idle processes left after the idle timeout", n)
	}
}

func TestConcurrency(t *testing.T) {
	const n = 4
	f := newFixture(t, func(c *lambda.Config) { c.MaxConcurrency = n })
	f.create(t, "echo", "echo")
	results, errs := invokeParallel(f, "echo", n+1, `{"sleepMs":400}`)
	pids := map[int]bool{}
	for _, out := range results {
		pids[decodeEcho(t, out).PID] = true
	}
	if len(results) != n || len(pids) != n {
		t.Errorf("%d parallel invocations with a limit of %d: %d succeeded in %d processes, want %d in %d", n+1, n, len(results), len(pids), n, n)
	}
	if len(errs) != 1 || !isThrottled(errs[0]) {
		t.Errorf("invocation beyond the limit = %v, want one TooManyRequestsException", errs)
	}
	if got := f.svc.Sandboxes("echo"); got != n {
		t.Errorf("%d processes after the burst, want %d warm ones", got, n)
	}
	// The warm processes serve the next burst: no new process.
	results, _ = invokeParallel(f, "echo", n, `{"sleepMs":200}`)
	for _, out := range results {
		if pid := decodeEcho(t, out).PID; !pids[pid] {
			t.Errorf("second burst ran in new process %d", pid)
		}
	}
}

func TestReservedConcurrency(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	if _, err := f.client.PutFunctionConcurrency(context.Background(), &lambdasdk.PutFunctionConcurrencyInput{
		FunctionName: aws.String("echo"), ReservedConcurrentExecutions: aws.Int32(2),
	}); err != nil {
		t.Fatal(err)
	}
	results, errs := invokeParallel(f, "echo", 4, `{"sleepMs":400}`)
	if len(results) != 2 || len(errs) != 2 {
		t.Fatalf("4 parallel invocations with 2 reserved: %d ran, %d failed, want 2 and 2", len(results), len(errs))
	}
	for _, err := range errs {
		var tm *types.TooManyRequestsException
		if !errors.As(err, &tm) || !strings.Contains(tm.ErrorMessage(), "ReservedFunctionConcurrentInvocationLimitExceeded") {
			t.Errorf("throttled invocation = %v, want TooManyRequestsException naming the reserved limit", err)
		}
	}
	if _, err := f.client.PutFunctionConcurrency(context.Background(), &lambdasdk.PutFunctionConcurrencyInput{
		FunctionName: aws.String("echo"), ReservedConcurrentExecutions: aws.Int32(0),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Invoke(context.Background(), &lambdasdk.InvokeInput{FunctionName: aws.String("echo")}); !isThrottled(err) {
		t.Errorf("Invoke with 0 reserved = %v, want TooManyRequestsException", err)
	}
}

func isThrottled(err error) bool {
	var tm *types.TooManyRequestsException
	return errors.As(err, &tm)
}

// invokeParallel starts n invocations at once.
func invokeParallel(f *fixture, name string, n int, payload string) ([]*lambdasdk.InvokeOutput, []error) {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		results []*lambdasdk.InvokeOutput
		errs    []error
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := f.client.Invoke(context.Background(), &lambdasdk.InvokeInput{FunctionName: aws.String(name), Payload: []byte(payload)})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else {
				results = append(results, out)
			}
		}()
	}
	wg.Wait()
	return results, errs
}

func TestLogs(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	r1 := decodeEcho(t, f.invoke(t, "echo", `{"say":"one","partial":"no newline"}`))
	r2 := decodeEcho(t, f.invoke(t, "echo", `{"say":"two"}`))
	log := f.logs.text("/aws/lambda/echo")
	want := regexp.MustCompile(`(?s)^INIT_START Runtime Version: provided:al2023\.local\t[^\n]*\n` +
		`echo: init\n` +
		`START RequestId: ` + r1.RequestID + ` Version: \$LATEST\n` +
		`(echo: saying "one"\necho: a line on stderr\n|echo: a line on stderr\necho: saying "one"\n)` +
		`no newline\n` +
		`END RequestId: ` + r1.RequestID + `\n` +
		`REPORT RequestId: ` + r1.RequestID + `\t[^\n]*Init Duration[^\n]*\n` +
		`START RequestId: ` + r2.RequestID + ` Version: \$LATEST\n` +
		`.*END RequestId: ` + r2.RequestID + `\n` +
		`REPORT RequestId: ` + r2.RequestID + `\t[^\n]*\n$`)
	if !want.MatchString(log) {
		t.Errorf("log of /aws/lambda/echo:\n%s\nwant it to match %s", log, want)
	}
	streams := f.logs.streams("/aws/lambda/echo")
	if len(streams) != 1 || !streams[r1.Env["AWS_LAMBDA_LOG_STREAM_NAME"]] {
		t.Errorf("log streams %v, want only the function's %s", streams, r1.Env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
}

func TestEventAndDryRun(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	out, err := f.client.Invoke(context.Background(), &lambdasdk.InvokeInput{
		FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"say":"async"}`),
	})
	if err != nil || out.StatusCode != 202 || len(out.Payload) != 0 {
		t.Fatalf("Invoke(Event) = %v, %v, want 202 and no payload", out, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(f.logs.text("/aws/lambda/echo"), `echo: saying "async"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the Event invocation never ran; log:\n%s", f.logs.text("/aws/lambda/echo"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, err = f.client.Invoke(context.Background(), &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || out.StatusCode != 204 {
		t.Errorf("Invoke(DryRun) = %v, %v, want 204", out, err)
	}
	if _, err = f.client.Invoke(context.Background(), &lambdasdk.InvokeInput{FunctionName: aws.String("nope"), InvocationType: types.InvocationTypeDryRun}); !isNotFound(err) {
		t.Errorf("Invoke(DryRun) of a missing function = %v, want ResourceNotFoundException", err)
	}
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

// TestGoAPI is the API the Step Functions service calls.
func TestGoAPI(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	f.create(t, "failing", "failing")
	arn := "arn:aws:lambda:us-east-1:000000000000:function:echo"
	for _, ref := range []string{"echo", arn, "000000000000:function:echo", "echo:$LATEST"} {
		res, err := f.svc.Invoke(context.Background(), ref, []byte(`{"say":"go"}`))
		if err != nil || res.FunctionError != "" || !strings.Contains(string(res.Payload), `"say":"go"`) || res.ExecutedVersion != "$LATEST" {
			t.Errorf("Invoke(%q) = %+v, %v", ref, res, err)
		}
		if !strings.Contains(res.LogTail, "REPORT RequestId: "+res.RequestID) {
			t.Errorf("Invoke(%q).LogTail lacks the REPORT line:\n%s", ref, res.LogTail)
		}
	}
	res, err := f.svc.Invoke(context.Background(), "failing", nil)
	if err != nil || res.FunctionError != "Unhandled" || !strings.Contains(string(res.Payload), "the dice fell off the table") {
		t.Errorf("Invoke(failing) = %+v, %v, want an Unhandled function error", res, err)
	}
	_, err = f.svc.Invoke(context.Background(), "missing", nil)
	if !strings.Contains(fmt.Sprint(err), "ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing") {
		t.Errorf("Invoke(missing) = %v, want ResourceNotFoundException", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.svc.Invoke(ctx, "echo", []byte(`{"sleepMs":500}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Invoke with a 50 ms context = %v, want DeadlineExceeded", err)
	}
}

func TestCloseStopsRunningFunctions(t *testing.T) {
	f := newFixture(t)
	f.create(t, "sleepy", "sleepy", func(in *lambdasdk.CreateFunctionInput) { in.Timeout = aws.Int32(60) })
	done := make(chan lambda.InvokeResult, 1)
	go func() {
		res, _ := f.svc.Invoke(context.Background(), "sleepy", nil)
		done <- res
	}()
	for f.svc.Sandboxes("sleepy") == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	if err := f.svc.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v with a function running", d)
	}
	select {
	case res := <-done:
		if res.FunctionError != "Unhandled" {
			t.Errorf("the interrupted invocation = %+v, want an Unhandled error", res)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the invocation did not return after Close")
	}
	if _, err := f.svc.Invoke(context.Background(), "sleepy", nil); !strings.Contains(fmt.Sprint(err), "ServiceException") {
		t.Errorf("Invoke after Close = %v, want ServiceException", err)
	}
}

// TestFailedInvocationThenHealthy is issue 11's sequence: a handler that
// panics, or returns more than Lambda's 6 MB, ends its runtime process;
// the next, healthy invocation must cold-start a fresh sandbox and get its
// own result, every time (AWS never hands an event to a dead runtime).
// See https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
func TestFailedInvocationThenHealthy(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	for _, bad := range []string{`{"panic":true}`, `{"bigMB":7}`} {
		for i := range 4 {
			out := f.invoke(t, "echo", bad)
			if out.FunctionError == nil {
				t.Errorf("%s #%d: no function error, payload %.200s", bad, i+1, out.Payload)
			}
			// Give the runtime time to exit after reporting, as it does.
			time.Sleep(50 * time.Millisecond)
			good := f.invoke(t, "echo", `{"say":"still here"}`)
			if good.FunctionError != nil {
				t.Fatalf("after %s #%d the healthy invocation failed: %s %s", bad, i+1, *good.FunctionError, good.Payload)
			}
			if r := decodeEcho(t, good); r.Say != "still here" {
				t.Errorf("after %s #%d: result %+v, want its own", bad, i+1, r)
			}
		}
	}
}
