package vtl

import (
	"fmt"
	"strconv"
	"strings"
)

// Template is a parsed template, safe for concurrent Execute calls.
type Template struct{ nodes []node }

type node any

type (
	textNode string
	refNode  struct{ ref *ref }
	setNode  struct {
		target *ref
		value  expr
	}
	ifNode struct {
		conds  []expr
		bodies [][]node
		els    []node
	}
	foreachNode struct {
		name string
		list expr
		body []node
	}
)

type accessKind int

const (
	accessProp accessKind = iota
	accessCall
	accessIndex
)

type access struct {
	kind accessKind
	name string
	args []expr
}

type ref struct {
	silent bool
	name   string
	chain  []access
}

type expr any

type (
	litExpr   struct{ v any }
	strExpr   struct{ tpl []node }
	listExpr  []expr
	mapExpr   struct{ keys, vals []expr }
	rangeExpr struct{ from, to expr }
	unaryExpr struct {
		op string
		x  expr
	}
	binExpr struct {
		op   string
		l, r expr
	}
	refExpr struct{ ref *ref }
)

// SyntaxError is a template that does not parse; Offset is a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("template error at offset %d: %s", e.Offset, e.Msg)
}

// maxDepth bounds nesting, so that a hostile template cannot exhaust the
// stack of the parser or the evaluator.
const maxDepth = 100

type parser struct {
	src   string
	pos   int
	depth int
}

// Parse parses a template.
func Parse(src string) (t *Template, err error) {
	p := &parser{src: src}
	nodes, term, err := p.nodes()
	if err != nil {
		return nil, err
	}
	if term != "" {
		return nil, p.errf("#%s without a matching #if or #foreach", term)
	}
	return &Template{nodes: nodes}, nil
}

func (p *parser) errf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isIdent(c byte) bool  { return isLetter(c) || isDigit(c) || c == '_' }

// nodes parses until EOF or a #else, #elseif or #end, which it returns
// (the position is then after that directive's name).
func (p *parser) nodes() ([]node, string, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, "", p.errf("directives nested deeper than %d", maxDepth)
	}
	var out []node
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, textNode(text.String()))
			text.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '$' {
			start := p.pos
			r, ok, err := p.reference()
			if err != nil {
				return nil, "", err
			}
			if ok {
				flush()
				out = append(out, refNode{r})
				continue
			}
			p.pos = start + 1
			text.WriteByte('$')
			continue
		}
		if c == '#' && p.pos+1 < len(p.src) {
			switch p.src[p.pos+1] {
			case '#':
				for p.pos < len(p.src) && p.src[p.pos] != '\n' {
					p.pos++
				}
				p.pos++ // the newline goes with the comment
				continue
			case '*':
				end := strings.Index(p.src[p.pos+2:], "*#")
				if end < 0 {
					return nil, "", p.errf("#* comment without *#")
				}
				p.pos += end + 4
				continue
			}
			name, after := p.directiveName()
			switch name {
			case "set", "if", "elseif", "else", "end", "foreach":
				// A directive alone on its line leaves no blank line: drop
				// the indentation before it and the line end after it.
				trimmed := strings.TrimRight(text.String(), " \t")
				if lineStart := strings.LastIndexByte(p.src[:p.pos], '\n') + 1; strings.TrimLeft(p.src[lineStart:p.pos], " \t") == "" {
					text.Reset()
					text.WriteString(trimmed)
				}
				flush()
				p.pos = after
				switch name {
				case "else", "end", "elseif":
					if name != "elseif" {
						p.gobbleLine()
					}
					return out, name, nil
				case "set":
					n, err := p.set()
					if err != nil {
						return nil, "", err
					}
					out = append(out, n)
				case "if":
					n, err := p.ifDirective()
					if err != nil {
						return nil, "", err
					}
					out = append(out, n)
				case "foreach":
					n, err := p.foreach()
					if err != nil {
						return nil, "", err
					}
					out = append(out, n)
				}
				continue
			}
		}
		text.WriteByte(c)
		p.pos++
	}
	flush()
	return out, "", nil
}

// directiveName reads #name or #{name} at p.pos.
func (p *parser) directiveName() (string, int) {
	i := p.pos + 1
	braced := i < len(p.src) && p.src[i] == '{'
	if braced {
		i++
	}
	j := i
	for j < len(p.src) && isLetter(p.src[j]) {
		j++
	}
	name := p.src[i:j]
	if braced {
		if j >= len(p.src) || p.src[j] != '}' {
			return "", p.pos
		}
		j++
	}
	return name, j
}

// gobbleLine skips the rest of the line when it is only blanks.
func (p *parser) gobbleLine() {
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t' || p.src[i] == '\r') {
		i++
	}
	if i < len(p.src) && p.src[i] == '\n' {
		p.pos = i + 1
	} else if i == len(p.src) {
		p.pos = i
	}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *parser) expect(c byte) error {
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != c {
		return p.errf("expected %q", c)
	}
	p.pos++
	return nil
}

func (p *parser) set() (node, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	p.skipSpace()
	r, ok, err := p.reference()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.errf("#set needs a $reference to assign to")
	}
	if len(r.chain) > 0 && r.chain[len(r.chain)-1].kind == accessCall {
		return nil, p.errf("#set cannot assign to a method call")
	}
	if err := p.expect('='); err != nil {
		return nil, err
	}
	v, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	p.gobbleLine()
	return setNode{target: r, value: v}, nil
}

func (p *parser) condition() (expr, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	p.gobbleLine()
	return e, nil
}

func (p *parser) ifDirective() (node, error) {
	n := ifNode{}
	cond, err := p.condition()
	if err != nil {
		return nil, err
	}
	for {
		body, term, err := p.nodes()
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, cond)
		n.bodies = append(n.bodies, body)
		switch term {
		case "elseif":
			if cond, err = p.condition(); err != nil {
				return nil, err
			}
			continue
		case "else":
			els, term, err := p.nodes()
			if err != nil {
				return nil, err
			}
			if term != "end" {
				return nil, p.errf("#else without #end")
			}
			n.els = els
			return n, nil
		case "end":
			return n, nil
		default:
			return nil, p.errf("#if without #end")
		}
	}
}

func (p *parser) foreach() (node, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	p.skipSpace()
	r, ok, err := p.reference()
	if err != nil {
		return nil, err
	}
	if !ok || len(r.chain) > 0 {
		return nil, p.errf("#foreach needs a plain $variable")
	}
	p.skipSpace()
	if !strings.HasPrefix(p.src[p.pos:], "in") {
		return nil, p.errf("#foreach needs 'in'")
	}
	p.pos += 2
	list, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	p.gobbleLine()
	body, term, err := p.nodes()
	if err != nil {
		return nil, err
	}
	if term != "end" {
		return nil, p.errf("#foreach without #end")
	}
	return foreachNode{name: r.name, list: list, body: body}, nil
}

// reference parses $name..., $!name..., ${name...}; ok is false (and the
// position unchanged) when what follows $ is not a reference.
func (p *parser) reference() (*ref, bool, error) {
	start := p.pos
	i := p.pos + 1
	r := &ref{}
	if i < len(p.src) && p.src[i] == '!' {
		r.silent = true
		i++
	}
	formal := i < len(p.src) && p.src[i] == '{'
	if formal {
		i++
	}
	if i >= len(p.src) || !isLetter(p.src[i]) {
		p.pos = start
		return nil, false, nil
	}
	j := i
	for j < len(p.src) && isIdent(p.src[j]) {
		j++
	}
	r.name = p.src[i:j]
	p.pos = j
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '.' && p.pos+1 < len(p.src) && isLetter(p.src[p.pos+1]) {
			k := p.pos + 1
			for k < len(p.src) && isIdent(p.src[k]) {
				k++
			}
			a := access{kind: accessProp, name: p.src[p.pos+1 : k]}
			p.pos = k
			if p.pos < len(p.src) && p.src[p.pos] == '(' {
				p.pos++
				args, err := p.args(')')
				if err != nil {
					return nil, false, err
				}
				a.kind, a.args = accessCall, args
			}
			r.chain = append(r.chain, a)
			continue
		}
		if c == '[' {
			p.pos++
			idx, err := p.expr()
			if err != nil {
				return nil, false, err
			}
			if err := p.expect(']'); err != nil {
				return nil, false, err
			}
			r.chain = append(r.chain, access{kind: accessIndex, args: []expr{idx}})
			continue
		}
		break
	}
	if formal {
		if p.pos >= len(p.src) || p.src[p.pos] != '}' {
			return nil, false, p.errf("${ without }")
		}
		p.pos++
	}
	return r, true, nil
}

// args parses a comma-separated expression list up to close.
func (p *parser) args(close byte) ([]expr, error) {
	var out []expr
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == close {
		p.pos++
		return out, nil
	}
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.errf("expected %q", close)
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case close:
			p.pos++
			return out, nil
		default:
			return nil, p.errf("expected ',' or %q", close)
		}
	}
}

var binaryLevels = [][]string{
	{"||", "or"},
	{"&&", "and"},
	{"==", "!=", "eq", "ne"},
	{"<=", ">=", "<", ">", "le", "ge", "lt", "gt"},
	{"+", "-"},
	{"*", "/", "%"},
}

func (p *parser) expr() (expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errf("expression nested deeper than %d", maxDepth)
	}
	return p.binary(0)
}

func (p *parser) binary(level int) (expr, error) {
	if level == len(binaryLevels) {
		return p.unary()
	}
	l, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op := p.operator(binaryLevels[level])
		if op == "" {
			return l, nil
		}
		r, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = binExpr{op: canonical(op), l: l, r: r}
	}
}

func canonical(op string) string {
	switch op {
	case "or":
		return "||"
	case "and":
		return "&&"
	case "eq":
		return "=="
	case "ne":
		return "!="
	case "le":
		return "<="
	case "ge":
		return ">="
	case "lt":
		return "<"
	case "gt":
		return ">"
	}
	return op
}

// operator consumes one of ops at the position (word operators only as
// whole words).
func (p *parser) operator(ops []string) string {
	p.skipSpace()
	rest := p.src[p.pos:]
	for _, op := range ops {
		if !strings.HasPrefix(rest, op) {
			continue
		}
		if isLetter(op[0]) && len(rest) > len(op) && isIdent(rest[len(op)]) {
			continue
		}
		if op == "<" || op == ">" {
			if len(rest) > 1 && rest[1] == '=' {
				continue
			}
		}
		p.pos += len(op)
		return op
	}
	return ""
}

func (p *parser) unary() (expr, error) {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '!' {
		p.pos++
		x, err := p.unary()
		return unaryExpr{op: "!", x: x}, err
	}
	if strings.HasPrefix(p.src[p.pos:], "not") && (len(p.src) == p.pos+3 || !isIdent(p.src[p.pos+3])) {
		p.pos += 3
		x, err := p.unary()
		return unaryExpr{op: "!", x: x}, err
	}
	if p.pos < len(p.src) && p.src[p.pos] == '-' && (p.pos+1 >= len(p.src) || !isDigit(p.src[p.pos+1])) {
		p.pos++
		x, err := p.unary()
		return unaryExpr{op: "-", x: x}, err
	}
	return p.primary()
}

func (p *parser) primary() (expr, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errf("expression expected")
	}
	c := p.src[p.pos]
	switch {
	case c == '$':
		r, ok, err := p.reference()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, p.errf("reference expected after $")
		}
		return refExpr{r}, nil
	case c == '"':
		return p.doubleQuoted()
	case c == '\'':
		s, err := p.singleQuoted()
		return litExpr{s}, err
	case isDigit(c) || c == '-':
		return p.number()
	case c == '(':
		p.pos++
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		return e, p.expect(')')
	case c == '[':
		p.pos++
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ']' {
			p.pos++
			return listExpr{}, nil
		}
		first, err := p.expr()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if strings.HasPrefix(p.src[p.pos:], "..") {
			p.pos += 2
			to, err := p.expr()
			if err != nil {
				return nil, err
			}
			return rangeExpr{from: first, to: to}, p.expect(']')
		}
		list := listExpr{first}
		for {
			p.skipSpace()
			if p.pos >= len(p.src) {
				return nil, p.errf("list without ]")
			}
			if p.src[p.pos] == ']' {
				p.pos++
				return list, nil
			}
			if err := p.expect(','); err != nil {
				return nil, err
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			list = append(list, e)
		}
	case c == '{':
		p.pos++
		m := mapExpr{}
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			return m, nil
		}
		for {
			k, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect(':'); err != nil {
				return nil, err
			}
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			m.keys, m.vals = append(m.keys, k), append(m.vals, v)
			p.skipSpace()
			if p.pos >= len(p.src) {
				return nil, p.errf("map without }")
			}
			if p.src[p.pos] == '}' {
				p.pos++
				return m, nil
			}
			if err := p.expect(','); err != nil {
				return nil, err
			}
		}
	case isLetter(c):
		j := p.pos
		for j < len(p.src) && isIdent(p.src[j]) {
			j++
		}
		switch word := p.src[p.pos:j]; word {
		case "true", "false":
			p.pos = j
			return litExpr{word == "true"}, nil
		case "null":
			p.pos = j
			return litExpr{nil}, nil
		}
	}
	return nil, p.errf("unexpected %q", c)
}

func (p *parser) number() (expr, error) {
	j := p.pos
	if p.src[j] == '-' {
		j++
	}
	for j < len(p.src) && isDigit(p.src[j]) {
		j++
	}
	isFloat := false
	if j+1 < len(p.src) && p.src[j] == '.' && isDigit(p.src[j+1]) {
		isFloat = true
		j++
		for j < len(p.src) && isDigit(p.src[j]) {
			j++
		}
	}
	text := p.src[p.pos:j]
	p.pos = j
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, p.errf("bad number %q", text)
		}
		return litExpr{f}, nil
	}
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, p.errf("bad number %q", text)
	}
	return litExpr{i}, nil
}

// doubleQuoted reads "..." (a backslash keeps the next character inside
// the literal; "" is a quote) and parses it as a template when it holds a
// reference or directive.
func (p *parser) doubleQuoted() (expr, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			p.pos = start
			return nil, p.errf("string without closing \"")
		}
		c := p.src[p.pos]
		switch {
		case c == '\\' && p.pos+1 < len(p.src):
			b.WriteString(p.src[p.pos : p.pos+2])
			p.pos += 2
			continue
		case c == '"' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '"':
			b.WriteByte('"')
			p.pos += 2
			continue
		case c == '"':
			p.pos++
			s := b.String()
			if !strings.ContainsAny(s, "$#") {
				return litExpr{s}, nil
			}
			inner := &parser{src: s, depth: p.depth}
			nodes, term, err := inner.nodes()
			if err != nil {
				return nil, err
			}
			if term != "" {
				return nil, p.errf("#%s inside a string without its #if or #foreach", term)
			}
			return strExpr{nodes}, nil
		}
		b.WriteByte(c)
		p.pos++
	}
}

func (p *parser) singleQuoted() (string, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			p.pos = start
			return "", p.errf("string without closing '")
		}
		c := p.src[p.pos]
		if c == '\'' {
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == '\'' {
				b.WriteByte('\'')
				p.pos += 2
				continue
			}
			p.pos++
			return b.String(), nil
		}
		b.WriteByte(c)
		p.pos++
	}
}
