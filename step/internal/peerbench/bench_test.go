package peerbench

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	coinbase "github.com/coinbase/step/machine"

	"github.com/sparta-go/sparta/step"
)

// passChain is step's publicPassChain: n Pass states with a Result and a
// ResultPath.
func passChain(n int) []byte {
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

const input = `{"a":0,"b":"x","c":[1,2,3]}`

// BenchmarkCoinbasePassChain100 is coinbase/step's Execute of the chain,
// parsed once (step's BenchmarkPublicPassChain100).
func BenchmarkCoinbasePassChain100(b *testing.B) {
	sm, err := coinbase.FromJSON(passChain(100))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sm.Execute(input); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkCoinbaseParseExecute parses and executes the chain per
// iteration (step's BenchmarkPublicParseExecute).
func BenchmarkCoinbaseParseExecute(b *testing.B) {
	def := passChain(100)
	b.ReportAllocs()
	for b.Loop() {
		sm, err := coinbase.FromJSON(def)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sm.Execute(input); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkStepPassChain100 and BenchmarkStepParseExecute repeat step's
// public benchmarks here, so one run measures both side by side.
func BenchmarkStepPassChain100(b *testing.B) {
	sm, err := step.FromJSON(passChain(100))
	if err != nil {
		b.Fatal(err)
	}
	sm.WithName("Chain")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if ex, err := sm.Execute(ctx, json.RawMessage(input), step.WithVirtualClock()); err != nil || ex.Status != step.StatusSucceeded {
			b.Fatal(err, ex)
		}
	}
	b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
}

func BenchmarkStepParseExecute(b *testing.B) {
	def := passChain(100)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		sm, err := step.FromJSON(def)
		if err != nil {
			b.Fatal(err)
		}
		sm.WithName("Chain")
		if ex, err := sm.Execute(ctx, json.RawMessage(input), step.WithVirtualClock()); err != nil || ex.Status != step.StatusSucceeded {
			b.Fatal(err, ex)
		}
	}
	b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
}
