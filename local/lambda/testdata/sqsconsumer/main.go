// Command sqsconsumer is a test function for SQS event source mappings: it
// reports each record it receives to the TCP listener named by SINK_ADDR,
// one line "messageId<TAB>body<TAB>receiveCount", and fails as the bodies
// say: a body starting "fail-all" fails the whole batch (an error), one
// starting "fail" is reported in batchItemFailures (which only matters
// when the mapping has ReportBatchItemFailures).
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

func handle(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var out events.SQSEventResponse
	if addr := os.Getenv("SINK_ADDR"); addr != "" {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return out, err
		}
		var b strings.Builder
		for _, r := range ev.Records {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", r.MessageId, r.Body, r.Attributes["ApproximateReceiveCount"])
		}
		_, err = conn.Write([]byte(b.String()))
		_ = conn.Close()
		if err != nil {
			return out, err
		}
	}
	for _, r := range ev.Records {
		switch {
		case strings.HasPrefix(r.Body, "fail-all"):
			return out, errors.New("sqsconsumer: failing the batch as " + r.MessageId + " asks")
		case strings.HasPrefix(r.Body, "fail"):
			out.BatchItemFailures = append(out.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
		}
	}
	return out, nil
}

func main() { lambda.Start(handle) }
