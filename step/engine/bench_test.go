package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func passChain(n int) string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == n-1 {
			next = `"End":true`
		}
		fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Result":{"n":%d},"ResultPath":"$.a",%s}`, i, i, next)
	}
	b.WriteString(`}}`)
	return b.String()
}

func benchRun(b *testing.B, p *Program, input json.RawMessage, opts Options) *Result {
	e, err := p.Start(context.Background(), input, opts)
	if err != nil {
		b.Fatal(err)
	}
	return e.Wait()
}

// BenchmarkPassChain100 executes (not compiles) a chain of 100 Pass states
// with ResultPath and reports state transitions per second.
func BenchmarkPassChain100(b *testing.B) {
	p, err := Compile([]byte(passChain(100)))
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"a":0,"b":"x","c":[1,2,3]}`)
	opts := Options{ExecutionName: "bench", Clock: NewVirtualClock(time.Time{})}
	b.ReportAllocs()
	b.ResetTimer()
	var transitions int64
	for b.Loop() {
		r := benchRun(b, p, input, opts)
		if r.Status != StatusSucceeded {
			b.Fatal(r.Status, r.Error, r.Cause)
		}
		transitions += r.Transitions
	}
	b.ReportMetric(float64(transitions)/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkPassChoiceLoop counts down from 1,000 through a Pass that
// decrements with States.MathAdd and a Choice that loops.
func BenchmarkPassChoiceLoop(b *testing.B) {
	def := `{"StartAt":"Dec","States":{
	  "Dec":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, -1)"},"Next":"Loop"},
	  "Loop":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":0,"Next":"Dec"}],"Default":"Done"},
	  "Done":{"Type":"Succeed"}}}`
	p, err := Compile([]byte(def))
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"n":1000}`)
	opts := Options{ExecutionName: "bench", Clock: NewVirtualClock(time.Time{})}
	b.ReportAllocs()
	b.ResetTimer()
	var transitions int64
	for b.Loop() {
		r := benchRun(b, p, input, opts)
		if r.Status != StatusSucceeded {
			b.Fatal(r.Status, r.Error, r.Cause)
		}
		transitions += r.Transitions
	}
	b.ReportMetric(float64(transitions)/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkMap10000 maps a trivial in-process task over 10,000 items with
// MaxConcurrency 40.
func BenchmarkMap10000(b *testing.B) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":40,
	  "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"double","End":true}}},"End":true}}}`
	p, err := Compile([]byte(def))
	if err != nil {
		b.Fatal(err)
	}
	items := make([]string, 10000)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	input := json.RawMessage(`{"items":[` + strings.Join(items, ",") + `]}`)
	invoke := func(ctx context.Context, req *TaskRequest) (any, error) {
		n, _ := req.Input.(json.Number).Int64()
		return json.Number(fmt.Sprint(2 * n)), nil
	}
	opts := Options{Invoke: invoke, Clock: NewVirtualClock(time.Time{})}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := benchRun(b, p, input, opts)
		if r.Status != StatusSucceeded {
			b.Fatal(r.Status, r.Error, r.Cause)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/execution")
}

// BenchmarkMemoryPerExecution reports the heap held by one running
// execution parked in a callback task (the local cloud's long waits).
func BenchmarkMemoryPerExecution(b *testing.B) {
	def := `{"StartAt":"Prepare","States":{
	  "Prepare":{"Type":"Pass","Result":{"orderId":"o-1","amount":42},"ResultPath":"$.order","Next":"Wait"},
	  "Wait":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`
	p, err := Compile([]byte(def))
	if err != nil {
		b.Fatal(err)
	}
	const n = 2000
	started := make(chan struct{}, n)
	opts := Options{
		Invoke:        func(ctx context.Context, req *TaskRequest) (any, error) { started <- struct{}{}; return nil, nil },
		ExecutionName: "mem",
	}
	b.ResetTimer()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		execs := make([]*Execution, n)
		for i := range execs {
			execs[i], _ = p.Start(context.Background(), json.RawMessage(`{"customer":"c-1"}`), opts)
		}
		for range n {
			<-started
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse+(after.StackInuse-before.StackInuse))/n, "bytes/execution")
		for _, e := range execs {
			e.Stop("", "")
			e.Wait()
		}
	}
}
