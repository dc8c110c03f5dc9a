package jsonpath

import (
	"strconv"
	"strings"
)

type segKind uint8

const (
	segName     segKind = iota // .name or ['name']
	segIndex                   // [n], n may be negative
	segWildcard                // .* or [*]
	segUnion                   // ['a','b'], [0,1] or a mix
	segSlice                   // [start:end:step]
	segFilter                  // [?(expr)]
)

// segment is one step of a path. A flat struct (rather than an interface per
// kind) keeps the definite-path loop in Get free of allocations and dynamic
// calls.
type segment struct {
	kind    segKind
	descend bool // preceded by "..": apply to the node and all descendants
	offset  int  // byte offset in the source, for ReferencePath errors
	name    string
	index   int
	union   []selector
	slice   slice
	filter  expr
}

// selector is one member of a union: a field name or an index.
type selector struct {
	isIndex bool
	name    string
	index   int
}

// slice holds [start:end:step]; absent bounds are flagged so that their
// defaults can depend on the sign of step, as RFC 9535 specifies.
type slice struct {
	start, end, step int
	hasStart, hasEnd bool
}

type parser struct {
	sc scanner
	// inFilter is set while parsing a filter operand, where only definite
	// steps are allowed and the text that follows is an operator.
	inFilter bool
	depth    int // filter nesting, bounded so hostile input cannot exhaust the stack
}

// maxFilterDepth bounds nested parentheses and filters; real paths use one
// or two levels.
const maxFilterDepth = 64

func (p *parser) parse() (*Path, error) {
	sc := &p.sc
	root, err := p.root()
	if err != nil {
		return nil, err
	}
	segs, err := p.segments()
	if err != nil {
		return nil, err
	}
	if !sc.eof() {
		return nil, sc.errorf(sc.pos, "unexpected "+strconv.QuoteRune(rune(sc.peek()))+
			"; a path step starts with '.' or '['")
	}
	path := &Path{root: root, segs: segs, definite: definite(segs)}
	path.src = path.render(len(segs))
	return path, nil
}

// root reads "$", "$$" or "$name".
func (p *parser) root() (string, error) {
	sc := &p.sc
	if sc.peek() != '$' {
		return "", sc.errorf(sc.pos, "a path must start with $ (input), $$ (context object) or $name (variable)")
	}
	sc.pos++
	if sc.peek() == '$' {
		sc.pos++
		return "$$", nil
	}
	if isVarStart(sc.peek()) {
		start := sc.pos - 1
		sc.name()
		return sc.src[start:sc.pos], nil
	}
	if c := sc.peek(); c >= '0' && c <= '9' {
		return "", sc.errorf(sc.pos, "a variable name must start with a letter or '_'")
	}
	return "$", nil
}

func definite(segs []segment) bool {
	for i := range segs {
		if segs[i].descend || segs[i].kind != segName && segs[i].kind != segIndex {
			return false
		}
	}
	return true
}

// segments reads steps until something that cannot start one.
func (p *parser) segments() ([]segment, error) {
	sc := &p.sc
	var segs []segment
	for !sc.eof() {
		start := sc.pos
		switch sc.peek() {
		case '.':
			sc.pos++
			descend := false
			if sc.peek() == '.' {
				if p.inFilter {
					return nil, sc.errorf(start, "recursive descent '..' is not allowed in a filter")
				}
				sc.pos++
				descend = true
			}
			seg, err := p.afterDot(start, descend)
			if err != nil {
				return nil, err
			}
			segs = append(segs, seg)
		case '[':
			seg, err := p.bracket(start, false)
			if err != nil {
				return nil, err
			}
			segs = append(segs, seg)
		default:
			return segs, nil
		}
	}
	return segs, nil
}

// afterDot reads what follows "." or "..": a name, "*" or a bracket (Jayway
// and the AWS documentation accept "$.abc.['def ghi']").
func (p *parser) afterDot(start int, descend bool) (segment, error) {
	sc := &p.sc
	switch c := sc.peek(); {
	case c == '*':
		if p.inFilter {
			return segment{}, sc.errorf(sc.pos, "wildcard '*' is not allowed in a filter")
		}
		sc.pos++
		return segment{kind: segWildcard, descend: descend, offset: start}, nil
	case c == '[':
		return p.bracket(start, descend)
	case isNameByte(c):
		name := sc.name()
		if sc.peek() == '(' {
			return segment{}, sc.errorf(start+1, "function "+name+"() is not supported")
		}
		return segment{kind: segName, descend: descend, offset: start, name: name}, nil
	case c == 0:
		return segment{}, sc.errorf(sc.pos, "a field name, '*' or '[' must follow '.'")
	default:
		return segment{}, sc.errorf(sc.pos, "unexpected "+strconv.QuoteRune(rune(c))+
			" after '.'; write fields with special characters as ['name']")
	}
}

// bracket reads a [...] step; the scanner is at "[".
func (p *parser) bracket(start int, descend bool) (segment, error) {
	sc := &p.sc
	open := sc.pos
	sc.pos++
	sc.skipSpace()
	seg := segment{descend: descend, offset: start}
	switch c := sc.peek(); {
	case c == '*':
		if p.inFilter {
			return seg, sc.errorf(sc.pos, "wildcard '*' is not allowed in a filter")
		}
		sc.pos++
		seg.kind = segWildcard
	case c == '?':
		if p.inFilter {
			return seg, sc.errorf(sc.pos, "a filter cannot contain another filter")
		}
		sc.pos++
		f, err := p.filter()
		if err != nil {
			return seg, err
		}
		seg.kind, seg.filter = segFilter, f
	case c == '\'' || c == '"' || c == '-' || c >= '0' && c <= '9' || c == ':':
		if err := p.selectors(&seg); err != nil {
			return seg, err
		}
	case c == 0:
		return seg, sc.errorf(open, "unterminated '['")
	default:
		return seg, sc.errorf(sc.pos, "unexpected "+strconv.QuoteRune(rune(c))+
			" in brackets; expected 'name', an index, a slice, '*' or '?(filter)'")
	}
	sc.skipSpace()
	if sc.peek() != ']' {
		if sc.eof() {
			return seg, sc.errorf(open, "unterminated '['")
		}
		return seg, sc.errorf(sc.pos, "expected ']' but found "+strconv.QuoteRune(rune(sc.peek())))
	}
	sc.pos++
	return seg, nil
}

// selectors reads a name, an index, a union of those, or a slice.
func (p *parser) selectors(seg *segment) error {
	sc := &p.sc
	var sels []selector
	for {
		sc.skipSpace()
		at := sc.pos
		var sel selector
		switch c := sc.peek(); {
		case c == '\'' || c == '"':
			name, err := sc.quoted()
			if err != nil {
				return err
			}
			sel = selector{name: name}
		default:
			n, ok, err := sc.integer()
			if err != nil {
				return err
			}
			// RFC 9535 allows blank space between a slice's start and
			// its ':', as slice() allows it after.
			sc.skipSpace()
			if len(sels) == 0 && (sc.peek() == ':' || !ok && c == ':') {
				if p.inFilter {
					return sc.errorf(at, "slice ':' is not allowed in a filter")
				}
				return p.slice(seg, n, ok)
			}
			if !ok {
				return sc.errorf(at, "expected 'name' or an index")
			}
			sel = selector{isIndex: true, index: n}
		}
		sels = append(sels, sel)
		sc.skipSpace()
		if sc.peek() != ',' {
			break
		}
		if p.inFilter {
			return sc.errorf(sc.pos, "union ',' is not allowed in a filter")
		}
		sc.pos++
	}
	if len(sels) == 1 {
		if sels[0].isIndex {
			seg.kind, seg.index = segIndex, sels[0].index
		} else {
			seg.kind, seg.name = segName, sels[0].name
		}
		return nil
	}
	seg.kind, seg.union = segUnion, sels
	return nil
}

// slice reads the rest of [start:end:step]; the start, if any, has been read.
func (p *parser) slice(seg *segment, start int, hasStart bool) error {
	sc := &p.sc
	sl := slice{start: start, hasStart: hasStart, step: 1}
	sc.pos++ // ':'
	sc.skipSpace()
	n, ok, err := sc.integer()
	if err != nil {
		return err
	}
	sl.end, sl.hasEnd = n, ok
	sc.skipSpace()
	if sc.peek() == ':' {
		sc.pos++
		sc.skipSpace()
		at := sc.pos
		n, ok, err := sc.integer()
		if err != nil {
			return err
		}
		if ok {
			if n == 0 {
				return sc.errorf(at, "slice step must not be 0")
			}
			sl.step = n
		}
	}
	seg.kind, seg.slice = segSlice, sl
	return nil
}

// write appends the canonical text of the segment.
func (s *segment) write(b *strings.Builder) {
	if s.descend {
		b.WriteString("..")
	}
	switch s.kind {
	case segName:
		writeName(b, s.name, s.descend)
	case segIndex:
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(s.index))
		b.WriteByte(']')
	case segWildcard:
		if s.descend {
			b.WriteByte('*')
		} else {
			b.WriteString("[*]")
		}
	case segUnion:
		b.WriteByte('[')
		for i, sel := range s.union {
			if i > 0 {
				b.WriteByte(',')
			}
			if sel.isIndex {
				b.WriteString(strconv.Itoa(sel.index))
			} else {
				quote(b, sel.name)
			}
		}
		b.WriteByte(']')
	case segSlice:
		b.WriteByte('[')
		if s.slice.hasStart {
			b.WriteString(strconv.Itoa(s.slice.start))
		}
		b.WriteByte(':')
		if s.slice.hasEnd {
			b.WriteString(strconv.Itoa(s.slice.end))
		}
		if s.slice.step != 1 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(s.slice.step))
		}
		b.WriteByte(']')
	case segFilter:
		b.WriteString("[?(")
		s.filter.write(b)
		b.WriteString(")]")
	}
}

func writeName(b *strings.Builder, name string, afterDots bool) {
	if isShorthand(name) {
		if !afterDots {
			b.WriteByte('.')
		}
		b.WriteString(name)
		return
	}
	b.WriteByte('[')
	quote(b, name)
	b.WriteByte(']')
}
