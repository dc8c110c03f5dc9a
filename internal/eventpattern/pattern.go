package eventpattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// MaxLength is the longest pattern PutRule accepts, in characters.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
const MaxLength = 4096

// Error is a pattern EventBridge refuses (InvalidEventPatternException);
// its text is AWS's "Event pattern is not valid. Reason: ...".
type Error struct{ Reason string }

func (e *Error) Error() string { return "Event pattern is not valid. Reason: " + e.Reason }

func invalid(format string, args ...any) error {
	return &Error{Reason: fmt.Sprintf(format, args...)}
}

// Pattern is a compiled event pattern. It is safe for concurrent use.
type Pattern struct {
	root *object
	src  string
}

// object is one level of a pattern: its fields, all of which must match,
// and its $or alternatives, one of which must.
type object struct {
	fields []field
	or     [][]*object // each $or: its alternatives
}

type field struct {
	name string
	sub  *object // a nested object, or
	leaf *leaf   // an array of alternatives
}

// leaf is an array of alternatives: the field matches when one matches.
type leaf struct {
	// exists is set by {"exists": true|false}, the only alternative then.
	exists *bool
	alts   []matcher
}

// Compile parses a pattern (a JSON object, at most MaxLength characters).
func Compile(src string) (*Pattern, error) {
	if len(src) > MaxLength {
		return nil, invalid("the pattern is longer than %d characters", MaxLength)
	}
	dec := json.NewDecoder(strings.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, invalid("%v", err)
	}
	if dec.More() {
		return nil, invalid("unexpected content after the pattern's JSON object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("the pattern must be a JSON object")
	}
	root, err := compileObject(m, "")
	if err != nil {
		return nil, err
	}
	return &Pattern{root: root, src: src}, nil
}

// MustCompile is Compile for patterns known to be valid; it panics
// otherwise.
func MustCompile(src string) *Pattern {
	p, err := Compile(src)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the pattern's source.
func (p *Pattern) String() string { return p.src }

func compileObject(m map[string]any, path string) (*object, error) {
	if len(m) == 0 {
		return nil, invalid("Empty objects are not allowed")
	}
	o := &object{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		if k == "$or" {
			alts, ok := v.([]any)
			if !ok || len(alts) < 2 {
				return nil, invalid("\"$or\" must be an array of at least two objects")
			}
			var or []*object
			for _, a := range alts {
				am, ok := a.(map[string]any)
				if !ok {
					return nil, invalid("\"$or\" must be an array of at least two objects")
				}
				sub, err := compileObject(am, path)
				if err != nil {
					return nil, err
				}
				or = append(or, sub)
			}
			o.or = append(o.or, or)
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			sub, err := compileObject(x, path+k+".")
			if err != nil {
				return nil, err
			}
			o.fields = append(o.fields, field{name: k, sub: sub})
		case []any:
			l, err := compileLeaf(x, k)
			if err != nil {
				return nil, err
			}
			o.fields = append(o.fields, field{name: k, leaf: l})
		default:
			return nil, invalid("%q must be an object or an array", k)
		}
	}
	return o, nil
}

func compileLeaf(alts []any, name string) (*leaf, error) {
	if len(alts) == 0 {
		return nil, invalid("Empty arrays are not allowed")
	}
	l := &leaf{}
	for _, a := range alts {
		switch x := a.(type) {
		case map[string]any:
			if e, ok := x["exists"]; ok && len(x) == 1 {
				b, isBool := e.(bool)
				if !isBool {
					return nil, invalid("exists match pattern must be either true or false.")
				}
				if len(alts) != 1 {
					return nil, invalid("exists match pattern of %q cannot be combined with other values", name)
				}
				l.exists = &b
				continue
			}
			m, err := compileOperator(x)
			if err != nil {
				return nil, err
			}
			l.alts = append(l.alts, m)
		case []any:
			return nil, invalid("Match value of %q must be an exact match or an object, not an array", name)
		default:
			l.alts = append(l.alts, exact{x})
		}
	}
	return l, nil
}

// Match reports whether the event (JSON) matches the pattern. An event
// that is not a JSON object matches nothing.
func (p *Pattern) Match(event []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return false
	}
	return p.MatchValue(v)
}

// MatchValue is Match for an event already decoded (numbers as
// json.Number or float64).
func (p *Pattern) MatchValue(event any) bool {
	if _, ok := event.(map[string]any); !ok {
		return false
	}
	return p.root.match([]any{event})
}

// match matches the object pattern against every value at its level.
func (o *object) match(vals []any) bool {
	for _, f := range o.fields {
		var sub []any
		for _, v := range vals {
			if m, ok := v.(map[string]any); ok {
				if x, present := m[f.name]; present {
					sub = flatten(sub, x)
				}
			}
		}
		if f.sub != nil {
			if !f.sub.match(sub) {
				return false
			}
			continue
		}
		if !f.leaf.match(sub) {
			return false
		}
	}
	for _, alts := range o.or {
		ok := false
		for _, a := range alts {
			if a.match(vals) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// flatten appends v, or the elements of v (recursively) when it is an
// array: patterns see an event array as its elements.
func flatten(out []any, v any) []any {
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			out = flatten(out, e)
		}
		return out
	}
	return append(out, v)
}

func (l *leaf) match(vals []any) bool {
	var leaves []any
	for _, v := range vals {
		if _, isObject := v.(map[string]any); !isObject {
			leaves = append(leaves, v)
		}
	}
	if l.exists != nil {
		return (len(leaves) > 0) == *l.exists
	}
	for _, v := range leaves {
		for _, m := range l.alts {
			if m.match(v) {
				return true
			}
		}
	}
	return false
}
