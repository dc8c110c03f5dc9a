package jsonpath

import (
	"maps"
	"slices"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

// number, compareNumbers and equal are the shared JSON value model's.
func number(v any) (int64, float64, bool, bool) { return jsonvalue.Number(v) }

func compareNumbers(a, b any) (int, bool) { return jsonvalue.CompareNumbers(a, b) }

func equal(a, b any) bool { return jsonvalue.Equal(a, b) }

// less orders numbers by value and strings by their bytes (code point
// order). Other types are unordered, so every ordering comparison on them is
// false, as in Jayway and RFC 9535.
func less(a, b any) bool {
	if c, ok := compareNumbers(a, b); ok {
		return c < 0
	}
	x, ok := a.(string)
	if !ok {
		return false
	}
	y, ok := b.(string)
	return ok && x < y
}

// sortedKeys returns the keys of m in sorted order, the order in which
// wildcards and recursive descent visit object members.
func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
