package sqs_test

import (
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/sparta-go/sparta/local/localtest"
)

// BenchmarkSendReceive measures a message's trip over the SDK against the
// local cloud: SendMessage, then a long-polling ReceiveMessage already
// waiting for it, then DeleteMessage. The send-to-receive p50 is the
// metric a Lambda event source mapping would add to its invoke.
func BenchmarkSendReceive(b *testing.B) {
	c := localtest.Start(b)
	cl := sqs.NewFromConfig(localtest.Config(c))
	out, err := cl.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	url := out.QueueUrl
	var trips []time.Duration
	b.ResetTimer()
	for range b.N {
		got := make(chan time.Time, 1)
		handles := make(chan *string, 1)
		go func() {
			r, err := cl.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: url, WaitTimeSeconds: 5})
			if err != nil || len(r.Messages) != 1 {
				got <- time.Time{}
				handles <- nil
				return
			}
			got <- time.Now()
			handles <- r.Messages[0].ReceiptHandle
		}()
		time.Sleep(time.Millisecond) // let the poll start
		t0 := time.Now()
		if _, err := cl.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: url, MessageBody: aws.String("sighting")}); err != nil {
			b.Fatal(err)
		}
		at := <-got
		h := <-handles
		if h == nil {
			b.Fatal("no message received")
		}
		trips = append(trips, at.Sub(t0))
		if _, err := cl.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: url, ReceiptHandle: h}); err != nil {
			b.Fatal(err)
		}
	}
	sort.Slice(trips, func(i, j int) bool { return trips[i] < trips[j] })
	b.ReportMetric(float64(trips[len(trips)/2].Microseconds())/1000, "send-to-receive-p50-ms")
}
