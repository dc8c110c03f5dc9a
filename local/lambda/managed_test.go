package lambda_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/sparta-go/sparta/local/lambda"
)

// needInterpreter skips a test when the host has no interpreter for a
// managed runtime's language (CI installs python3 and nodejs).
func needInterpreter(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not on PATH, so the local Lambda cannot run this language here (install it to run this test): %v", name, err)
	}
}

// createInline creates a function from inline source, as CloudFormation's
// Code.ZipFile does.
func (f *fixture) createInline(t testing.TB, name, runtime, source string, tweak ...func(*lambdasdk.CreateFunctionInput)) {
	t.Helper()
	zip, err := lambda.InlineZip(runtime, source)
	if err != nil {
		t.Fatal(err)
	}
	f.create(t, name, "", append([]func(*lambdasdk.CreateFunctionInput){func(in *lambdasdk.CreateFunctionInput) {
		in.Runtime = types.Runtime(runtime)
		in.Handler = aws.String("index.handler")
		in.Code = &types.FunctionCode{ZipFile: zip}
	}}, tweak...)...)
}

func tailOf(out *lambdasdk.InvokeOutput) string {
	b, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	return string(b)
}

const pythonHandler = `
import json, logging, os
logger = logging.getLogger()
logger.setLevel(logging.INFO)

def handler(event, context):
    print("hello from python", event.get("name"))
    logger.info("logged at info")
    if event.get("fail"):
        raise ValueError("bad name " + str(event.get("name")))
    return {
        "greeting": "hello " + event["name"],
        "requestId": context.aws_request_id,
        "function": context.function_name,
        "memory": context.memory_limit_in_mb,
        "arn": context.invoked_function_arn,
        "group": context.log_group_name,
        "stream": context.log_stream_name,
        "remaining": context.get_remaining_time_in_millis(),
        "execEnv": os.environ.get("AWS_EXECUTION_ENV"),
        "secret": os.environ.get("AWS_SECRET_ACCESS_KEY"),
        "home": os.environ.get("HOME"),
    }
`

// TestPythonFunction runs an inline python3.13 function with the host's
// python3: the handler's result, the context object as AWS's Python
// runtime has it, its output in the log, and an exception as AWS reports
// it. See https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html,
// https://docs.aws.amazon.com/lambda/latest/dg/python-context.html and
// https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html
func TestPythonFunction(t *testing.T) {
	needInterpreter(t, "python3")
	f := newFixture(t)
	f.createInline(t, "py", "python3.13", pythonHandler, func(in *lambdasdk.CreateFunctionInput) { in.MemorySize = aws.Int32(256) })

	out := f.invoke(t, "py", `{"name":"world"}`)
	if out.FunctionError != nil {
		t.Fatalf("Invoke = %s %s\n%s", aws.ToString(out.FunctionError), out.Payload, tailOf(out))
	}
	var got map[string]any
	if err := json.Unmarshal(out.Payload, &got); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	if got["greeting"] != "hello world" || got["function"] != "py" || got["memory"] != "256" ||
		got["arn"] != "arn:aws:lambda:us-east-1:000000000000:function:py" || got["group"] != "/aws/lambda/py" ||
		got["execEnv"] != "AWS_Lambda_python3.13" || got["requestId"] == "" || got["stream"] == "" {
		t.Errorf("context seen by the handler = %v", got)
	}
	if r, _ := got["remaining"].(float64); r <= 0 || r > 3000 {
		t.Errorf("get_remaining_time_in_millis() = %v, want within the 3 s timeout", got["remaining"])
	}
	if got["secret"] != "test" || got["home"] != nil {
		t.Errorf("environment: AWS_SECRET_ACCESS_KEY=%v HOME=%v, want the role session's key and no HOME from the server", got["secret"], got["home"])
	}
	tail := tailOf(out)
	for _, want := range []string{"INIT_START Runtime Version: python:3.13", "hello from python world", "[INFO]\t", "\tlogged at info", "REPORT RequestId:"} {
		if !strings.Contains(tail, want) {
			t.Errorf("log tail lacks %q:\n%s", want, tail)
		}
	}

	out = f.invoke(t, "py", `{"name":"x","fail":true}`)
	var doc struct {
		ErrorMessage string   `json:"errorMessage"`
		ErrorType    string   `json:"errorType"`
		RequestID    string   `json:"requestId"`
		StackTrace   []string `json:"stackTrace"`
	}
	if err := json.Unmarshal(out.Payload, &doc); err != nil || aws.ToString(out.FunctionError) != "Unhandled" ||
		doc.ErrorType != "ValueError" || doc.ErrorMessage != "bad name x" || len(doc.StackTrace) == 0 || doc.RequestID == "" ||
		!strings.Contains(doc.StackTrace[len(doc.StackTrace)-1], "index.py") {
		t.Errorf("failing Invoke = %s %s, want Unhandled ValueError with a stack trace in index.py", aws.ToString(out.FunctionError), out.Payload)
	}
	if tail := tailOf(out); !strings.Contains(tail, "[ERROR] ValueError: bad name x") {
		t.Errorf("log tail lacks the error line:\n%s", tail)
	}
	if n := f.svc.Sandboxes("py"); n != 1 {
		t.Errorf("Sandboxes(py) = %d, want the one warm python process reused", n)
	}
}

const nodeHandler = `
exports.handler = async (event, context) => {
  console.log('hello from node', event.name);
  if (event.fail) throw new TypeError('bad name ' + event.name);
  return {
    greeting: 'hello ' + event.name,
    requestId: context.awsRequestId,
    function: context.functionName,
    memory: context.memoryLimitInMB,
    remaining: context.getRemainingTimeInMillis(),
    execEnv: process.env.AWS_EXECUTION_ENV,
  };
};
exports.callback = (event, context, callback) => {
  setTimeout(() => console.log('after the callback, before the response'), 50);
  callback(null, { via: 'callback', id: context.awsRequestId });
};
exports.done = function (event, context) {
  setTimeout(() => context.done(null, 'done'), 10);
};
`

// TestNodeFunction runs an inline nodejs22.x function with the host's
// node: async and callback handlers, the context object, console output
// in the log and an exception as AWS reports it.
// See https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html,
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html and
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
func TestNodeFunction(t *testing.T) {
	needInterpreter(t, "node")
	f := newFixture(t)
	f.createInline(t, "js", "nodejs22.x", nodeHandler)
	out := f.invoke(t, "js", `{"name":"world"}`)
	if out.FunctionError != nil {
		t.Fatalf("Invoke = %s %s\n%s", aws.ToString(out.FunctionError), out.Payload, tailOf(out))
	}
	var got map[string]any
	if err := json.Unmarshal(out.Payload, &got); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	if got["greeting"] != "hello world" || got["function"] != "js" || got["memory"] != "128" || got["requestId"] == "" ||
		got["execEnv"] != "AWS_Lambda_nodejs22.x" {
		t.Errorf("context seen by the handler = %v", got)
	}
	if tail := tailOf(out); !strings.Contains(tail, "\tINFO\thello from node world") {
		t.Errorf("log tail lacks the console.log line:\n%s", tail)
	}

	out = f.invoke(t, "js", `{"name":"x","fail":true}`)
	var doc struct {
		ErrorType    string   `json:"errorType"`
		ErrorMessage string   `json:"errorMessage"`
		Trace        []string `json:"trace"`
	}
	if err := json.Unmarshal(out.Payload, &doc); err != nil || aws.ToString(out.FunctionError) != "Unhandled" ||
		doc.ErrorType != "TypeError" || doc.ErrorMessage != "bad name x" || len(doc.Trace) < 2 || !strings.Contains(strings.Join(doc.Trace, "\n"), "index.js") {
		t.Errorf("failing Invoke = %s %s, want Unhandled TypeError with a trace in index.js", aws.ToString(out.FunctionError), out.Payload)
	}

	for _, tt := range []struct{ handler, want, log string }{
		{"index.callback", `"via":"callback"`, "after the callback, before the response"},
		{"index.done", `"done"`, ""},
	} {
		if _, err := f.client.UpdateFunctionConfiguration(context.Background(), &lambdasdk.UpdateFunctionConfigurationInput{
			FunctionName: aws.String("js"), Handler: aws.String(tt.handler)}); err != nil {
			t.Fatal(err)
		}
		out := f.invoke(t, "js", `{}`)
		if out.FunctionError != nil || !strings.Contains(string(out.Payload), tt.want) {
			t.Errorf("%s: Invoke = %s %s, want %s", tt.handler, aws.ToString(out.FunctionError), out.Payload, tt.want)
		}
		if tail := tailOf(out); !strings.Contains(tail, tt.log) {
			t.Errorf("%s: the log lacks %q (a callback's result waits for the event loop):\n%s", tt.handler, tt.log, tail)
		}
	}
}

// TestManagedInitErrors: a handler that cannot be loaded fails the
// invocation with the errorType AWS's runtimes report.
func TestManagedInitErrors(t *testing.T) {
	for _, tt := range []struct {
		interpreter, runtime, source, handler, wantType, wantMessage string
	}{
		{"python3", "python3.13", "def handler(e, c): return 1", "nomodule.handler", "Runtime.ImportModuleError", "Unable to import module 'nomodule'"},
		{"python3", "python3.13", "def handler(e, c): return 1", "index.missing", "Runtime.HandlerNotFound", "Handler 'missing' missing on module 'index'"},
		{"python3", "python3.13", "def handler(e, c) return 1", "index.handler", "Runtime.UserCodeSyntaxError", "Syntax error in module 'index'"},
		{"python3", "python3.13", "def handler(e, c): return 1", "index", "Runtime.MalformedHandlerName", "Bad handler 'index'"},
		{"node", "nodejs22.x", "exports.handler = async () => 1;", "nomodule.handler", "Runtime.ImportModuleError", "Cannot find module 'nomodule'"},
		{"node", "nodejs22.x", "exports.handler = async () => 1;", "index.missing", "Runtime.HandlerNotFound", "index.missing is undefined or not exported"},
		{"node", "nodejs22.x", "exports.handler = async () => {;", "index.handler", "Runtime.UserCodeSyntaxError", "SyntaxError"},
	} {
		t.Run(tt.wantType+"/"+tt.runtime, func(t *testing.T) {
			needInterpreter(t, tt.interpreter)
			f := newFixture(t)
			f.createInline(t, "fn", tt.runtime, tt.source, func(in *lambdasdk.CreateFunctionInput) { in.Handler = aws.String(tt.handler) })
			out := f.invoke(t, "fn", `{}`)
			var doc struct{ ErrorType, ErrorMessage string }
			if err := json.Unmarshal(out.Payload, &doc); err != nil || aws.ToString(out.FunctionError) != "Unhandled" ||
				doc.ErrorType != tt.wantType || !strings.Contains(doc.ErrorMessage, tt.wantMessage) {
				t.Errorf("Invoke = %s %s, want %s: %s", aws.ToString(out.FunctionError), out.Payload, tt.wantType, tt.wantMessage)
			}
		})
	}
}

// TestMissingInterpreter: a managed runtime whose interpreter this machine
// lacks creates (as on AWS) and fails each invocation with
// Runtime.InvalidRuntime naming what to install.
func TestMissingInterpreter(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "python3")
	f := newFixture(t, func(c *lambda.Config) { c.Interpreters = map[string]string{"python": missing} })
	f.createInline(t, "py", "python3.13", "def handler(e, c): return 1")
	out := f.invoke(t, "py", `{}`)
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), `"errorType":"Runtime.InvalidRuntime"`) ||
		!strings.Contains(string(out.Payload), "install python3.13 (or python3 at least 3.11)") {
		t.Errorf("Invoke = %s %s, want Runtime.InvalidRuntime naming python3.13", aws.ToString(out.FunctionError), out.Payload)
	}

	if _, err := exec.LookPath("node"); err == nil {
		// nodejs99.x needs node 97 or later, which no machine has yet.
		out = func() *lambdasdk.InvokeOutput {
			f := newFixture(t, func(c *lambda.Config) {
				c.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
			})
			f.createInline(t, "js", "nodejs99.x", "exports.handler = async () => 1;")
			return f.invoke(t, "js", `{}`)
		}()
		if !strings.Contains(string(out.Payload), `"errorType":"Runtime.InvalidRuntime"`) || !strings.Contains(string(out.Payload), "install Node.js 99 (or at least Node.js 97)") {
			t.Errorf("Invoke(nodejs99.x) = %s, want Runtime.InvalidRuntime naming Node.js 97", out.Payload)
		}
	}
}

// TestRuntimeDeprecation: Lambda refuses to create functions on a runtime
// past its block-create date, and to update those past block-update, with
// AWS's message; before those dates it accepts them.
// See https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
func TestRuntimeDeprecation(t *testing.T) {
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC) // python3.9: block create 2026-06-01, block update 2026-07-01
	f := newFixture(t, func(c *lambda.Config) { c.Now = func() time.Time { return now } })
	zip, err := lambda.InlineZip("python3.9", "def handler(e, c): return 1")
	if err != nil {
		t.Fatal(err)
	}
	in := &lambdasdk.CreateFunctionInput{FunctionName: aws.String("old"), Runtime: types.RuntimePython39, Role: aws.String(role),
		Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: zip}}
	_, err = f.client.CreateFunction(context.Background(), in)
	var invalid *types.InvalidParameterValueException
	if !errors.As(err, &invalid) || aws.ToString(invalid.Message) != "The runtime parameter of python3.9 is no longer supported for creating or updating AWS Lambda functions. "+
		"We recommend you use a supported runtime while creating or updating functions." {
		t.Fatalf("CreateFunction(python3.9) on %s = %v, want InvalidParameterValueException", now.Format("2006-01-02"), err)
	}

	now = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if _, err := f.client.CreateFunction(context.Background(), in); err != nil {
		t.Fatalf("CreateFunction(python3.9) on %s = %v, want it created (deprecated, not blocked)", now.Format("2006-01-02"), err)
	}
	now = time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	if _, err := f.client.UpdateFunctionConfiguration(context.Background(), &lambdasdk.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("old"), Description: aws.String("still updatable")}); err != nil {
		t.Errorf("UpdateFunctionConfiguration before block-update = %v", err)
	}
	if _, err := f.client.UpdateFunctionConfiguration(context.Background(), &lambdasdk.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("old"), Runtime: types.RuntimePython38}); !errors.As(err, &invalid) {
		t.Errorf("moving to python3.8 after its block-create = %v, want InvalidParameterValueException", err)
	}
	now = time.Date(2026, 7, 2, 0, 0, 0, 0, time.UTC)
	if _, err := f.client.UpdateFunctionCode(context.Background(), &lambdasdk.UpdateFunctionCodeInput{
		FunctionName: aws.String("old"), ZipFile: zip}); !errors.As(err, &invalid) {
		t.Errorf("UpdateFunctionCode after block-update = %v, want InvalidParameterValueException", err)
	}
	if _, err := f.client.UpdateFunctionConfiguration(context.Background(), &lambdasdk.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("old"), Runtime: types.RuntimePython313}); err != nil {
		t.Errorf("moving a blocked function to python3.13 = %v, want it allowed", err)
	}
}

// TestManagedFromS3 runs Python and Node.js code from a zip in S3 (not
// inline): the same path as inline code, any module name, an ES module.
func TestManagedFromS3(t *testing.T) {
	for _, tt := range []struct {
		interpreter, runtime, handler string
		files                         map[string]string
		want                          string
	}{
		{"python3", "python3.12", "app/main.run", map[string]string{
			"app/__init__.py": "", "app/main.py": "from app import util\ndef run(event, context):\n    return util.double(event['n'])\n",
			"app/util.py": "def double(n):\n    return n * 2\n"}, "42"},
		{"node", "nodejs22.x", "lib/app.handler", map[string]string{
			"lib/app.mjs":  "import { double } from './util.mjs';\nexport const handler = async (event) => double(event.n);\n",
			"lib/util.mjs": "export const double = (n) => n * 2;\n"}, "42"},
	} {
		t.Run(tt.runtime, func(t *testing.T) {
			needInterpreter(t, tt.interpreter)
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for name, body := range tt.files {
				w, _ := zw.Create(name)
				_, _ = w.Write([]byte(body))
			}
			_ = zw.Close()
			key := "managed-" + tt.runtime
			if err := os.WriteFile(filepath.Join(codeRoot, bucket, key+".zip"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			f := newFixture(t)
			f.create(t, "fn", key, func(in *lambdasdk.CreateFunctionInput) {
				in.Runtime, in.Handler = types.Runtime(tt.runtime), aws.String(tt.handler)
			})
			out := f.invoke(t, "fn", `{"n": 21}`)
			if out.FunctionError != nil || strings.TrimSpace(string(out.Payload)) != tt.want {
				t.Errorf("Invoke = %s %s, want %s\n%s", aws.ToString(out.FunctionError), out.Payload, tt.want, tailOf(out))
			}
		})
	}
}

// TestManagedTimeout: a Python function past its timeout is killed with
// whatever it started, as a Go bootstrap is, and reports Sandbox.Timedout.
func TestManagedTimeout(t *testing.T) {
	needInterpreter(t, "python3")
	f := newFixture(t)
	f.createInline(t, "slow", "python3.13", "import subprocess, time\ndef handler(e, c):\n    subprocess.Popen(['sleep', '299.123'])\n    time.sleep(60)\n",
		func(in *lambdasdk.CreateFunctionInput) { in.Timeout = aws.Int32(1) })
	start := time.Now()
	out := f.invoke(t, "slow", `{}`)
	if !strings.Contains(string(out.Payload), `"errorType":"Sandbox.Timedout"`) || time.Since(start) > 20*time.Second {
		t.Errorf("Invoke = %s after %s, want Sandbox.Timedout after about 1 s", out.Payload, time.Since(start))
	}
	// The sleep it started went with it (the sandbox's process group).
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := processesWith("299.123")
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes left after the timeout: %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// processesWith lists the PIDs whose command line contains arg.
func processesWith(arg string) []string {
	entries, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(arg)) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestCfnResponseModules: the cfn-response modules of inline code PUT the
// response object AWS's modules send to the event's ResponseURL, and the
// Node.js one ends the invocation (context.done).
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-lambda-function-code-cfnresponsemodule.html
func TestCfnResponseModules(t *testing.T) {
	for _, tt := range []struct{ interpreter, runtime, source string }{
		{"python3", "python3.13", "import cfnresponse\ndef handler(event, context):\n    cfnresponse.send(event, context, cfnresponse.SUCCESS, {'A': '1'}, 'phys-1', noEcho=True)\n"},
		{"node", "nodejs22.x", "const response = require('cfn-response');\nexports.handler = function (event, context) {\n  response.send(event, context, response.SUCCESS, { A: '1' }, 'phys-1', true);\n};\n"},
	} {
		t.Run(tt.runtime, func(t *testing.T) {
			needInterpreter(t, tt.interpreter)
			got := make(chan map[string]any, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var doc map[string]any
				body, _ := io.ReadAll(r.Body)
				if r.Method != http.MethodPut || json.Unmarshal(body, &doc) != nil {
					t.Errorf("the module sent %s %s", r.Method, body)
				}
				got <- doc
			}))
			defer srv.Close()
			f := newFixture(t)
			f.createInline(t, "cr", tt.runtime, tt.source)
			event, _ := json.Marshal(map[string]any{"RequestType": "Create", "ResponseURL": srv.URL + "/response?token=x",
				"StackId": "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1", "RequestId": "req-1", "LogicalResourceId": "Res",
				"ResourceType": "Custom::X", "ResourceProperties": map[string]any{}})
			out := f.invoke(t, "cr", string(event))
			if out.FunctionError != nil || strings.TrimSpace(string(out.Payload)) != "null" {
				t.Errorf("Invoke = %s %s, want null\n%s", aws.ToString(out.FunctionError), out.Payload, tailOf(out))
			}
			select {
			case doc := <-got:
				reason, _ := doc["Reason"].(string)
				if doc["Status"] != "SUCCESS" || doc["PhysicalResourceId"] != "phys-1" || doc["StackId"] != "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1" ||
					doc["RequestId"] != "req-1" || doc["LogicalResourceId"] != "Res" || doc["NoEcho"] != true ||
					!strings.HasPrefix(reason, "See the details in CloudWatch Log Stream: ") || doc["Data"].(map[string]any)["A"] != "1" {
					t.Errorf("response object = %v", doc)
				}
			default:
				t.Error("the module sent no response object before the invocation ended")
			}
		})
	}
}
