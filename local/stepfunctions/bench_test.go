package stepfunctions_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/sparta-go/sparta/local/stepfunctions"
)

// BenchmarkRolldieExecutions runs examples/rolldie's machine with its Wait
// at 0 seconds (two rolls, two Lambda calls, IAM checked on each, history
// persisted) from StartExecution to the stored end, through the Go API.
// The executions/s metric is the figure.
func BenchmarkRolldieExecutions(b *testing.B) {
	for _, parallel := range []bool{false, true} {
		name := "sequential"
		if parallel {
			name = "parallel"
		}
		b.Run(name, func(b *testing.B) {
			f := newFixture(b)
			f.lambda.add("rollDie", dice(2, 5))
			fn := fnARN("rollDie")
			m := f.machine("RollDie", rollDieMachine(fn), f.role("r", allow("lambda:InvokeFunction", fn, fn+":*")))
			ctx := context.Background()
			one := func() {
				e, err := f.svc.StartExecution(stepfunctions.StartExecutionInput{StateMachineARN: m})
				if err != nil {
					b.Fatal(err)
				}
				if d, err := f.svc.WaitExecution(ctx, e.ARN); err != nil || d.Status != "SUCCEEDED" {
					b.Fatalf("execution = %+v, %v", d, err)
				}
			}
			b.ResetTimer()
			if parallel {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						one()
					}
				})
			} else {
				for b.Loop() {
					one()
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "executions/s")
		})
	}
}

// BenchmarkStartExecution measures StartExecution's latency through the
// SDK and HTTP: validation, the durable RUNNING record and the engine's
// start (the execution itself runs in the background).
func BenchmarkStartExecution(b *testing.B) {
	f := newFixture(b)
	m := f.machine("Pass", passMachine, f.role("r"))
	ctx := context.Background()
	for b.Loop() {
		if _, err := f.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)}); err != nil {
			b.Fatal(err)
		}
	}
}
