package intrinsic

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

// number and equal are the shared JSON value model's.
func number(v any) (int64, float64, bool, bool) { return jsonvalue.Number(v) }

func equal(a, b any) bool { return jsonvalue.Equal(a, b) }

// toInt converts a numeric argument to an integer. AWS documents that
// non-integer arguments of ArrayPartition, ArrayRange, MathRandom and
// MathAdd are rounded to the nearest integer; Step Functions runs on the
// JVM, so ties round up as Java's Math.round does (2.5 -> 3, -2.5 -> -2).
// With round false a non-integer is an error.
func toInt(name string, pos int, v any, round bool) (int64, error) {
	i, f, isInt, ok := number(v)
	if !ok {
		return 0, failf(name, fmt.Sprintf("argument %d must be a number, got %s", pos, kindOf(v)))
	}
	if isInt {
		return i, nil
	}
	if !round {
		return 0, failf(name, fmt.Sprintf("argument %d must be an integer, got %v", pos, v))
	}
	r := math.Floor(f + 0.5)
	if math.IsInf(r, 0) || r < -(1<<63) || r >= 1<<63 {
		return 0, failf(name, fmt.Sprintf("argument %d is out of range: %v", pos, v))
	}
	return int64(r), nil
}

func intNumber(i int64) json.Number { return json.Number(strconv.FormatInt(i, 10)) }

// kindOf names a value's JSON type for error messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	if _, _, _, ok := number(v); ok {
		return "a number"
	}
	return fmt.Sprintf("a Go %T", v)
}

// writeKey appends a canonical encoding of v, equal for values that equal
// reports as equal, so that ArrayUnique runs in linear time.
func writeKey(b *strings.Builder, v any) {
	if i, f, isInt, ok := number(v); ok {
		if isInt {
			b.WriteString("n" + strconv.FormatInt(i, 10))
		} else {
			b.WriteString("n" + strconv.FormatFloat(f, 'g', -1, 64))
		}
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		b.WriteString(strconv.Quote(x))
	case []any:
		b.WriteByte('[')
		for _, e := range x {
			writeKey(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for _, k := range slices.Sorted(maps.Keys(x)) {
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			writeKey(b, x[k])
			b.WriteByte(',')
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%T:%v", v, v)
	}
}

// formatValue renders a value for a States.Format placeholder the way Step
// Functions does: strings as they are, other scalars as JSON, arrays as
// [a, b] and objects as {key=value, ...} (Java's toString; object keys are
// sorted because Go maps have no order).
func formatValue(b *strings.Builder, v any) {
	switch x := v.(type) {
	case string:
		b.WriteString(x)
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case json.Number:
		b.WriteString(string(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			formatValue(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range slices.Sorted(maps.Keys(x)) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteByte('=')
			formatValue(b, x[k])
		}
		b.WriteByte('}')
	default:
		if i, f, isInt, ok := number(v); ok {
			if isInt {
				b.WriteString(strconv.FormatInt(i, 10))
			} else {
				b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
			}
			return
		}
		fmt.Fprint(b, v)
	}
}
