package intrinsic

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"unicode/utf8"
)

// maxEncodeChars is the documented input limit of States.Base64Encode,
// States.Base64Decode and States.Hash.
const maxEncodeChars = 10000

// checkFormat counts the placeholders of a literal template when parsing,
// so that a mismatch fails validation rather than an execution.
func checkFormat(c *Call) string {
	a := &c.Args[0]
	if a.Kind != ArgString {
		return ""
	}
	n := countPlaceholders(a.template())
	if n != len(c.Args)-1 {
		return fmt.Sprintf("the template has %d {} placeholders but %d values follow it", n, len(c.Args)-1)
	}
	return ""
}

// template returns a string literal's text for States.Format and whether
// its escapes are still in it. Literals from Parse keep their raw text; an
// Arg built in Go has none, and its String is read with {} as placeholders
// and no escapes, like a template that comes from a path.
func (a *Arg) template() (string, bool) {
	if a.raw != "" {
		return a.raw, true
	}
	return a.String, false
}

func countPlaceholders(tmpl string, escaped bool) int {
	n := 0
	for i := 0; i < len(tmpl); i++ {
		switch {
		case escaped && tmpl[i] == '\\':
			i++
		case tmpl[i] == '{' && i+1 < len(tmpl) && tmpl[i+1] == '}':
			n++
			i++
		}
	}
	return n
}

// evalFormat replaces each {} of the template with the next value
// (States.Format); the number of placeholders must equal the number of
// values. The call is needed because a literal template's raw text, which
// the resolved string no longer carries, decides which braces are
// placeholders and which were escaped.
func evalFormat(c *Call, args []any, _ *Env) (any, error) {
	tmpl, escaped := args[0].(string), false
	if c.Args[0].Kind == ArgString {
		tmpl, escaped = c.Args[0].template()
	}
	values := args[1:]
	if n := countPlaceholders(tmpl, escaped); n != len(values) {
		return nil, failf(c.Name, fmt.Sprintf("the template has %d {} placeholders but %d values follow it", n, len(values)))
	}
	var b strings.Builder
	k := 0
	for i := 0; i < len(tmpl); i++ {
		switch {
		case escaped && tmpl[i] == '\\' && i+1 < len(tmpl):
			i++
			b.WriteByte(tmpl[i])
		case tmpl[i] == '{' && i+1 < len(tmpl) && tmpl[i+1] == '}':
			formatValue(&b, values[k])
			k++
			i++
		default:
			b.WriteByte(tmpl[i])
		}
	}
	return b.String(), nil
}

// evalStringSplit splits a string at any of the delimiter characters and
// drops empty parts, as Java's StringTokenizer does (States.StringSplit): the
// documented example splits "This.is+a,test=string" on ".+,=".
func evalStringSplit(_ *Call, args []any, _ *Env) (any, error) {
	s, delims := args[0].(string), args[1].(string)
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func checkLength(name, s string) error {
	if n := utf8.RuneCountInString(s); n > maxEncodeChars {
		return failf(name, fmt.Sprintf("input has %d characters; at most %d are allowed", n, maxEncodeChars))
	}
	return nil
}

// evalBase64Encode encodes a string as standard Base64 (States.Base64Encode).
func evalBase64Encode(c *Call, args []any, _ *Env) (any, error) {
	s := args[0].(string)
	if err := checkLength(c.Name, s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// evalBase64Decode decodes standard Base64 (States.Base64Decode). Like a MIME
// decoder it ignores line breaks, and it accepts missing padding.
func evalBase64Decode(c *Call, args []any, _ *Env) (any, error) {
	s := args[0].(string)
	if err := checkLength(c.Name, s); err != nil {
		return nil, err
	}
	s = strings.NewReplacer("\r", "", "\n", "").Replace(s)
	enc := base64.StdEncoding
	if !strings.HasSuffix(s, "=") && len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, failf(c.Name, fmt.Sprintf("input is not valid Base64: %v", err))
	}
	return string(b), nil
}

// hashes maps the algorithm names States.Hash accepts to their
// implementations.
var hashes = map[string]func() hash.Hash{
	"MD5":     md5.New,
	"SHA-1":   sha1.New,
	"SHA-256": sha256.New,
	"SHA-384": sha512.New384,
	"SHA-512": sha512.New,
}

const hashNames = "MD5, SHA-1, SHA-256, SHA-384, SHA-512"

func checkHash(c *Call) string {
	if a := &c.Args[1]; a.Kind == ArgString && hashes[a.String] == nil {
		return fmt.Sprintf("unknown algorithm %q; use one of %s", a.String, hashNames)
	}
	return ""
}

// evalHash returns the lower-case hex digest of a string (States.Hash).
func evalHash(c *Call, args []any, _ *Env) (any, error) {
	data, alg := args[0].(string), args[1].(string)
	if err := checkLength(c.Name, data); err != nil {
		return nil, err
	}
	newHash := hashes[alg]
	if newHash == nil {
		return nil, failf(c.Name, fmt.Sprintf("unknown algorithm %q; use one of %s", alg, hashNames))
	}
	h := newHash()
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// evalUUID returns a random version 4 UUID (States.UUID).
func evalUUID(_ *Call, _ []any, env *Env) (any, error) {
	if env.UUID != nil {
		return env.UUID(), nil
	}
	return NewUUID(), nil
}

// NewUUID returns a random version 4 UUID, as RFC 9562 defines it.
func NewUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])  // crypto/rand.Read never fails (Go 1.24+)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
