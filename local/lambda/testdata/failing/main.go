// Command failing is a test function whose handler returns an error.
package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context) (string, error) {
		fmt.Println("failing: about to fail")
		return "", errors.New("the dice fell off the table")
	})
}
