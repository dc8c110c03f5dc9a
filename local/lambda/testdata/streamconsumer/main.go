// Command streamconsumer is a test function for DynamoDB stream event
// source mappings: it reports each record to the TCP listener named by
// SINK_ADDR, one line "sequenceNumber<TAB>eventName:id<TAB>-", and fails
// the batch when a record's NewImage has fail = true.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, ev events.DynamoDBEvent) error {
	var b strings.Builder
	for _, r := range ev.Records {
		fmt.Fprintf(&b, "%s\t%s:%s\t-\n", r.Change.SequenceNumber, r.EventName, r.Change.Keys["id"].String())
	}
	if addr := os.Getenv("SINK_ADDR"); addr != "" {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		_, err = conn.Write([]byte(b.String()))
		_ = conn.Close()
		if err != nil {
			return err
		}
	}
	for _, r := range ev.Records {
		if f, ok := r.Change.NewImage["fail"]; ok && f.DataType() == events.DataTypeBoolean && f.Boolean() {
			return errors.New("streamconsumer: failing the batch as " + r.EventID + " asks")
		}
	}
	return nil
}

func main() { lambda.Start(handle) }
