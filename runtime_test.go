//go:build !lambdabinary

package sparta_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/internal/build"
)

// runtimeAPI is a minimal Lambda Runtime API (2018-06-01) on loopback: it
// hands out one invocation and records what the function answers.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
type runtimeAPI struct {
	event     string
	responses chan string // body posted to .../response or .../error, prefixed by the path kind
}

func (r *runtimeAPI) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	switch {
	case req.Method == http.MethodGet && req.URL.Path == "/2018-06-01/runtime/invocation/next":
		if r.event == "" {
			<-req.Context().Done() // no more invocations: block like Lambda does
			return
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", formatMillis(time.Now().Add(10*time.Second)))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:rollDie")
		w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
		io.WriteString(w, r.event)
		r.event = ""
	case req.Method == http.MethodPost && req.URL.Path == "/2018-06-01/runtime/invocation/req-1/response":
		b, _ := io.ReadAll(req.Body)
		w.WriteHeader(http.StatusAccepted)
		r.responses <- "response:" + string(b)
	case req.Method == http.MethodPost && req.URL.Path == "/2018-06-01/runtime/init/error":
		b, _ := io.ReadAll(req.Body)
		w.WriteHeader(http.StatusAccepted)
		r.responses <- "init-error:" + string(b)
	default:
		b, _ := io.ReadAll(req.Body)
		http.Error(w, "unexpected", http.StatusNotFound)
		r.responses <- "unexpected:" + req.Method + " " + req.URL.Path + " " + string(b)
	}
}

func formatMillis(t time.Time) string {
	b, _ := json.Marshal(t.UnixMilli())
	return string(b)
}

// lambdaBinary builds rolldie as the framework does for Lambda, for this
// host's architecture so that it can run here.
func lambdaBinary(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	err := build.Compile(context.Background(), build.Options{
		Package: "./examples/rolldie", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: out,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func startRuntime(t *testing.T, bin, handler, event string) string {
	t.Helper()
	api := &runtimeAPI{event: event, responses: make(chan string, 4)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String(), "_HANDLER="+handler,
		"AWS_LAMBDA_FUNCTION_NAME=rollDie", "AWS_REGION=us-east-1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	select {
	case got := <-api.responses:
		return got
	case <-time.After(30 * time.Second):
		t.Fatal("the function never answered the Runtime API")
		return ""
	}
}

func TestLambdaBinaryAnswersThroughTheRuntimeAPI(t *testing.T) {
	bin := lambdaBinary(t)
	got := startRuntime(t, bin, "rollDie", `{}`)
	body, ok := strings.CutPrefix(got, "response:")
	if !ok {
		t.Fatalf("Runtime API got %q, want a response", got)
	}
	var roll struct {
		Roll int `json:"roll"`
	}
	if err := json.Unmarshal([]byte(body), &roll); err != nil || roll.Roll < 1 || roll.Roll > 5 {
		t.Fatalf("response = %s (%v), want {\"roll\": 1..5}", body, err)
	}
}

func TestLambdaBinaryReportsUnknownHandler(t *testing.T) {
	bin := lambdaBinary(t)
	got := startRuntime(t, bin, "noSuchFunction", `{}`)
	if !strings.HasPrefix(got, "init-error:") || !strings.Contains(got, `handler \"noSuchFunction\" is not a function of this service; it has: rollDie`) {
		t.Fatalf("Runtime API got %q, want an init error naming the handler and the known functions", got)
	}
}
