package intrinsic

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// number reads any numeric representation as an exact int64 when the value
// is integral and fits, and as a float64 otherwise.
func number(v any) (i int64, f float64, isInt, ok bool) {
	switch n := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i, float64(i), true, true
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return 0, 0, false, false
			}
		}
		return fromFloat(f)
	case float64:
		return fromFloat(n)
	case float32:
		return fromFloat(float64(n))
	case int:
		return int64(n), float64(n), true, true
	case int8:
		return int64(n), float64(n), true, true
	case int16:
		return int64(n), float64(n), true, true
	case int32:
		return int64(n), float64(n), true, true
	case int64:
		return n, float64(n), true, true
	case uint8:
		return int64(n), float64(n), true, true
	case uint16:
		return int64(n), float64(n), true, true
	case uint32:
		return int64(n), float64(n), true, true
	case uint:
		return fromUint(uint64(n))
	case uint64:
		return fromUint(n)
	}
	return 0, 0, false, false
}

func fromFloat(f float64) (int64, float64, bool, bool) {
	if math.IsNaN(f) {
		return 0, 0, false, false
	}
	if f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 {
		return int64(f), f, true, true
	}
	return 0, f, false, true
}

func fromUint(u uint64) (int64, float64, bool, bool) {
	if u <= math.MaxInt64 {
		return int64(u), float64(u), true, true
	}
	return 0, float64(u), false, true
}

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

// equal is JSON equality, comparing numbers by value whatever their
// representation.
func equal(a, b any) bool {
	ai, af, aInt, aok := number(a)
	bi, bf, bInt, bok := number(b)
	if aok || bok {
		if !aok || !bok {
			return false
		}
		if aInt && bInt {
			return ai == bi
		}
		return af == bf
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, equal)
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && maps.EqualFunc(x, y, equal)
	}
	return false
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
