// Command typed is a test function with a typed handler, for API
// Gateway's (non-proxy) Lambda integration: the JSON body is its input and
// its output the response body; the name "fail" makes it return an error.
package main

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
)

type in struct {
	Name string `json:"name"`
}

type out struct {
	Greeting string `json:"greeting"`
}

func handle(_ context.Context, i in) (out, error) {
	if i.Name == "fail" {
		return out{}, errors.New("typed: asked to fail")
	}
	return out{Greeting: "Hello, " + i.Name}, nil
}

func main() { lambda.Start(handle) }
