package jsonpath

import (
	"encoding/json"
	"strconv"
	"strings"
)

// expr is a compiled filter expression. The set of node types is closed and
// small, so a tagged struct keeps evaluation simple and allocation-free.
type expr struct {
	op   exprOp
	l, r *expr    // operands of opOr, opAnd; l of opNot
	a, b *operand // operands of comparisons; a of opExists
	cmp  string   // comparison operator text, for rendering
}

type exprOp uint8

const (
	opOr exprOp = iota
	opAnd
	opNot
	opExists // [?(@.isbn)]: true when the path selects a node
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
)

// operand is one side of a comparison: a literal or a definite path relative
// to the current node (@) or the document root ($).
type operand struct {
	isPath   bool
	relative bool      // @ rather than $
	segs     []segment // definite steps only
	lit      any       // string, json.Number, bool or nil
}

var cmpOps = []struct {
	text string
	op   exprOp
}{
	// Two-byte operators first so that "<=" is not read as "<".
	{"==", opEq}, {"!=", opNe}, {"<=", opLe}, {">=", opGe}, {"<", opLt}, {">", opGt},
}

// filter reads "(expr)" or, as RFC 9535 allows, a bare expression after "?".
func (p *parser) filter() (expr, error) {
	sc := &p.sc
	sc.skipSpace()
	e, err := p.orExpr()
	if err != nil {
		return expr{}, err
	}
	return *e, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxFilterDepth {
		return p.sc.errorf(p.sc.pos, "filter is nested too deeply")
	}
	return nil
}

func (p *parser) orExpr() (*expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	l, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for {
		p.sc.skipSpace()
		if !p.sc.consume("||") {
			return l, nil
		}
		r, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		l = &expr{op: opOr, l: l, r: r}
	}
}

func (p *parser) andExpr() (*expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		p.sc.skipSpace()
		if !p.sc.consume("&&") {
			return l, nil
		}
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &expr{op: opAnd, l: l, r: r}
	}
}

func (p *parser) unary() (*expr, error) {
	sc := &p.sc
	sc.skipSpace()
	switch sc.peek() {
	case '!':
		if sc.peekAt(1) == '=' {
			break
		}
		sc.pos++
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &expr{op: opNot, l: x}, nil
	case '(':
		open := sc.pos
		sc.pos++
		e, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		sc.skipSpace()
		if sc.peek() != ')' {
			if sc.eof() {
				return nil, sc.errorf(open, "unclosed '(' in filter")
			}
			return nil, sc.errorf(sc.pos, "expected ')' in filter but found "+strconv.QuoteRune(rune(sc.peek())))
		}
		sc.pos++
		return e, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (*expr, error) {
	sc := &p.sc
	start := sc.pos
	a, err := p.operand()
	if err != nil {
		return nil, err
	}
	sc.skipSpace()
	opAt := sc.pos
	for _, c := range cmpOps {
		if sc.consume(c.text) {
			sc.skipSpace()
			b, err := p.operand()
			if err != nil {
				return nil, err
			}
			return &expr{op: c.op, a: a, b: b, cmp: c.text}, nil
		}
	}
	if msg := unsupportedOperator(sc.src[opAt:]); msg != "" {
		return nil, sc.errorf(opAt, msg)
	}
	if !a.isPath {
		return nil, sc.errorf(start, "a filter term must be a path such as @.field or a comparison")
	}
	return &expr{op: opExists, a: a}, nil
}

// unsupportedOperator names Jayway operators this package does not
// implement, so that users are told why their filter fails instead of
// getting a generic syntax error.
func unsupportedOperator(rest string) string {
	if strings.HasPrefix(rest, "=~") {
		return "regular expression match '=~' is not supported"
	}
	if strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") {
		return "'=' is not a comparison; use '=='"
	}
	for _, w := range []string{"in", "nin", "subsetof", "anyof", "noneof", "size", "empty", "contains"} {
		if strings.HasPrefix(rest, w) && (len(rest) == len(w) || !isNameByte(rest[len(w)])) {
			return "operator '" + w + "' is not supported; use ==, !=, <, <=, >, >=, &&, || and !"
		}
	}
	return ""
}

func (p *parser) operand() (*operand, error) {
	sc := &p.sc
	at := sc.pos
	switch c := sc.peek(); {
	case c == '@' || c == '$':
		rel := c == '@'
		sc.pos++
		if c == '$' && (sc.peek() == '$' || isVarStart(sc.peek())) {
			return nil, sc.errorf(at, "only @ and $ may start a path inside a filter")
		}
		p.inFilter = true
		segs, err := p.segments()
		p.inFilter = false
		if err != nil {
			return nil, err
		}
		return &operand{isPath: true, relative: rel, segs: segs}, nil
	case c == '\'' || c == '"':
		s, err := sc.quoted()
		if err != nil {
			return nil, err
		}
		return &operand{lit: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		n, ok := sc.number()
		if !ok {
			return nil, sc.errorf(at, "malformed number")
		}
		return &operand{lit: json.Number(n)}, nil
	}
	switch {
	case sc.consume("true"):
		return &operand{lit: true}, nil
	case sc.consume("false"):
		return &operand{lit: false}, nil
	case sc.consume("null"):
		return &operand{lit: nil}, nil
	case sc.eof():
		return nil, sc.errorf(at, "filter ends early; expected a path or a literal")
	}
	return nil, sc.errorf(at, "unexpected "+strconv.QuoteRune(rune(sc.peek()))+
		" in filter; expected @.field, $.field, a string, a number, true, false or null")
}

// eval reports whether the filter accepts cur; root is the document that $
// refers to.
func (e *expr) eval(cur, root any) bool {
	switch e.op {
	case opOr:
		return e.l.eval(cur, root) || e.r.eval(cur, root)
	case opAnd:
		return e.l.eval(cur, root) && e.r.eval(cur, root)
	case opNot:
		return !e.l.eval(cur, root)
	case opExists:
		_, ok := e.a.value(cur, root)
		return ok
	}
	a, aok := e.a.value(cur, root)
	b, bok := e.b.value(cur, root)
	// A path that selects nothing compares as RFC 9535's "Nothing": equal
	// only to Nothing and ordered against nothing.
	switch e.op {
	case opEq:
		return aok == bok && (!aok || equal(a, b))
	case opNe:
		return aok != bok || aok && !equal(a, b)
	}
	if !aok || !bok {
		return false
	}
	switch e.op {
	case opLt:
		return less(a, b)
	case opLe:
		return less(a, b) || equal(a, b)
	case opGt:
		return less(b, a)
	case opGe:
		return less(b, a) || equal(a, b)
	}
	return false
}

// value resolves an operand; ok is false when a path selects nothing.
func (o *operand) value(cur, root any) (any, bool) {
	if !o.isPath {
		return o.lit, true
	}
	node := root
	if o.relative {
		node = cur
	}
	for i := range o.segs {
		v, ok := step(&o.segs[i], node)
		if !ok {
			return nil, false
		}
		node = v
	}
	return node, true
}

// step applies a definite segment (a name or an index) to node.
func step(s *segment, node any) (any, bool) {
	if s.kind == segName {
		m, ok := node.(map[string]any)
		if !ok {
			return nil, false
		}
		v, ok := m[s.name]
		return v, ok
	}
	a, ok := node.([]any)
	if !ok {
		return nil, false
	}
	i := s.index
	if i < 0 {
		i += len(a)
	}
	if i < 0 || i >= len(a) {
		return nil, false
	}
	return a[i], true
}

// write renders the expression canonically, with parentheses only where
// precedence needs them.
func (e *expr) write(b *strings.Builder) {
	switch e.op {
	case opOr:
		e.l.write(b)
		b.WriteString(" || ")
		e.r.write(b)
	case opAnd:
		e.l.writeParen(b, e.l.op == opOr)
		b.WriteString(" && ")
		e.r.writeParen(b, e.r.op == opOr)
	case opNot:
		b.WriteByte('!')
		e.l.writeParen(b, e.l.op != opExists && e.l.op != opNot)
	case opExists:
		e.a.write(b)
	default:
		e.a.write(b)
		b.WriteByte(' ')
		b.WriteString(e.cmp)
		b.WriteByte(' ')
		e.b.write(b)
	}
}

func (e *expr) writeParen(b *strings.Builder, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	e.write(b)
	if paren {
		b.WriteByte(')')
	}
}

func (o *operand) write(b *strings.Builder) {
	if o.isPath {
		if o.relative {
			b.WriteByte('@')
		} else {
			b.WriteByte('$')
		}
		for i := range o.segs {
			o.segs[i].write(b)
		}
		return
	}
	switch v := o.lit.(type) {
	case string:
		quote(b, v)
	case json.Number:
		b.WriteString(string(v))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case nil:
		b.WriteString("null")
	}
}
