// Command sleepy is a test function that runs longer than its timeout.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context) (string, error) {
		fmt.Println("sleepy: going to sleep")
		time.Sleep(time.Minute)
		return "awake", nil
	})
}
