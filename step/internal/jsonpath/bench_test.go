package jsonpath_test

import (
	"testing"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// The engine evaluates a handful of paths per state transition, so the
// simple, definite case must cost tens of nanoseconds and no allocations.

func BenchmarkGetSimple(b *testing.B) {
	doc := decode(b, `{"a": {"b": {"c": 1}, "x": 2}, "y": [1, 2, 3]}`)
	p := jsonpath.MustParse("$.a.b")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetSimple(b *testing.B) {
	doc := decode(b, `{"a": {"b": {"c": 1}, "x": 2}, "y": [1, 2, 3]}`)
	p := jsonpath.MustParse("$.a.b")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Set(doc, "result"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetFilter(b *testing.B) {
	doc := decode(b, store)
	p := jsonpath.MustParse("$.store.book[?(@.price < 10 && @.category == 'fiction')].title")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonpath.Parse("$.store.book[?(@.price < 10)].title"); err != nil {
			b.Fatal(err)
		}
	}
}
