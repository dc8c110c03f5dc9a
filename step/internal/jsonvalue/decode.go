package jsonvalue

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds nesting as encoding/json does, so that a hostile
// definition cannot exhaust the stack.
const maxDepth = 10000

// Decode reads one JSON value into the value model, as encoding/json's
// Decoder with UseNumber would (map[string]any, []any, string, json.Number,
// bool, nil; the last of duplicate keys wins; invalid UTF-8 becomes U+FFFD),
// and refuses anything but white space after it. It is the engine's and
// FromJSON's decoder: a definition is decoded once, several times faster
// and with fewer allocations than through reflection, since objects and
// arrays are sized before they are built, strings without escapes are
// substrings of one copy of data, and a large document's repeated short
// values share one boxed value.
//
// The decoded strings keep that copy of data alive while any of them is.
func Decode(data []byte) (any, error) {
	src := string(data)
	d := decoder{data: src, intern: len(src) >= internFrom}
	return d.document()
}

// internFrom is the size from which a document's repeated values are worth
// the interning tables: a task's small result has few repeats.
const internFrom = 1024

// KeyOrder remembers the member names, in document order and duplicates
// included, of the objects DecodeKeepingOrder was asked to watch: a Go map
// forgets both, and an ASL States object needs them (states are listed as
// written, and a state defined twice is an error).
type KeyOrder struct {
	keys map[unsafe.Pointer][]string
}

// Keys returns the member names of m in document order, duplicates
// included, and whether m is one of the watched objects.
func (k *KeyOrder) Keys(m map[string]any) ([]string, bool) {
	if k == nil || m == nil {
		return nil, false
	}
	keys, ok := k.keys[mapID(m)]
	return keys, ok
}

// mapID is the identity of a map: its runtime header's address.
func mapID(m map[string]any) unsafe.Pointer { return reflect.ValueOf(m).UnsafePointer() }

// DecodeKeepingOrder is Decode of a document already held as a string,
// which the decoded strings share, that also records the member order of
// every object that is the value of a member named key.
func DecodeKeepingOrder(src string, key string) (any, *KeyOrder, error) {
	d := decoder{data: src, intern: len(src) >= internFrom, orderKey: key, order: &KeyOrder{keys: map[unsafe.Pointer][]string{}}}
	v, err := d.document()
	if err != nil {
		return nil, nil, err
	}
	return v, d.order, nil
}

// SyntaxError is a JSON syntax error and the byte offset where it was
// found.
type SyntaxError struct {
	Msg    string
	Offset int
}

// Error says what is wrong and at which byte.
func (e *SyntaxError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset) }

type member struct {
	key string
	val any
}

// The decoder works on a string copy of the document: a string or key
// without escapes is a substring of it, which costs no allocation.
type decoder struct {
	data  string
	pos   int
	depth int

	// members and elems are stacks shared by every object and array being
	// decoded: a container's parts are gathered here and copied into a
	// map or slice of exactly the right size once it ends.
	members []member
	elems   []any
	// strs and nums intern short string and number values, boxed (an
	// interface holding a string allocates): a definition repeats "Pass",
	// "$.a" and 1 state after state.
	intern     bool
	strs, nums map[string]any

	orderKey string
	order    *KeyOrder
}

func (d *decoder) document() (any, error) {
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.space()
	if d.pos < len(d.data) {
		return nil, &SyntaxError{Msg: "unexpected data after the JSON value", Offset: d.pos}
	}
	return v, nil
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) errorf(format string, args ...any) error {
	return &SyntaxError{Msg: fmt.Sprintf(format, args...), Offset: d.pos}
}

func (d *decoder) unexpected(context string) error {
	if d.pos >= len(d.data) {
		return &SyntaxError{Msg: "unexpected end of JSON input", Offset: d.pos}
	}
	return d.errorf("invalid character %s %s", quoteChar(d.data[d.pos]), context)
}

// quoteChar formats c as encoding/json's syntax errors do.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

func (d *decoder) value() (any, error) {
	d.space()
	if d.pos >= len(d.data) {
		return nil, d.unexpected("")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(false)
	case c == '[':
		return d.array()
	case c == '"':
		return d.strValue()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	return nil, d.unexpected("looking for beginning of value")
}

func (d *decoder) literal(word string) error {
	for i := 0; i < len(word); i++ {
		if d.pos >= len(d.data) || d.data[d.pos] != word[i] {
			return d.unexpected("in literal " + word + " (expecting " + quoteChar(word[i]) + ")")
		}
		d.pos++
	}
	return nil
}

func (d *decoder) number() (any, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	switch {
	case d.pos < len(d.data) && d.data[d.pos] == '0':
		d.pos++
	case d.pos < len(d.data) && d.data[d.pos] >= '1' && d.data[d.pos] <= '9':
		d.digits()
	default:
		return nil, d.unexpected("in numeric literal")
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if d.digits() == 0 {
			return nil, d.unexpected("after decimal point in numeric literal")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if d.digits() == 0 {
			return nil, d.unexpected("in exponent of numeric literal")
		}
	}
	return d.internValue(d.data[start:d.pos], true), nil
}

func (d *decoder) digits() int {
	n := 0
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
		n++
	}
	return n
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.errorf("exceeded max depth")
	}
	return nil
}

func (d *decoder) object(watched bool) (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.pos++ // '{'
	base := len(d.members)
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		d.depth--
		m := map[string]any{}
		if watched {
			d.order.keys[mapID(m)] = []string{}
		}
		return m, nil
	}
	for {
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.unexpected("looking for beginning of object key string")
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.unexpected("after object key")
		}
		d.pos++
		var v any
		if d.order != nil && k == d.orderKey {
			d.space()
			if d.pos < len(d.data) && d.data[d.pos] == '{' {
				v, err = d.object(true)
			} else {
				v, err = d.value()
			}
		} else {
			v, err = d.value()
		}
		if err != nil {
			return nil, err
		}
		d.members = append(d.members, member{k, v})
		d.space()
		if d.pos >= len(d.data) {
			return nil, d.unexpected("")
		}
		if c := d.data[d.pos]; c == ',' {
			d.pos++
			continue
		} else if c == '}' {
			d.pos++
			break
		}
		return nil, d.unexpected("after object key:value pair")
	}
	parts := d.members[base:]
	m := make(map[string]any, len(parts))
	for _, p := range parts {
		m[p.key] = p.val
	}
	if watched {
		keys := make([]string, len(parts))
		for i, p := range parts {
			keys[i] = p.key
		}
		d.order.keys[mapID(m)] = keys
	}
	clear(parts) // let the collector have the values
	d.members = d.members[:base]
	d.depth--
	return m, nil
}

func (d *decoder) array() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.pos++ // '['
	base := len(d.elems)
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		d.depth--
		return []any{}, nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.elems = append(d.elems, v)
		d.space()
		if d.pos >= len(d.data) {
			return nil, d.unexpected("")
		}
		if c := d.data[d.pos]; c == ',' {
			d.pos++
			continue
		} else if c == ']' {
			d.pos++
			break
		}
		return nil, d.unexpected("after array element")
	}
	parts := d.elems[base:]
	a := make([]any, len(parts))
	copy(a, parts)
	clear(parts)
	d.elems = d.elems[:base]
	d.depth--
	return a, nil
}

// strValue reads a string value.
func (d *decoder) strValue() (any, error) {
	start := d.pos + 1
	for i := start; i < len(d.data); i++ {
		if c := d.data[i]; c == '"' {
			// Plain ASCII without escapes: the text as written.
			d.pos = i + 1
			return d.internValue(d.data[start:i], false), nil
		} else if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
	}
	s, err := d.str()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// internValue returns raw as a boxed string or json.Number, shared with
// earlier equal values when it is short.
func (d *decoder) internValue(raw string, number bool) any {
	cache := &d.strs
	if number {
		cache = &d.nums
	}
	if v, ok := (*cache)[string(raw)]; ok {
		return v
	}
	var v any
	if number {
		v = json.Number(raw)
	} else {
		v = raw
	}
	if d.intern && len(raw) <= 32 {
		if *cache == nil {
			*cache = make(map[string]any, 16)
		}
		if len(*cache) < 4096 {
			(*cache)[string(raw)] = v
		}
	}
	return v
}

// str reads a string.
func (d *decoder) str() (string, error) {
	d.pos++ // '"'
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			raw := d.data[start:d.pos]
			d.pos++
			return raw, nil
		case c == '\\' || c >= utf8.RuneSelf:
			return d.slowString(start)
		case c < 0x20:
			return "", d.unexpected("in string literal")
		}
		d.pos++
	}
	return "", d.unexpected("")
}

// slowString decodes a string with escapes or non-ASCII bytes from start,
// as encoding/json does: invalid UTF-8 and lone surrogates become U+FFFD.
func (d *decoder) slowString(start int) (string, error) {
	d.pos = start
	buf := make([]byte, 0, 2*16)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(buf), nil
		case c < 0x20:
			return "", d.unexpected("in string literal")
		case c == '\\':
			d.pos++
			if d.pos >= len(d.data) {
				return "", d.unexpected("")
			}
			switch e := d.data[d.pos]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := d.hex4(d.pos + 1)
				if !ok {
					return "", d.unexpected("in \\u hexadecimal character escape")
				}
				d.pos += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if d.pos+2 < len(d.data) && d.data[d.pos+1] == '\\' && d.data[d.pos+2] == 'u' {
						r2, ok = d.hex4(d.pos + 3)
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						d.pos += 6
						r = dec
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", d.unexpected("in string escape code")
			}
			d.pos++
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			d.pos++
		default:
			r, size := utf8.DecodeRuneInString(d.data[d.pos:])
			d.pos += size
			buf = utf8.AppendRune(buf, r)
		}
	}
	return "", d.unexpected("")
}

// hex4 reads the four hexadecimal digits of a \u escape at i.
func (d *decoder) hex4(i int) (rune, bool) {
	if i+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(d.data[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
