package jsonpath

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is wrapped by the errors Get returns when a definite path does
// not select a node: a missing field, an index out of range, or a step into
// a value of the wrong type. Step Functions reports these as States.Runtime
// ("The JSONPath ... could not be found in the input").
var ErrNotFound = errors.New("not found")

// ErrCannotSet is wrapped by the errors Set returns when the value cannot be
// placed, for example because an intermediate node is a string. Step
// Functions reports this as States.ResultPathMatchFailure.
var ErrCannotSet = errors.New("cannot set")

// SyntaxError reports a path that does not parse, with the byte offset of the
// problem so that editors and validators can point at it.
type SyntaxError struct {
	Source string // the text given to Parse or ParseReference
	Offset int    // byte offset into Source
	Msg    string // what is wrong, and where possible what to write instead
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("parsing path %q: offset %d: %s", e.Source, e.Offset, e.Msg)
}

// PathError reports a path that parsed but could not be applied to a
// document. Err is ErrNotFound or ErrCannotSet, so callers test it with
// errors.Is.
type PathError struct {
	Path   string // canonical text of the path
	At     string // the prefix of Path that was reached, e.g. "$.a"
	Reason string // e.g. `field "b" not found in object`
	Err    error  // ErrNotFound or ErrCannotSet
}

func (e *PathError) Error() string {
	return fmt.Sprintf("path %s: at %s: %s", e.Path, e.At, e.Reason)
}

// Unwrap returns ErrNotFound or ErrCannotSet.
func (e *PathError) Unwrap() error { return e.Err }

// Path is a compiled JSONPath expression. It is immutable and safe for
// concurrent use, so one Path can serve every execution of a state machine.
type Path struct {
	src      string    // canonical text
	root     string    // "$", "$$" or "$name"
	segs     []segment // steps after the root
	definite bool      // every step selects at most one node
}

// Parse compiles a JSONPath as ASL allows it in InputPath, OutputPath,
// ItemsPath and ".$" values: the root "$", the context object "$$" or a
// variable "$name", followed by any of .name ['name'] .* [*] .. [n] [-n]
// [a,b] ['a','b'] [start:end:step] and [?(filter)].
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html.
func Parse(s string) (*Path, error) {
	p := &parser{sc: scanner{src: s}}
	return p.parse()
}

// ParseReference compiles an ASL Reference Path, the restricted form that
// names a single node and is used by ResultPath and by a Choice rule's
// Variable: the root followed only by .name, ['name'] and [n]. The error
// names the operator that is not allowed and where it is.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html#amazon-states-language-reference-paths.
func ParseReference(s string) (*Path, error) {
	p, err := Parse(s)
	if err != nil {
		return nil, err
	}
	for i := range p.segs {
		seg := &p.segs[i]
		what := ""
		switch {
		case seg.descend:
			what = "recursive descent '..'"
		case seg.kind == segWildcard:
			what = "wildcard '*'"
		case seg.kind == segUnion:
			what = "union ','"
		case seg.kind == segSlice:
			what = "slice ':'"
		case seg.kind == segFilter:
			what = "filter '?(...)'"
		}
		if what != "" {
			return nil, &SyntaxError{
				Source: s,
				Offset: seg.offset,
				Msg: what + " is not allowed in a reference path, which must select a single node; " +
					"use only $, .field, ['field'] and [n]",
			}
		}
	}
	return p, nil
}

// MustParse is like Parse but panics when s does not parse. It is meant for
// paths written in Go source, where a bad path is a programming error.
func MustParse(s string) *Path {
	p, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the canonical source text of the path: Parse(p.String())
// compiles to the same path. Fields that need no quoting are written .name,
// others ['name'].
func (p *Path) String() string { return p.src }

// Root returns the root the path starts from: "$" for the state input, "$$"
// for the context object or "$name" for a variable. The caller passes the
// matching document to Get.
func (p *Path) Root() string { return p.root }

// IsDefinite reports whether the path can select at most one node, that is
// whether it uses only fields and single indexes. Get returns the value
// itself for a definite path and a []any of matches otherwise.
func (p *Path) IsDefinite() bool { return p.definite }

// render writes the canonical text of the root and the first n segments,
// which names the node reached in error messages.
func (p *Path) render(n int) string {
	var b strings.Builder
	b.WriteString(p.root)
	for i := range n {
		p.segs[i].write(&b)
	}
	return b.String()
}
