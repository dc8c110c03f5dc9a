package eventpattern_test

import (
	"testing"

	"github.com/sparta-go/sparta/internal/eventpattern"
)

// BenchmarkMatch measures matching one event against a pattern that uses
// several operators (the cost PutEvents pays per rule of the bus).
func BenchmarkMatch(b *testing.B) {
	p := eventpattern.MustCompile(`{"source":["aws.ec2"],"detail":{"state":[{"anything-but":["pending","stopping"]}],` +
		`"c-count":[{"numeric":[">",0,"<=",5]}],"FileName":[{"suffix":{"equals-ignore-case":".png"}}],"tags":["green"]}}`)
	ev := []byte(event)
	if !p.Match(ev) {
		b.Fatal("the pattern does not match the event")
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Match(ev)
	}
}
