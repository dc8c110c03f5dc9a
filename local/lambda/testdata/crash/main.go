// Command crash is a test function that exits in the middle of an
// invocation (status 3), or during init when CRASH_IN_INIT is set.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	if os.Getenv("CRASH_IN_INIT") != "" {
		fmt.Println("crash: failing during init")
		os.Exit(2)
	}
	lambda.Start(func(ctx context.Context) error {
		fmt.Println("crash: about to exit")
		os.Exit(3)
		return nil
	})
}
