package eventpattern

import (
	"encoding/json"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// matcher is one alternative of a leaf.
type matcher interface {
	match(v any) bool
}

// exact matches a string, number, boolean or null equal to its value;
// numbers compare by value (5 and 5.0 are equal), a string never equals a
// number.
type exact struct{ v any }

func (e exact) match(v any) bool {
	switch want := e.v.(type) {
	case nil:
		return v == nil
	case string:
		s, ok := v.(string)
		return ok && s == want
	case bool:
		b, ok := v.(bool)
		return ok && b == want
	case json.Number:
		w, _ := want.Float64()
		n, ok := number(v)
		return ok && n == w
	}
	return false
}

// number reads a JSON number of an event.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

type stringTest func(s string) bool

func (f stringTest) match(v any) bool {
	s, ok := v.(string)
	return ok && f(s)
}

// not negates the string and number tests of anything-but. A value of
// another type (a boolean, null) is never matched by anything-but.
type not struct{ m matcher }

func (n not) match(v any) bool {
	switch v.(type) {
	case string, json.Number, float64, int:
		return !n.m.match(v)
	}
	return false
}

type anyOf []matcher

func (a anyOf) match(v any) bool {
	for _, m := range a {
		if m.match(v) {
			return true
		}
	}
	return false
}

// compileOperator reads one operator object of a leaf's array.
func compileOperator(x map[string]any) (matcher, error) {
	if len(x) != 1 {
		return nil, invalid("an operator object has exactly one key (prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr)")
	}
	for op, arg := range x {
		switch op {
		case "prefix", "suffix":
			return affix(op, arg)
		case "equals-ignore-case":
			s, ok := arg.(string)
			if !ok {
				return nil, invalid("equals-ignore-case match pattern must be a string")
			}
			return stringTest(func(v string) bool { return strings.EqualFold(v, s) }), nil
		case "wildcard":
			s, ok := arg.(string)
			if !ok {
				return nil, invalid("wildcard match pattern must be a string")
			}
			return wildcard(s)
		case "anything-but":
			return anythingBut(arg)
		case "numeric":
			return numeric(arg)
		case "cidr":
			s, ok := arg.(string)
			if !ok {
				return nil, invalid("cidr match pattern must be a string")
			}
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, invalid("Nonstandard IP address: %s", s)
			}
			return stringTest(func(v string) bool {
				a, err := netip.ParseAddr(v)
				return err == nil && p.Contains(a)
			}), nil
		case "exists":
			return nil, invalid("exists match pattern must be the only value of its field")
		default:
			return nil, invalid("Unrecognized match type %s", op)
		}
	}
	return nil, nil // unreachable: len(x) == 1
}

// affix is prefix or suffix, on a string or {"equals-ignore-case": s}.
func affix(op string, arg any) (matcher, error) {
	s, ok := arg.(string)
	fold := false
	if m, isObj := arg.(map[string]any); isObj && len(m) == 1 {
		s, ok = m["equals-ignore-case"].(string)
		fold = true
	}
	if !ok {
		return nil, invalid("%s match pattern must be a string or {\"equals-ignore-case\": string}", op)
	}
	if fold {
		s = strings.ToLower(s)
	}
	has := strings.HasPrefix
	if op == "suffix" {
		has = strings.HasSuffix
	}
	return stringTest(func(v string) bool {
		if fold {
			v = strings.ToLower(v)
		}
		return has(v, s)
	}), nil
}

// wildcard compiles a pattern where * matches any run of characters and
// \* a literal asterisk (\\ a backslash). Consecutive * are refused as on
// AWS.
func wildcard(p string) (matcher, error) {
	var parts []string // literal pieces between stars
	var cur strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			if i+1 >= len(p) || (p[i+1] != '*' && p[i+1] != '\\') {
				return nil, invalid("Invalid escape character at pos %d", i)
			}
			i++
			cur.WriteByte(p[i])
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				return nil, invalid("Consecutive wildcard characters at pos %d", i+1)
			}
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	parts = append(parts, cur.String())
	return stringTest(func(v string) bool { return globMatch(parts, v) }), nil
}

// globMatch: parts[0] is a prefix, the last part a suffix, the others
// appear in order between them.
func globMatch(parts []string, v string) bool {
	if len(parts) == 1 {
		return v == parts[0]
	}
	if !strings.HasPrefix(v, parts[0]) {
		return false
	}
	v = v[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(v, mid)
		if i < 0 {
			return false
		}
		v = v[i+len(mid):]
	}
	return len(v) >= len(last) && strings.HasSuffix(v, last)
}

// anythingBut is a value, a list of strings or of numbers, or one of
// prefix, suffix, equals-ignore-case or wildcard (a string or a list).
func anythingBut(arg any) (matcher, error) {
	switch x := arg.(type) {
	case string, json.Number:
		return not{exact{x}}, nil
	case []any:
		if len(x) == 0 {
			return nil, invalid("Empty arrays are not allowed")
		}
		var ms anyOf
		_, strs := x[0].(string)
		for _, e := range x {
			_, isStr := e.(string)
			_, isNum := e.(json.Number)
			if (!isStr && !isNum) || isStr != strs {
				return nil, invalid("Inside anything but list, start|null|boolean is not supported.")
			}
			ms = append(ms, exact{e})
		}
		return not{ms}, nil
	case map[string]any:
		if len(x) != 1 {
			return nil, invalid("Unsupported anything-but pattern: an object takes one of prefix, suffix, equals-ignore-case, wildcard")
		}
		for op, v := range x {
			vals := []any{v}
			if l, isList := v.([]any); isList && op != "prefix" && op != "suffix" {
				vals = l
			}
			var ms anyOf
			for _, s := range vals {
				str, ok := s.(string)
				if !ok {
					return nil, invalid("Inside anything but list, start|null|boolean is not supported.")
				}
				var m matcher
				var err error
				switch op {
				case "prefix", "suffix":
					if str == "" {
						return nil, invalid("Null %s not allowed for anything-but", op)
					}
					m, err = affix(op, str)
				case "equals-ignore-case":
					m = stringTest(func(v string) bool { return strings.EqualFold(v, str) })
				case "wildcard":
					m, err = wildcard(str)
				default:
					return nil, invalid("Unsupported anything-but pattern: %s", op)
				}
				if err != nil {
					return nil, err
				}
				ms = append(ms, m)
			}
			// A prefix or suffix test applies to strings only: a number
			// is anything but a string prefix.
			return notString{ms}, nil
		}
	}
	return nil, invalid("Value of anything-but must be an array or single string/number value.")
}

// notString negates string tests: it matches a string none of them match.
type notString struct{ m matcher }

func (n notString) match(v any) bool {
	_, ok := v.(string)
	return ok && !n.m.match(v)
}

// numericLimit bounds numeric patterns as AWS does (-5e9 to 5e9).
const numericLimit = 5e9

// numeric reads [op, n] or [lower-op, n, upper-op, n] with <, <=, =, >=, >.
func numeric(arg any) (matcher, error) {
	list, ok := arg.([]any)
	if !ok || len(list) == 0 || len(list)%2 != 0 || len(list) > 4 {
		return nil, invalid("Value of numeric must be an array of one or two operator and number pairs.")
	}
	type bound struct {
		op string
		n  float64
	}
	var bounds []bound
	for i := 0; i < len(list); i += 2 {
		op, ok := list[i].(string)
		if !ok {
			return nil, invalid("Value of numeric must be an array of one or two operator and number pairs.")
		}
		raw, ok := list[i+1].(json.Number)
		if !ok {
			return nil, invalid("Value of %s must be numeric", op)
		}
		n, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || math.Abs(n) > numericLimit {
			return nil, invalid("Value of %s must be numeric between -5.0E9 and 5.0E9", op)
		}
		switch op {
		case "<", "<=", "=", ">", ">=":
		default:
			return nil, invalid("Unrecognized numeric range operator: %s", op)
		}
		bounds = append(bounds, bound{op, n})
	}
	if len(bounds) == 2 {
		lo, hi := bounds[0], bounds[1]
		if (lo.op != ">" && lo.op != ">=") || (hi.op != "<" && hi.op != "<=") {
			return nil, invalid("Bad numeric range: a range is [\">\" or \">=\", lower, \"<\" or \"<=\", upper]")
		}
		if lo.n >= hi.n {
			return nil, invalid("Bottom must be less than top")
		}
	}
	return numericTest(func(v float64) bool {
		for _, b := range bounds {
			var ok bool
			switch b.op {
			case "<":
				ok = v < b.n
			case "<=":
				ok = v <= b.n
			case "=":
				ok = v == b.n
			case ">":
				ok = v > b.n
			case ">=":
				ok = v >= b.n
			}
			if !ok {
				return false
			}
		}
		return true
	}), nil
}

type numericTest func(v float64) bool

func (f numericTest) match(v any) bool {
	n, ok := number(v)
	return ok && f(n)
}
