package intrinsic

import (
	"fmt"
	"slices"
	"strings"
)

// maxRange is the largest array States.ArrayRange may build.
const maxRange = 1000

// evalArray returns its arguments as an array (States.Array).
func evalArray(_ *Call, args []any, _ *Env) (any, error) {
	if args == nil {
		return []any{}, nil
	}
	return args, nil
}

// evalArrayPartition splits an array into chunks of a rounded, positive
// size; the last chunk may be shorter (States.ArrayPartition).
func evalArrayPartition(c *Call, args []any, _ *Env) (any, error) {
	arr := args[0].([]any)
	size, err := toInt(c.Name, 2, args[1], true)
	if err != nil {
		return nil, err
	}
	if size < 1 {
		return nil, failf(c.Name, fmt.Sprintf("chunk size must be a positive integer, got %v", args[1]))
	}
	n := len(arr)
	chunk := int(min(size, int64(max(n, 1))))
	out := make([]any, 0, (n+chunk-1)/chunk)
	for i := 0; i < n; i += chunk {
		// Clone so that the result never aliases the input's backing array.
		out = append(out, slices.Clone(arr[i:min(i+chunk, n)]))
	}
	return out, nil
}

// evalArrayContains reports whether the array holds a value equal to the
// second argument (States.ArrayContains).
func evalArrayContains(_ *Call, args []any, _ *Env) (any, error) {
	return slices.ContainsFunc(args[0].([]any), func(v any) bool { return equal(v, args[1]) }), nil
}

// evalArrayRange builds [start, start+step, ...] up to and including end
// when the steps land on it (States.ArrayRange). Arguments are rounded, step
// must not be 0 and the result holds at most 1000 items.
func evalArrayRange(c *Call, args []any, _ *Env) (any, error) {
	var v [3]int64
	for i := range v {
		n, err := toInt(c.Name, i+1, args[i], true)
		if err != nil {
			return nil, err
		}
		v[i] = n
	}
	start, end, step := v[0], v[1], v[2]
	if step == 0 {
		return nil, failf(c.Name, "step (argument 3) must not be 0")
	}
	// Count in uint64 so that extreme bounds cannot overflow: the distance
	// fits in a uint64, and quotient+1 is only formed once it is known small.
	var dist, mag uint64
	switch {
	case step > 0 && end >= start:
		dist, mag = uint64(end)-uint64(start), uint64(step)
	case step < 0 && end <= start:
		// -(step+1)+1 is |step| without overflowing at math.MinInt64.
		dist, mag = uint64(start)-uint64(end), uint64(-(step+1))+1
	default:
		return []any{}, nil
	}
	if q := dist / mag; q >= maxRange {
		return nil, failf(c.Name, fmt.Sprintf("the range would hold more than %d items", maxRange))
	}
	count := dist/mag + 1
	out := make([]any, count)
	for i := range out {
		out[i] = intNumber(start + int64(i)*step)
	}
	return out, nil
}

// evalArrayGetItem returns the item at an index (States.ArrayGetItem).
func evalArrayGetItem(c *Call, args []any, _ *Env) (any, error) {
	arr := args[0].([]any)
	idx, err := toInt(c.Name, 2, args[1], false)
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx >= int64(len(arr)) {
		return nil, failf(c.Name, fmt.Sprintf("index %d is out of range for an array of length %d", idx, len(arr)))
	}
	return arr[idx], nil
}

// evalArrayLength returns the number of items (States.ArrayLength).
func evalArrayLength(_ *Call, args []any, _ *Env) (any, error) {
	return intNumber(int64(len(args[0].([]any)))), nil
}

// evalArrayUnique removes duplicates, keeping the first occurrence of each
// value (States.ArrayUnique). Values are compared as JSON, so 1 and 1.0 are
// duplicates.
func evalArrayUnique(_ *Call, args []any, _ *Env) (any, error) {
	arr := args[0].([]any)
	seen := make(map[string]struct{}, len(arr))
	out := make([]any, 0, len(arr))
	var b strings.Builder
	for _, v := range arr {
		b.Reset()
		writeKey(&b, v)
		if _, dup := seen[b.String()]; dup {
			continue
		}
		seen[b.String()] = struct{}{}
		out = append(out, v)
	}
	return out, nil
}
