// Command echo is a test function: it prints to stdout and stderr and
// returns its process ID, the event and the Lambda environment it sees, so
// that tests can check warm reuse, concurrency, environment and logs. An
// event {"sleepMs": n} makes it take n milliseconds; {"panic": true} makes
// it panic (aws-lambda-go reports the panic, then the process exits);
// {"bigMB": n} makes it return n MB, beyond Lambda's 6 MB response limit
// when n > 6.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	SleepMs int    `json:"sleepMs"`
	Say     string `json:"say"`
	Partial string `json:"partial"`
	Panic   bool   `json:"panic"`
	BigMB   int    `json:"bigMB"`
}

var envNames = []string{
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION",
	"LAMBDA_TASK_ROOT", "AWS_LAMBDA_RUNTIME_API", "AWS_ACCESS_KEY_ID", "TZ", "GREETING", "AWS_ENDPOINT_URL",
}

func handle(ctx context.Context, e event) (map[string]any, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	fmt.Printf("echo: saying %q\n", e.Say)
	fmt.Fprintln(os.Stderr, "echo: a line on stderr")
	if e.Partial != "" {
		fmt.Print(e.Partial) // no newline: the platform must still log it
	}
	if e.Panic {
		panic("echo: asked to panic")
	}
	if e.BigMB > 0 {
		return map[string]any{"big": strings.Repeat("x", e.BigMB<<20)}, nil
	}
	if e.SleepMs > 0 {
		time.Sleep(time.Duration(e.SleepMs) * time.Millisecond)
	}
	env := map[string]string{}
	for _, n := range envNames {
		env[n] = os.Getenv(n)
	}
	deadline, _ := ctx.Deadline()
	return map[string]any{
		"pid":        os.Getpid(),
		"say":        e.Say,
		"env":        env,
		"requestId":  lc.AwsRequestID,
		"arn":        lc.InvokedFunctionArn,
		"deadlineMs": time.Until(deadline).Milliseconds(),
	}, nil
}

func main() {
	fmt.Println("echo: init")
	lambda.Start(handle)
}
