package engine

import (
	"strconv"
	"strings"
)

// evalMapLimit reads a Map state's MaxConcurrencyPath or
// ToleratedFailureCountPath as AWS does (recorded AWS behaviour, with the
// texts AWS writes): an integer or a string holding one ("1"); anything
// else, or a negative number, fails the execution with States.Runtime.
func (f *frame) evalMapLimit(fd intField, doc any) (int64, bool, *failure) {
	v, fl := f.getPath(fd.path, doc, fd.field)
	if fl != nil {
		return 0, false, fl
	}
	n, ok := toInt(v)
	if s, isStr := v.(string); isStr {
		i, err := strconv.ParseInt(s, 10, 64)
		n, ok = i, err == nil
	}
	if !ok {
		return 0, false, runtimeFailure(`The %s field refers to value "%s" which is not a valid integer: %s`, fd.field, limitText(v), fd.path)
	}
	if n < 0 {
		if strings.HasPrefix(fd.field, "MaxConcurrency") {
			return 0, false, runtimeFailure("Expected non-negative integer for MaxConcurrency, got '%d' instead.", n)
		}
		return 0, false, runtimeFailure("ToleratedFailureCount cannot be negative.")
	}
	return n, true, nil
}

// limitText is a selected value as AWS quotes it in these causes: a string
// as it is, anything else as JSON.
func limitText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(marshalValue(v))
}
