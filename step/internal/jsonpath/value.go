package jsonpath

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
)

// number converts any numeric representation to an exact int64 when the
// value is integral and fits, or to a float64 otherwise. Comparing integers
// as int64 keeps ids above 2^53 exact.
func number(v any) (i int64, f float64, isInt, ok bool) {
	switch n := v.(type) {
	case json.Number:
		// Check the shape first: a failed ParseInt allocates its error, and
		// filters compare numbers such as 8.95 on every element.
		if isIntText(string(n)) {
			if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
				return i, float64(i), true, true
			}
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil && !isRangeErr(err) {
			return 0, 0, false, false
		}
		return floatNumber(f)
	case float64:
		return floatNumber(n)
	case float32:
		return floatNumber(float64(n))
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
	case uint:
		return uintNumber(uint64(n))
	case uint8:
		return int64(n), float64(n), true, true
	case uint16:
		return int64(n), float64(n), true, true
	case uint32:
		return int64(n), float64(n), true, true
	case uint64:
		return uintNumber(n)
	}
	return 0, 0, false, false
}

// isIntText reports whether s is an optionally negative run of digits.
func isIntText(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func floatNumber(f float64) (int64, float64, bool, bool) {
	if f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 {
		return int64(f), f, true, true
	}
	return 0, f, false, true
}

func uintNumber(u uint64) (int64, float64, bool, bool) {
	if u <= math.MaxInt64 {
		return int64(u), float64(u), true, true
	}
	return 0, float64(u), false, true
}

// compareNumbers returns -1, 0 or 1; ok is false when either is not a number.
func compareNumbers(a, b any) (c int, ok bool) {
	ai, af, aInt, aok := number(a)
	bi, bf, bInt, bok := number(b)
	if !aok || !bok {
		return 0, false
	}
	if aInt && bInt {
		switch {
		case ai < bi:
			return -1, true
		case ai > bi:
			return 1, true
		}
		return 0, true
	}
	switch {
	case af < bf:
		return -1, true
	case af > bf:
		return 1, true
	case af == bf:
		return 0, true
	}
	return 0, false // NaN cannot come from JSON but may from Go values
}

// equal is JSON equality: numbers by value whatever their representation,
// arrays element-wise, objects member-wise.
func equal(a, b any) bool {
	if c, ok := compareNumbers(a, b); ok {
		return c == 0
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
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

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
