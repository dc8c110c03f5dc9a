// Command s3record is a test function for S3 event notifications: it
// decodes the event as aws-lambda-go's events.S3Event and prints one line
// per record, "S3RECORD <eventName> <urlDecodedKey> <size>", which the test
// reads back from the function's log group.
package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, e events.S3Event) error {
	for _, r := range e.Records {
		fmt.Printf("S3RECORD %s %s %d %s\n", r.EventName, r.S3.Object.URLDecodedKey, r.S3.Object.Size, r.S3.Bucket.Name)
	}
	return nil
}

func main() { lambda.Start(handle) }
