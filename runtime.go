package sparta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

// runtimeAPIEnv is set by AWS Lambda (and the local cloud) for the process
// that serves invocations.
const runtimeAPIEnv = "AWS_LAMBDA_RUNTIME_API"

// insideLambda reports whether this process was started by a Lambda runtime.
func insideLambda() bool { return os.Getenv(runtimeAPIEnv) != "" }

// serveLambda serves the function that _HANDLER names with aws-lambda-go. It
// returns only when the handler is unknown; Lambda then sees an init error
// that lists the functions this binary has.
func serveLambda(lambdas []*LambdaAWSInfo) error {
	name := os.Getenv("_HANDLER")
	for _, l := range lambdas {
		if l != nil && l.Name == name {
			lambda.Start(l.Handler)
			return nil
		}
	}
	names := make([]string, 0, len(lambdas))
	for _, l := range lambdas {
		if l != nil {
			names = append(names, l.Name)
		}
	}
	err := fmt.Errorf("handler %q is not a function of this service; it has: %s", name, strings.Join(names, ", "))
	reportInitError(err)
	return err
}

// reportInitError tells the Runtime API why the function cannot start, so
// the invoker sees the reason rather than a bare process exit.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-initerror
func reportInitError(cause error) {
	body, _ := json.Marshal(map[string]any{"errorMessage": cause.Error(), "errorType": "Runtime.HandlerNotFound"})
	url := "http://" + os.Getenv(runtimeAPIEnv) + "/2018-06-01/runtime/init/error"
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.HandlerNotFound")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}
