package apigateway

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/apigateway/internal/vtl"
)

// The variables of a mapping template, as documented in
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html

// inputObject is $input: the request's body and parameters.
type inputObject struct {
	body   []byte
	params map[string]map[string]string // path, querystring, header
	parsed any
	err    error
	done   bool
}

func (in *inputObject) root() (any, error) {
	if !in.done {
		in.done = true
		if len(strings.TrimSpace(string(in.body))) == 0 {
			in.parsed = vtl.NewMap()
		} else {
			in.parsed, in.err = vtl.FromJSON(in.body)
		}
	}
	return in.parsed, in.err
}

// Get: $input.body.
func (in *inputObject) Get(name string) (any, bool) {
	if name == "body" {
		return string(in.body), true
	}
	return nil, false
}

// Call: $input.json(x), $input.path(x), $input.params(), $input.params(x).
func (in *inputObject) Call(name string, args []any) (any, error) {
	switch {
	case (name == "json" || name == "path") && len(args) == 1:
		root, err := in.root()
		if err != nil {
			return nil, fmt.Errorf("the request body is not JSON, so $input.%s cannot read it", name)
		}
		v, err := evalJSONPath(root, vtl.Render(args[0]))
		if err != nil {
			return nil, err
		}
		if name == "json" {
			return vtl.ToJSON(v), nil
		}
		return v, nil
	case name == "params" && len(args) == 0:
		m := vtl.NewMap()
		for _, loc := range []string{"path", "querystring", "header"} {
			sub := vtl.NewMap()
			for _, k := range sortedKeys(in.params[loc]) {
				sub.Set(k, in.params[loc][k])
			}
			m.Set(loc, sub)
		}
		return m, nil
	case name == "params" && len(args) == 1:
		key := vtl.Render(args[0])
		for _, loc := range []string{"path", "querystring"} {
			if v, ok := in.params[loc][key]; ok {
				return v, nil
			}
		}
		for k, v := range in.params["header"] {
			if strings.EqualFold(k, key) {
				return v, nil
			}
		}
		return "", nil
	case name == "body" && len(args) == 0:
		return string(in.body), nil
	}
	return nil, fmt.Errorf("$input has no method %s with %d arguments", name, len(args))
}

// utilObject is $util.
type utilObject struct{}

func (utilObject) Get(string) (any, bool) { return nil, false }

func (utilObject) Call(name string, args []any) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("$util.%s takes one argument", name)
	}
	s := vtl.Render(args[0])
	switch name {
	case "escapeJavaScript":
		return escapeJavaScript(s), nil
	case "parseJson":
		v, err := vtl.FromJSON([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("$util.parseJson: not JSON: %v", err)
		}
		return v, nil
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "base64Decode":
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("$util.base64Decode: %v", err)
		}
		return string(b), nil
	case "urlEncode":
		// java.net.URLEncoder: spaces become +.
		return url.QueryEscape(s), nil
	case "urlDecode":
		d, err := url.QueryUnescape(s)
		if err != nil {
			return nil, fmt.Errorf("$util.urlDecode: %v", err)
		}
		return d, nil
	}
	return nil, fmt.Errorf("$util has no method %s", name)
}

// escapeJavaScript is Apache Commons Lang's StringEscapeUtils.escapeJavaScript,
// which API Gateway's $util.escapeJavaScript is: quotes, backslash and
// slash escaped, control characters as \b \f \n \r \t or \u00XX, and
// characters beyond ASCII as \uXXXX.
func escapeJavaScript(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			switch {
			case r < 0x20:
				fmt.Fprintf(&b, `\u%04X`, r)
			case r > 0x7f:
				var buf [2]uint16
				if r > 0xffff {
					r1, r2 := utf16Pair(r)
					buf[0], buf[1] = r1, r2
					fmt.Fprintf(&b, `\u%04X\u%04X`, buf[0], buf[1])
				} else {
					fmt.Fprintf(&b, `\u%04X`, r)
				}
			default:
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func utf16Pair(r rune) (uint16, uint16) {
	r -= 0x10000
	return uint16(0xd800 + (r>>10)&0x3ff), uint16(0xdc00 + r&0x3ff)
}

// evalJSONPath evaluates the JSONPath subset templates use: $, .name,
// ['name'] and [index].
func evalJSONPath(root any, path string) (any, error) {
	p := strings.TrimSpace(path)
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("JSONPath %q must start with $", path)
	}
	v := root
	p = p[1:]
	for p != "" {
		switch {
		case p[0] == '.':
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			name := p[:end]
			p = p[end:]
			if name == "" {
				return nil, fmt.Errorf("JSONPath %q: empty name", path)
			}
			v = child(v, name)
		case strings.HasPrefix(p, "['") || strings.HasPrefix(p, `["`):
			q := p[1]
			end := strings.Index(p[2:], string(q)+"]")
			if end < 0 {
				return nil, fmt.Errorf("JSONPath %q: unclosed [", path)
			}
			v = child(v, p[2:2+end])
			p = p[2+end+2:]
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return nil, fmt.Errorf("JSONPath %q: unclosed [", path)
			}
			i, err := strconv.Atoi(strings.TrimSpace(p[1:end]))
			if err != nil {
				return nil, fmt.Errorf("JSONPath %q: only names and indexes are supported by the local API Gateway", path)
			}
			p = p[end+1:]
			list, _ := v.([]any)
			if i < 0 {
				i += len(list)
			}
			if i < 0 || i >= len(list) {
				v = nil
			} else {
				v = list[i]
			}
		default:
			return nil, fmt.Errorf("JSONPath %q: unexpected %q", path, p)
		}
		if v == nil {
			return nil, nil
		}
	}
	return v, nil
}

func child(v any, name string) any {
	if m, ok := v.(*vtl.Map); ok {
		x, _ := m.Get(name)
		return x
	}
	return nil
}

// stringMapValue turns a Go map into a template map.
func stringMapValue(m map[string]string) *vtl.Map {
	out := vtl.NewMap()
	for _, k := range sortedKeys(m) {
		out.Set(k, m[k])
	}
	return out
}
