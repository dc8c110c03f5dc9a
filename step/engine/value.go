package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

// Values flowing through an execution are decoded JSON as
// encoding/json.Decoder.UseNumber produces it: map[string]any, []any, string,
// json.Number, bool and nil. They are treated as immutable once created:
// every step that changes a document (ResultPath, Parameters) builds a new one
// and shares the untouched parts. That lets history events and parallel
// branches hold references instead of copies, and lets a state pass its
// output to the next without marshaling.

// decodeJSON decodes one JSON document into the value model.
func decodeJSON(data []byte) (any, error) { return jsonvalue.Decode(data) }

// normalize converts a value produced by an embedder (a task result) into the
// value model. Model values pass through without copying; Go numbers become
// json.Number; raw JSON is decoded; anything else goes through
// encoding/json, as a Lambda handler's result would.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, json.Number:
		return v, nil
	case json.RawMessage:
		if len(x) == 0 {
			return nil, nil
		}
		return decodeJSON(x)
	case []byte:
		return decodeJSON(x)
	case map[string]any:
		if isModel(x) {
			return x, nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case []any:
		if isModel(x) {
			return x, nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case float64:
		return floatNumber(x)
	case float32:
		return floatNumber(float64(x))
	case int:
		return json.Number(strconv.Itoa(x)), nil
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), nil
	case int32:
		return json.Number(strconv.FormatInt(int64(x), 10)), nil
	case uint64:
		return json.Number(strconv.FormatUint(x, 10)), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return decodeJSON(data)
}

// isModel reports whether v holds only value-model types.
func isModel(v any) bool {
	switch x := v.(type) {
	case nil, string, bool, json.Number:
		return true
	case map[string]any:
		for _, e := range x {
			if !isModel(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range x {
			if !isModel(e) {
				return false
			}
		}
		return true
	}
	return false
}

// floatNumber formats f the way encoding/json (and JavaScript) print
// numbers: integers without a fraction or exponent.
func floatNumber(f float64) (json.Number, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("number %v cannot be represented in JSON", f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), nil
	}
	abs := math.Abs(f)
	fmtByte := byte('f')
	if abs < 1e-6 || abs >= 1e21 {
		fmtByte = 'e'
	}
	return json.Number(strconv.FormatFloat(f, fmtByte, -1, 64)), nil
}

// toFloat reads a model number (or a Go number) as float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// toInt reads a number that must be a whole number, as the ASL fields
// TimeoutSeconds, Seconds, MaxConcurrency and friends require.
func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i, true
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false
		}
		return int64(f), true
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, false
		}
		return int64(x), true
	case int:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

// compareNumbers compares two model numbers exactly when both are integers
// and as float64 otherwise.
func compareNumbers(a, b json.Number) int {
	if ai, err := strconv.ParseInt(string(a), 10, 64); err == nil {
		if bi, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			switch {
			case ai < bi:
				return -1
			case ai > bi:
				return 1
			}
			return 0
		}
	}
	af, _ := strconv.ParseFloat(string(a), 64)
	bf, _ := strconv.ParseFloat(string(b), 64)
	switch {
	case af < bf:
		return -1
	case af > bf:
		return 1
	}
	return 0
}

// marshalValue encodes a model value. Model values always encode; the error
// is kept for values that came from outside.
func marshalValue(v any) json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		data, _ = json.Marshal(err.Error())
	}
	return data
}

// typeName names a value's JSON type for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64, int, int64:
		return "a number"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}
