// Package jsonvalue owns the JSON value model that the JSONPath evaluator,
// the intrinsic functions and the engine share: decoded JSON as
// encoding/json gives it with UseNumber (map[string]any, []any, string,
// json.Number, bool, nil), plus Go numbers that users pass in. It reads
// numbers exactly and compares values by JSON equality.
package jsonvalue

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
)

// Number reads any numeric representation as an exact int64 when the value
// is integral and fits, and as a float64 otherwise; comparing integers as
// int64 keeps IDs above 2^53 exact. ok is false for non-numbers and NaN.
func Number(v any) (i int64, f float64, isInt, ok bool) {
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
	case uint:
		return fromUint(uint64(n))
	case uint8:
		return int64(n), float64(n), true, true
	case uint16:
		return int64(n), float64(n), true, true
	case uint32:
		return int64(n), float64(n), true, true
	case uint64:
		return fromUint(n)
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

// CompareNumbers returns -1, 0 or 1; ok is false when either is not a number.
func CompareNumbers(a, b any) (c int, ok bool) {
	ai, af, aInt, aok := Number(a)
	bi, bf, bInt, bok := Number(b)
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
	}
	return 0, true
}

// Equal is JSON equality: numbers by value whatever their representation,
// arrays element-wise, objects member-wise.
func Equal(a, b any) bool {
	_, _, _, aNum := Number(a)
	_, _, _, bNum := Number(b)
	if aNum || bNum {
		c, ok := CompareNumbers(a, b)
		return ok && c == 0
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
		return ok && slices.EqualFunc(x, y, Equal)
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && maps.EqualFunc(x, y, Equal)
	}
	return false
}
