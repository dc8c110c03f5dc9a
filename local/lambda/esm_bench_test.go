package lambda_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// mappedQueue is a local cloud with a queue mapped (batch size 10) to the
// sqsconsumer function, warmed by one delivery.
func mappedQueue(b *testing.B) (*esmCloud, string) {
	b.Helper()
	e := newESMCloud(b)
	url, arn := e.queue(b, "bench", nil)
	e.function(b, "consumer", e.role(b, "consumer", arn, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), 3)
	if _, err := e.lambda.CreateEventSourceMapping(context.Background(), &lambdasdk.CreateEventSourceMappingInput{
		FunctionName: aws.String("consumer"), EventSourceArn: aws.String(arn), BatchSize: aws.Int32(10)}); err != nil {
		b.Fatal(err)
	}
	e.send(b, url, "warm-up")
	e.sink.next(b, 30*time.Second)
	return e, url
}

// BenchmarkSQSToLambdaLatency is the time from SendMessage (through the
// SDK, over HTTP) until the function, invoked by the mapping, has the
// message: long poll wake-up, receive, event, invocation. Goal: p50 under
// 20 ms.
func BenchmarkSQSToLambdaLatency(b *testing.B) {
	e, url := mappedQueue(b)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		id := e.send(b, url, fmt.Sprint("m", i))
		l := e.sink.next(b, 30*time.Second)
		if l.id != id {
			b.Fatalf("the function received %s, want %s", l.id, id)
		}
		lat = append(lat, l.at.Sub(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkSQSMappingThroughput is items per second through a mapping with
// batch size 10: b.N messages sent in batches of 10, timed until the
// function has received them all.
func BenchmarkSQSMappingThroughput(b *testing.B) {
	e, url := mappedQueue(b)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i += 10 {
		var entries []sqstypes.SendMessageBatchRequestEntry
		for j := i; j < min(i+10, b.N); j++ {
			entries = append(entries, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(fmt.Sprint("e", j)), MessageBody: aws.String(fmt.Sprint("m", j))})
		}
		if _, err := e.sqs.SendMessageBatch(ctx, &sqssdk.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: entries}); err != nil {
			b.Fatal(err)
		}
	}
	for range b.N {
		e.sink.next(b, 60*time.Second)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "items/s")
}
