package intrinsic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
)

// evalStringToJSON parses a string holding JSON text (States.StringToJson).
// Numbers come back as json.Number, like the rest of the engine's data.
// An empty or blank string is null (recorded AWS behaviour).
func evalStringToJSON(c *Call, args []any, _ *Env) (any, error) {
	if strings.TrimSpace(args[0].(string)) == "" {
		return nil, nil
	}
	d := json.NewDecoder(strings.NewReader(args[0].(string)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, failf(c.Name, fmt.Sprintf("argument 1 is not valid JSON: %v", err))
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, failf(c.Name, "argument 1 has text after the JSON value")
	}
	return v, nil
}

// evalJSONToString serializes a value as compact JSON (States.JsonToString).
// HTML characters are not escaped, matching Step Functions' output.
func evalJSONToString(c *Call, args []any, _ *Env) (any, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(args[0]); err != nil {
		return nil, failf(c.Name, fmt.Sprintf("cannot serialize argument 1: %v", err))
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func checkJSONMerge(c *Call) string {
	if a := &c.Args[2]; a.Kind == ArgBool && a.Bool {
		return "deep merge is not supported; argument 3 must be false"
	}
	return ""
}

// evalJSONMerge merges two objects shallowly, the second's keys winning
// (States.JsonMerge). AWS supports only the shallow mode, so the third
// argument must be false.
func evalJSONMerge(c *Call, args []any, _ *Env) (any, error) {
	if args[2].(bool) {
		return nil, failf(c.Name, "deep merge is not supported; argument 3 must be false")
	}
	a, b := args[0].(map[string]any), args[1].(map[string]any)
	out := make(map[string]any, len(a)+len(b))
	maps.Copy(out, a)
	maps.Copy(out, b)
	return out, nil
}
