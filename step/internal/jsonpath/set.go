package jsonpath

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// Set returns a document equal to doc with value placed at the path, as a
// state's ResultPath does. doc is not modified: the objects and arrays along
// the path are copied and everything else is shared with doc, which keeps
// the cost proportional to the path rather than to the document.
//
// "$" replaces the whole document. Missing fields along the path are created
// as objects. Stepping into anything other than an object (for a field) or an
// array with that index (for [n]) fails with an error wrapping ErrCannotSet;
// Step Functions raises States.ResultPathMatchFailure there. Only definite
// paths rooted at "$" can be set.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html.
func (p *Path) Set(doc, value any) (any, error) {
	if p.root != "$" {
		return nil, &PathError{Path: p.src, At: p.root, Reason: "only paths rooted at $ can be set", Err: ErrCannotSet}
	}
	if !p.definite {
		return nil, &PathError{Path: p.src, At: p.root, Reason: "only a path selecting a single node can be set", Err: ErrCannotSet}
	}
	return p.setAt(0, doc, value)
}

// setAt returns a copy of node with value placed at segs[i:].
func (p *Path) setAt(i int, node, value any) (any, error) {
	if i == len(p.segs) {
		return value, nil
	}
	s := &p.segs[i]
	if s.kind == segName {
		m, ok := node.(map[string]any)
		if !ok {
			return nil, p.cannotSet(i, fmt.Sprintf("cannot set field %q in %s", s.name, kindOf(node)))
		}
		child, ok := m[s.name]
		if !ok && i+1 < len(p.segs) {
			child = map[string]any{}
		}
		v, err := p.setAt(i+1, child, value)
		if err != nil {
			return nil, err
		}
		// maps.Clone copies the table as is, cheaper than reinserting
		// every entry; a nil map has no table to clone.
		out := maps.Clone(m)
		if out == nil {
			out = make(map[string]any, 1)
		}
		out[s.name] = v
		return out, nil
	}
	a, ok := node.([]any)
	if !ok {
		return nil, p.cannotSet(i, fmt.Sprintf("cannot set index %d in %s", s.index, kindOf(node)))
	}
	idx := s.index
	if idx < 0 {
		idx += len(a)
	}
	if idx < 0 || idx >= len(a) {
		return nil, p.cannotSet(i, "index "+strconv.Itoa(s.index)+" out of range for array of length "+strconv.Itoa(len(a)))
	}
	v, err := p.setAt(i+1, a[idx], value)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(a)
	out[idx] = v
	return out, nil
}

func (p *Path) cannotSet(i int, reason string) error {
	return &PathError{Path: p.src, At: p.render(i), Reason: reason, Err: ErrCannotSet}
}
