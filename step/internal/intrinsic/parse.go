package intrinsic

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// maxDepth is how deeply calls may nest. AWS documents "up to 10 intrinsic
// functions within a field"; the bound also keeps hostile input from
// exhausting the stack.
const maxDepth = 10

type parser struct {
	src   string
	pos   int
	depth int
}

// Parse compiles an intrinsic invocation such as
// "States.Format('Hello, {}', $.name)". It rejects unknown functions (listing
// the valid ones), wrong argument counts, literal arguments of the wrong type
// and syntax errors, all as *SyntaxError with the byte offset.
//
// String literals use single quotes; inside them \' \{ \} and \\ stand for
// the character after the backslash and any other backslash is an error.
// Numbers follow JSON syntax. Paths start with $, $$ or $name and end at the
// next top-level ',' or ')'.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html.
func Parse(s string) (*Call, error) {
	p := &parser{src: s}
	c, err := p.call()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf(p.pos, "unexpected text after the closing ')'")
	}
	return c, nil
}

func (p *parser) errorf(off int, msg string) *SyntaxError {
	return &SyntaxError{Source: p.src, Offset: off, Msg: msg}
}

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
}

func isIdent(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func (p *parser) call() (*Call, error) {
	start := p.pos
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf(start, "intrinsic functions nest more than "+strconv.Itoa(maxDepth)+" deep")
	}
	if !strings.HasPrefix(p.src[p.pos:], "States.") {
		return nil, p.errorf(start, "an intrinsic function starts with \"States.\"")
	}
	p.pos += len("States.")
	for p.pos < len(p.src) && isIdent(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	fn, ok := functions[name]
	if !ok {
		return nil, p.errorf(start, "unknown intrinsic function "+strconv.Quote(name)+"; valid functions are "+strings.Join(functionNames(), ", "))
	}
	if p.peek() != '(' {
		return nil, p.errorf(p.pos, "expected '(' after "+name)
	}
	open := p.pos
	p.pos++
	c := &Call{Name: name}
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
	} else {
		for {
			p.skipSpace()
			a, err := p.arg()
			if err != nil {
				return nil, err
			}
			c.Args = append(c.Args, a)
			p.skipSpace()
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if p.peek() == ')' {
				p.pos++
				break
			}
			if p.pos >= len(p.src) {
				return nil, p.errorf(open, "missing ')' for "+name)
			}
			return nil, p.errorf(p.pos, "expected ',' or ')' but found "+strconv.QuoteRune(rune(p.peek())))
		}
	}
	if msg := fn.checkArity(len(c.Args)); msg != "" {
		return nil, p.errorf(start, name+" "+msg)
	}
	if msg := fn.checkLiterals(c); msg != "" {
		return nil, p.errorf(start, msg)
	}
	return c, nil
}

func (p *parser) arg() (Arg, error) {
	start := p.pos
	switch c := p.peek(); {
	case c == '\'':
		return p.str()
	case c == '"':
		return Arg{}, p.errorf(start, "string literals in intrinsic functions use single quotes")
	case c == '$':
		return p.path()
	case c == '-' || c >= '0' && c <= '9':
		n, ok := p.number()
		if !ok {
			return Arg{}, p.errorf(start, "malformed number")
		}
		return Arg{Kind: ArgNumber, Number: json.Number(n)}, p.endOfLiteral(start)
	case strings.HasPrefix(p.src[p.pos:], "States."):
		c, err := p.call()
		if err != nil {
			return Arg{}, err
		}
		return Arg{Kind: ArgCall, Call: c}, nil
	case c == 0:
		return Arg{}, p.errorf(start, "expected an argument but the text ends")
	}
	for _, kw := range []struct {
		text string
		arg  Arg
	}{
		{"true", Arg{Kind: ArgBool, Bool: true}},
		{"false", Arg{Kind: ArgBool}},
		{"null", Arg{Kind: ArgNull}},
	} {
		if strings.HasPrefix(p.src[p.pos:], kw.text) {
			p.pos += len(kw.text)
			return kw.arg, p.endOfLiteral(start)
		}
	}
	return Arg{}, p.errorf(start, "unexpected "+strconv.QuoteRune(rune(p.peek()))+
		"; an argument is a 'string', a number, true, false, null, a path or States.<function>(...)")
}

// endOfLiteral rejects text glued to a literal, such as 12abc or truex.
func (p *parser) endOfLiteral(start int) error {
	switch p.peek() {
	case 0, ',', ')', ' ', '\t', '\n', '\r':
		return nil
	}
	return p.errorf(start, "malformed literal "+strconv.Quote(p.src[start:p.pos+1]))
}

// str reads a single-quoted literal with the ASL escapes \' \{ \} \\.
func (p *parser) str() (Arg, error) {
	start := p.pos
	p.pos++
	from := p.pos
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			return Arg{}, p.errorf(start, "unterminated string: missing closing '")
		}
		switch c := p.src[p.pos]; c {
		case '\'':
			raw := p.src[from:p.pos]
			p.pos++
			return Arg{Kind: ArgString, String: b.String(), raw: raw}, nil
		case '\\':
			e := byte(0)
			if p.pos+1 < len(p.src) {
				e = p.src[p.pos+1]
			}
			if e != '\'' && e != '{' && e != '}' && e != '\\' {
				return Arg{}, p.errorf(p.pos, `open escape: a backslash must be followed by ', {, } or \`)
			}
			b.WriteByte(e)
			p.pos += 2
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}

// number reads a number in JSON syntax, so that it can be emitted again as
// a json.Number without being rewritten.
func (p *parser) number() (string, bool) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	switch c := p.peek(); {
	case c == '0':
		p.pos++
	case c >= '1' && c <= '9':
		p.digits()
	default:
		return "", false
	}
	if p.peek() == '.' {
		p.pos++
		if !p.digits() {
			return "", false
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if !p.digits() {
			return "", false
		}
	}
	return p.src[start:p.pos], true
}

func (p *parser) digits() bool {
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	return p.pos > start
}

// path reads a JSONPath up to the next ',' or ')' outside brackets and
// quotes, so that filters such as $.a[?(@.b == ')')] stay whole.
func (p *parser) path() (Arg, error) {
	start := p.pos
	depth := 0
scan:
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case (c == '\'' || c == '"') && depth > 0:
			p.pos++
			for p.pos < len(p.src) && p.src[p.pos] != c {
				if p.src[p.pos] == '\\' {
					p.pos++
				}
				p.pos++
			}
		case depth == 0 && (c == ',' || c == ')'):
			break scan
		}
		p.pos++
	}
	if p.pos > len(p.src) {
		p.pos = len(p.src)
	}
	text := strings.TrimRight(p.src[start:p.pos], " \t\r\n")
	jp, err := jsonpath.Parse(text)
	if err != nil {
		var se *jsonpath.SyntaxError
		if errors.As(err, &se) {
			return Arg{}, p.errorf(start+se.Offset, "path "+strconv.Quote(text)+": "+se.Msg)
		}
		return Arg{}, p.errorf(start, err.Error())
	}
	return Arg{Kind: ArgPath, Path: jp}, nil
}
