package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// pathStep is one step of a JSONPath: a member name, or an index (name
// empty).
type pathStep struct {
	name  string
	index int
}

// parsePath reads the JSONPath subset EventBridge's InputPath and
// InputPathsMap use: $, .name, ['name'] and [n].
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
func parsePath(p string) ([]pathStep, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, errors.New("a path starts with $")
	}
	var steps []pathStep
	rest := p[1:]
	for rest != "" {
		switch {
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			name := rest[1 : 1+end]
			if name == "" {
				return nil, fmt.Errorf("an empty member name at %q", rest)
			}
			steps = append(steps, pathStep{name: name})
			rest = rest[1+end:]
		case strings.HasPrefix(rest, "['"):
			end := strings.Index(rest, "']")
			if end < 2 {
				return nil, fmt.Errorf("an unterminated ['name'] at %q", rest)
			}
			steps = append(steps, pathStep{name: rest[2:end]})
			rest = rest[end+2:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			n, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || n < 0 {
				return nil, fmt.Errorf("an index is [n] with n ≥ 0, at %q", rest)
			}
			steps = append(steps, pathStep{name: "", index: n})
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q", rest)
		}
	}
	return steps, nil
}

// lookup returns the value at a parsed path.
func lookup(v any, steps []pathStep) (any, bool) {
	for _, st := range steps {
		if st.name != "" {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[st.name]; !ok {
				return nil, false
			}
			continue
		}
		a, ok := v.([]any)
		if !ok || st.index >= len(a) {
			return nil, false
		}
		v = a[st.index]
	}
	return v, true
}

// reserved is the prefix of the predefined variables of an input
// template, which InputPathsMap may not use.
const reserved = "aws.events."

func checkTransformer(t *InputTransformer) error {
	if t == nil {
		return nil
	}
	if t.InputTemplate == "" || len(t.InputTemplate) > 8192 {
		return errors.New("InputTransformer.InputTemplate must have 1 to 8192 characters")
	}
	if len(t.InputPathsMap) > 100 {
		return errors.New("InputTransformer.InputPathsMap has more than 100 entries")
	}
	for k, p := range t.InputPathsMap {
		if strings.HasPrefix(k, reserved) {
			return fmt.Errorf("InputTransformer.InputPathsMap key %q uses the reserved prefix %q", k, reserved)
		}
		if _, err := parsePath(p); err != nil {
			return fmt.Errorf("InputTransformer.InputPathsMap[%q] = %q is not a valid path: %w", k, p, err)
		}
	}
	return nil
}

// delivery is what a target's input is built from.
type delivery struct {
	event    map[string]any
	raw      []byte // the event's JSON
	ruleARN  string
	ruleName string
	ingested string
}

// input builds a target's payload: Input as given, the part of the event
// at InputPath, InputTransformer's template filled in, or the event.
func (d *delivery) input(t Target) []byte {
	switch {
	case t.Input != "":
		return []byte(t.Input)
	case t.InputPath != "":
		steps, _ := parsePath(t.InputPath)
		v, ok := lookup(d.event, steps)
		if !ok {
			return []byte("null")
		}
		b, _ := json.Marshal(v)
		return b
	case t.InputTransformer != nil:
		return []byte(d.transform(t.InputTransformer))
	}
	return d.raw
}

// transform fills the template's <name> placeholders. Inside a JSON
// string, a value goes in as text (a string without its quotes, anything
// else as its JSON), escaped for the string; outside, as JSON. A template
// that is not JSON is text, and values go in as text unescaped. A path
// missing from the event is null outside quotes and empty inside.
func (d *delivery) transform(t *InputTransformer) string {
	vars := map[string]any{
		"aws.events.rule-arn":             d.ruleARN,
		"aws.events.rule-name":            d.ruleName,
		"aws.events.event.ingestion-time": d.ingested,
		"aws.events.event":                json.RawMessage(d.withoutDetail()),
		"aws.events.event.json":           json.RawMessage(d.raw),
	}
	for k, p := range t.InputPathsMap {
		steps, _ := parsePath(p)
		if v, ok := lookup(d.event, steps); ok {
			vars[k] = v
		} else {
			vars[k] = nil
		}
	}
	var out strings.Builder
	tpl := t.InputTemplate
	// A template that is not JSON (neither an object, an array nor a
	// string) is text: values go in as text, as in AWS's
	// "<instance> is in state <status>".
	trimmed := strings.TrimSpace(tpl)
	text := trimmed == "" || !strings.ContainsAny(trimmed[:1], "{[\"")
	inString := text
	for i := 0; i < len(tpl); i++ {
		c := tpl[i]
		switch {
		case c == '\\' && inString && !text && i+1 < len(tpl):
			out.WriteByte(c)
			out.WriteByte(tpl[i+1])
			i++
			continue
		case c == '"' && !text:
			inString = !inString
		case c == '<':
			if end := strings.IndexByte(tpl[i:], '>'); end > 0 {
				if v, ok := vars[tpl[i+1:i+end]]; ok {
					out.WriteString(render(v, inString, text))
					i += end
					continue
				}
			}
		}
		out.WriteByte(c)
	}
	return out.String()
}

func render(v any, inString, plain bool) string {
	if !inString {
		b, _ := json.Marshal(v)
		return string(b)
	}
	var text string
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		text = x
	default:
		b, _ := json.Marshal(x)
		text = string(b)
	}
	if plain {
		return text
	}
	b, _ := json.Marshal(text)
	return string(b[1 : len(b)-1])
}

// withoutDetail is the event without its detail field, what
// <aws.events.event> stands for.
func (d *delivery) withoutDetail() []byte {
	m := make(map[string]any, len(d.event))
	for k, v := range d.event {
		if k != "detail" {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}
