package intrinsic

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// IntrinsicFailure is the ASL error name of every runtime failure of an
// intrinsic function.
const IntrinsicFailure = "States.IntrinsicFailure"

// Error is a runtime failure of an intrinsic function. Name is the ASL error
// name a Catch or Retry matches, always IntrinsicFailure here; Cause says
// which function and argument failed and why.
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

// ErrorName returns the ASL error name, so the engine can match the error
// through errors.As on interface{ ErrorName() string } however it is
// wrapped.
func (e *Error) ErrorName() string { return e.Name }

// SyntaxError reports an invocation that does not parse, or that names an
// unknown function or passes the wrong number or kind of literal arguments.
type SyntaxError struct {
	Source string // the text given to Parse
	Offset int    // byte offset into Source
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("parsing intrinsic %q: offset %d: %s", e.Source, e.Offset, e.Msg)
}

// ArgKind says which field of an Arg holds its value.
type ArgKind uint8

// The kinds of argument an intrinsic invocation can pass. The zero ArgKind
// is invalid so that an Arg{} left unset is caught.
const (
	ArgString ArgKind = iota + 1 // 'text', in Arg.String
	ArgNumber                    // 42 or -1.5, in Arg.Number
	ArgBool                      // true or false, in Arg.Bool
	ArgNull                      // null
	ArgPath                      // $.a, $$.Execution.Id or $var, in Arg.Path
	ArgCall                      // a nested States.X(...), in Arg.Call
)

func (k ArgKind) String() string {
	switch k {
	case ArgString:
		return "string"
	case ArgNumber:
		return "number"
	case ArgBool:
		return "boolean"
	case ArgNull:
		return "null"
	case ArgPath:
		return "path"
	case ArgCall:
		return "call"
	}
	return "ArgKind(" + strconv.Itoa(int(k)) + ")"
}

// Arg is one argument of an intrinsic invocation: a literal, a path the
// caller resolves, or a nested call.
type Arg struct {
	Kind   ArgKind
	String string         // ArgString: the value with escapes resolved
	Number json.Number    // ArgNumber
	Bool   bool           // ArgBool
	Path   *jsonpath.Path // ArgPath
	Call   *Call          // ArgCall

	// raw is the source text between the quotes of a string literal.
	// States.Format needs it: an escaped \{} is literal text while {} is a
	// placeholder, a difference that String no longer shows.
	raw string
}

// Call is a parsed intrinsic invocation such as States.Format('x {}', $.a).
// It is immutable after Parse and safe for concurrent use.
type Call struct {
	Name string // e.g. "States.Format"
	Args []Arg
}

// Env supplies what evaluation needs from the running state.
type Env struct {
	// Resolve returns the value of a path argument; the caller chooses the
	// document from p.Root(): the effective input for "$", the context
	// object for "$$", a variable for "$name".
	Resolve func(p *jsonpath.Path) (any, error)
	// Rand returns a number in [0, 1) for States.MathRandom without a seed;
	// nil uses math/rand/v2. Tests set it to get a known result.
	Rand func() float64
	// UUID returns a version 4 UUID for States.UUID; nil uses crypto/rand.
	UUID func() string
}

// IsIntrinsic reports whether s is written as an intrinsic invocation, as
// opposed to a path, in a ".$" field. It only looks at the prefix; Parse
// decides whether the invocation is valid.
func IsIntrinsic(s string) bool { return strings.HasPrefix(s, "States.") }

// Paths returns every path the invocation references, nested calls
// included, in source order. Validators use it to check paths against the
// variables and context fields in scope.
func (c *Call) Paths() []*jsonpath.Path {
	var out []*jsonpath.Path
	var walk func(*Call)
	walk = func(c *Call) {
		for i := range c.Args {
			switch c.Args[i].Kind {
			case ArgPath:
				out = append(out, c.Args[i].Path)
			case ArgCall:
				walk(c.Args[i].Call)
			}
		}
	}
	walk(c)
	return out
}

// String returns the canonical source text: Parse(c.String()) yields an
// equal Call.
func (c *Call) String() string {
	var b strings.Builder
	c.write(&b)
	return b.String()
}

func (c *Call) write(b *strings.Builder) {
	b.WriteString(c.Name)
	b.WriteByte('(')
	for i := range c.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		a := &c.Args[i]
		switch a.Kind {
		case ArgString:
			b.WriteByte('\'')
			if a.raw != "" {
				b.WriteString(a.raw)
			} else {
				b.WriteString(escape(a.String))
			}
			b.WriteByte('\'')
		case ArgNumber:
			b.WriteString(string(a.Number))
		case ArgBool:
			b.WriteString(strconv.FormatBool(a.Bool))
		case ArgNull:
			b.WriteString("null")
		case ArgPath:
			b.WriteString(a.Path.String())
		case ArgCall:
			a.Call.write(b)
		}
	}
	b.WriteByte(')')
}

// escape writes s as the body of a string literal whose value is s. Braces
// stay as they are: an Arg built in Go has no raw text, so States.Format
// reads its {} as placeholders, and so does the reparsed literal.
func escape(s string) string {
	return escaper.Replace(s)
}

var escaper = strings.NewReplacer(`\`, `\\`, `'`, `\'`)
