package jsonpath

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner walks the source text byte by byte. Paths are short, so a
// hand-written scanner with exact offsets serves error messages better than
// a token stream.
type scanner struct {
	src string
	pos int
}

func (s *scanner) eof() bool { return s.pos >= len(s.src) }

// peek returns the current byte, or 0 at the end of the input.
func (s *scanner) peek() byte {
	if s.pos < len(s.src) {
		return s.src[s.pos]
	}
	return 0
}

// peekAt returns the byte n positions ahead, or 0 past the end.
func (s *scanner) peekAt(n int) byte {
	if s.pos+n < len(s.src) {
		return s.src[s.pos+n]
	}
	return 0
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// consume advances past lit when the input continues with it.
func (s *scanner) consume(lit string) bool {
	if strings.HasPrefix(s.src[s.pos:], lit) {
		s.pos += len(lit)
		return true
	}
	return false
}

func (s *scanner) errorf(off int, msg string) *SyntaxError {
	return &SyntaxError{Source: s.src, Offset: off, Msg: msg}
}

// isNameByte reports whether c may appear in a dot-notation field name. This
// is wider than RFC 9535's member-name-shorthand: Jayway, and so Step
// Functions, accept names such as "detail-type" and "0abc" after a dot, and
// state machines in the wild rely on that. Bytes of multi-byte UTF-8
// sequences are accepted as they are.
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c >= utf8.RuneSelf
}

// isVarStart reports whether c may start a variable name after "$": ASL
// variable names start with a letter or underscore.
func isVarStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= utf8.RuneSelf
}

// name reads a dot-notation field name; it returns "" when none is there.
func (s *scanner) name() string {
	start := s.pos
	for s.pos < len(s.src) && isNameByte(s.src[s.pos]) {
		s.pos++
	}
	return s.src[start:s.pos]
}

// quoted reads a string literal in single or double quotes, with the JSON
// escapes \b \f \n \r \t \uXXXX and a backslash before any other character
// standing for that character, except that a backslash before the quote
// that does not delimit the string is kept (\" in '...', \' in "...").
func (s *scanner) quoted() (string, error) {
	start := s.pos
	q := s.src[s.pos]
	s.pos++
	var b []byte // nil until an escape forces a copy
	from := s.pos
	for {
		if s.pos >= len(s.src) {
			return "", s.errorf(start, "unterminated string: missing closing "+string(q))
		}
		c := s.src[s.pos]
		switch c {
		case q:
			var out string
			if b == nil {
				out = s.src[from:s.pos]
			} else {
				out = string(append(b, s.src[from:s.pos]...))
			}
			s.pos++
			return out, nil
		case '\\':
			b = append(b, s.src[from:s.pos]...)
			if s.pos+1 >= len(s.src) {
				return "", s.errorf(s.pos, "unterminated escape sequence")
			}
			e := s.src[s.pos+1]
			s.pos += 2
			switch e {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				if s.pos+4 > len(s.src) {
					return "", s.errorf(s.pos-2, `\u must be followed by four hex digits`)
				}
				n, err := strconv.ParseUint(s.src[s.pos:s.pos+4], 16, 32)
				if err != nil {
					return "", s.errorf(s.pos-2, `\u must be followed by four hex digits`)
				}
				b = utf8.AppendRune(b, rune(n))
				s.pos += 4
			case '"', '\'':
				if e != q {
					// An escaped quote of the other kind keeps its
					// backslash: $['a\"b'] names the field a\"b, as AWS
					// reads it (recorded AWS behaviour).
					b = append(b, '\\')
				}
				b = append(b, e)
			default:
				b = append(b, e)
			}
			from = s.pos
		default:
			s.pos++
		}
	}
}

// number reads a JSON number (optionally negative, with fraction and
// exponent) and returns its text.
func (s *scanner) number() (string, bool) {
	start := s.pos
	if s.peek() == '-' {
		s.pos++
	}
	if !s.digits() {
		s.pos = start
		return "", false
	}
	if s.peek() == '.' {
		s.pos++
		if !s.digits() {
			s.pos = start
			return "", false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !s.digits() {
			s.pos = start
			return "", false
		}
	}
	return s.src[start:s.pos], true
}

func (s *scanner) digits() bool {
	start := s.pos
	for s.pos < len(s.src) && s.src[s.pos] >= '0' && s.src[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}

// integer reads an optionally negative decimal integer, as used by indexes
// and slices.
func (s *scanner) integer() (int, bool, error) {
	start := s.pos
	if s.peek() == '-' {
		s.pos++
	}
	if !s.digits() {
		s.pos = start
		return 0, false, nil
	}
	n, err := strconv.Atoi(s.src[start:s.pos])
	if err != nil {
		return 0, true, s.errorf(start, "index "+s.src[start:s.pos]+" is out of range")
	}
	return n, true, nil
}

// quote renders a field name as a single-quoted literal that quoted() reads
// back to the same bytes.
func quote(b *strings.Builder, name string) {
	b.WriteByte('\'')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case '\'', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
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
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[c>>4])
				b.WriteByte("0123456789abcdef"[c&0xf])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('\'')
}

// isShorthand reports whether name can be written after a dot and read back
// unchanged.
func isShorthand(name string) bool {
	if name == "" || !utf8.ValidString(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isNameByte(name[i]) {
			return false
		}
	}
	return true
}
