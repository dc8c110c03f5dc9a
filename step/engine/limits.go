package engine

import (
	"encoding/json"
	"unicode/utf8"
)

// MaxPayloadBytes is the largest state input or output, in bytes of JSON,
// that Step Functions passes: 256 KiB. A state whose output is larger fails
// with States.DataLimitExceeded, which States.ALL does not catch.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
// (maximum input or output size for a task, state, or execution) and
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
const MaxPayloadBytes = 262144

// dataLimit fails a state whose output exceeds MaxPayloadBytes. inBound
// bounds the size of the state's input (0: unknown); it returns a bound on
// the output's size for the next state's check. When a bound known without
// walking the output is within the limit, the output is not walked; else
// its exact size is measured.
func dataLimit(s *state, inBound int, out any) (int, *failure) {
	if b := sizeBound(s, inBound); b > 0 && b <= MaxPayloadBytes {
		return b, nil
	}
	if n := jsonSize(out, MaxPayloadBytes); n <= MaxPayloadBytes {
		return n, nil
	}
	return 0, &failure{name: ErrDataLimitExceeded, fatal: true,
		cause: "The state/task '" + s.name + "' returned a result with a size exceeding the maximum number of bytes service limit."}
}

// sizeBound bounds the JSON size of the output a state produced from an
// input of at most inBound bytes, or is 0 when it cannot tell (see
// passGrowth).
func sizeBound(s *state, inBound int) int {
	switch {
	case s.kind != kindPass || s.outGrow == 0:
		return 0
	case !s.outOfInput:
		return s.outGrow
	case inBound == 0:
		return 0
	}
	return inBound + s.outGrow
}

// jsonSize is the length of v marshaled as compact JSON, computed without
// marshaling; it stops counting once past limit.
func jsonSize(v any, limit int) int {
	switch x := v.(type) {
	case nil:
		return 4
	case bool:
		if x {
			return 4
		}
		return 5
	case string:
		return quotedSize(x)
	case json.Number:
		return len(x)
	case map[string]any:
		n := 2 + max(len(x)-1, 0) // braces and commas
		for k, e := range x {
			n += quotedSize(k) + 1 + jsonSize(e, limit-n)
			if n > limit {
				return n
			}
		}
		return n
	case []any:
		n := 2 + max(len(x)-1, 0)
		for _, e := range x {
			n += jsonSize(e, limit-n)
			if n > limit {
				return n
			}
		}
		return n
	}
	return len(marshalValue(v))
}

// quotedSize is the length of s as a JSON string as encoding/json writes
// it: quotes, two-byte escapes, \u00XX for other control characters and
// for <, > and &, \ufffd for invalid UTF-8.
func quotedSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			n += 6
		case r == '\u2028' || r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}
