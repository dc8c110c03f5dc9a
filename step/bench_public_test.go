//go:build !lambdabinary

package step_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step"
)

// publicPassChain is the definition both public benchmarks run, and the
// one step/internal/peerbench runs on coinbase/step: n Pass states, each
// with a Result and a ResultPath, the last one ending the machine.
func publicPassChain(n int) []byte {
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
	return []byte(b.String())
}

var publicBenchInput = json.RawMessage(`{"a":0,"b":"x","c":[1,2,3]}`)

// BenchmarkPublicPassChain100 runs the 100-Pass chain through the public
// API: FromJSON once, then (*StateMachine).Execute per iteration on the
// virtual clock (goal: at most 75 µs and 500 allocations per execution,
// 10× coinbase/step's Execute of the same chain).
func BenchmarkPublicPassChain100(b *testing.B) {
	sm, err := step.FromJSON(publicPassChain(100))
	if err != nil {
		b.Fatal(err)
	}
	sm.WithName("Chain")
	ctx := context.Background()
	b.ReportAllocs()
	var transitions int64
	for b.Loop() {
		ex, err := sm.Execute(ctx, publicBenchInput, step.WithVirtualClock())
		if err != nil || ex.Status != step.StatusSucceeded {
			b.Fatal(err, ex)
		}
		transitions += ex.Transitions
	}
	b.ReportMetric(float64(transitions)/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkPublicParseExecute parses the 100-Pass chain with FromJSON and
// executes it once per iteration (goal: at most 700 µs, 2× coinbase/step's
// parse and execute, and no more memory than it).
func BenchmarkPublicParseExecute(b *testing.B) {
	def := publicPassChain(100)
	ctx := context.Background()
	b.ReportAllocs()
	var transitions int64
	for b.Loop() {
		sm, err := step.FromJSON(def)
		if err != nil {
			b.Fatal(err)
		}
		sm.WithName("Chain")
		ex, err := sm.Execute(ctx, publicBenchInput, step.WithVirtualClock())
		if err != nil || ex.Status != step.StatusSucceeded {
			b.Fatal(err, ex)
		}
		transitions += ex.Transitions
	}
	b.ReportMetric(float64(transitions)/b.Elapsed().Seconds(), "transitions/s")
}
