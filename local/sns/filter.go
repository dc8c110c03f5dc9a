package sns

import (
	"encoding/json"

	"fmt"
	"strconv"
	"strings"
)

// filterPolicy is a subscription's FilterPolicy: each key names a message
// attribute (or, with FilterPolicyScope MessageBody, a property of the
// JSON message, nested policies for nested objects) and lists the values
// it may take; a message matches when every key matches one of its
// conditions.
// See https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
type filterPolicy map[string]any

// parseFilterPolicy reads a FilterPolicy and checks its conditions.
func parseFilterPolicy(s string) (filterPolicy, error) {
	var p filterPolicy
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return nil, fmt.Errorf("the policy is not a JSON object: %v", err)
	}
	return p, checkPolicy(p)
}

func checkPolicy(p map[string]any) error {
	for k, v := range p {
		switch c := v.(type) {
		case map[string]any:
			if err := checkPolicy(c); err != nil {
				return err
			}
		case []any:
			for _, cond := range c {
				if m, ok := cond.(map[string]any); ok {
					if len(m) != 1 {
						return fmt.Errorf("key %q: a condition object has one operator", k)
					}
					for op := range m {
						switch op {
						case "prefix", "suffix", "anything-but", "numeric", "exists", "equals-ignore-case":
						default:
							return fmt.Errorf("key %q: unrecognized match type %s", k, op)
						}
					}
				}
			}
		default:
			return fmt.Errorf("key %q: the value must be an array of conditions", k)
		}
	}
	return nil
}

// matchesFilter reports whether the subscription's filter policy (if any)
// lets m through.
func matchesFilter(sub Subscription, m Message) (bool, error) {
	raw := sub.Attributes["FilterPolicy"]
	if raw == "" {
		return true, nil
	}
	p, err := parseFilterPolicy(raw)
	if err != nil {
		return false, err
	}
	if sub.Attributes["FilterPolicyScope"] == "MessageBody" {
		var body map[string]any
		if json.Unmarshal([]byte(messageFor(sub.Protocol, m)), &body) != nil {
			return false, nil // a body that is not a JSON object matches no policy
		}
		return matchObject(p, body), nil
	}
	values := map[string]any{}
	for k, a := range m.Attributes {
		switch {
		case strings.HasPrefix(a.DataType, "Number"):
			if f, err := strconv.ParseFloat(a.StringValue, 64); err == nil {
				values[k] = f
			}
		case strings.HasPrefix(a.DataType, "String.Array"):
			var list []any
			if json.Unmarshal([]byte(a.StringValue), &list) == nil {
				values[k] = list
			}
		case strings.HasPrefix(a.DataType, "String"):
			values[k] = a.StringValue
		}
	}
	return matchObject(p, values), nil
}

// matchObject matches every key of the policy against obj.
func matchObject(p map[string]any, obj map[string]any) bool {
	for k, cond := range p {
		v, present := obj[k]
		switch c := cond.(type) {
		case map[string]any:
			inner, ok := v.(map[string]any)
			if !ok || !matchObject(c, inner) {
				return false
			}
		case []any:
			if !matchKey(c, v, present) {
				return false
			}
		}
	}
	return true
}

// matchKey: one of the conditions holds for the value (or, for an array
// value, for one of its elements).
func matchKey(conds []any, v any, present bool) bool {
	values := []any{v}
	if list, ok := v.([]any); ok {
		values = list
	}
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok {
			if e, ok := m["exists"].(bool); ok {
				if e == present {
					return true
				}
				continue
			}
		}
		if !present {
			continue
		}
		for _, val := range values {
			if matchCondition(c, val) {
				return true
			}
		}
	}
	return false
}

func matchCondition(c, v any) bool {
	switch cv := c.(type) {
	case string:
		s, ok := v.(string)
		return ok && s == cv
	case float64:
		f, ok := v.(float64)
		return ok && f == cv
	case bool:
		b, ok := v.(bool)
		return ok && b == cv
	case nil:
		return v == nil
	case map[string]any:
		for op, arg := range cv {
			switch op {
			case "prefix", "suffix", "equals-ignore-case":
				s, ok := v.(string)
				a, _ := arg.(string)
				switch {
				case !ok:
					return false
				case op == "prefix":
					return strings.HasPrefix(s, a)
				case op == "suffix":
					return strings.HasSuffix(s, a)
				default:
					return strings.EqualFold(s, a)
				}
			case "anything-but":
				switch a := arg.(type) {
				case []any:
					for _, x := range a {
						if matchCondition(x, v) {
							return false
						}
					}
					return true
				case map[string]any:
					return !matchCondition(a, v)
				default:
					return !matchCondition(a, v)
				}
			case "numeric":
				f, ok := v.(float64)
				ops, _ := arg.([]any)
				return ok && numeric(ops, f)
			}
		}
	}
	return false
}

// numeric evaluates ["<", 5, ">=", 1]-style comparisons.
func numeric(ops []any, f float64) bool {
	if len(ops)%2 != 0 || len(ops) == 0 {
		return false
	}
	for i := 0; i < len(ops); i += 2 {
		op, _ := ops[i].(string)
		n, ok := ops[i+1].(float64)
		if !ok {
			return false
		}
		var hold bool
		switch op {
		case "=":
			hold = f == n
		case "<":
			hold = f < n
		case "<=":
			hold = f <= n
		case ">":
			hold = f > n
		case ">=":
			hold = f >= n
		default:
			return false
		}
		if !hold {
			return false
		}
	}
	return true
}
