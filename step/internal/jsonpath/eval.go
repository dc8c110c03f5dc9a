package jsonpath

import (
	"fmt"
	"strconv"
)

// Get evaluates the path against root, the document its Root names.
//
// For a definite path it returns the selected value, or an error wrapping
// ErrNotFound that names the path and the step that failed. For any other
// path it returns a []any of the matches in document order, possibly empty
// and never nil, as Jayway does; steps that do not apply to a node (a
// missing field, an index out of range) simply contribute no match.
//
// Get never modifies root; the values it returns are shared with root, so
// callers must copy before mutating them.
func (p *Path) Get(root any) (any, error) {
	if !p.definite {
		return p.collect(p.segs, root, root, make([]any, 0, 4)), nil
	}
	node := root
	for i := range p.segs {
		s := &p.segs[i]
		if s.kind == segName {
			m, ok := node.(map[string]any)
			if !ok {
				return nil, p.notFound(i, fmt.Sprintf("cannot select field %q from %s", s.name, kindOf(node)))
			}
			v, ok := m[s.name]
			if !ok {
				return nil, p.notFound(i, fmt.Sprintf("field %q not found", s.name))
			}
			node = v
			continue
		}
		a, ok := node.([]any)
		if !ok {
			return nil, p.notFound(i, fmt.Sprintf("cannot select index %d from %s", s.index, kindOf(node)))
		}
		idx := s.index
		if idx < 0 {
			idx += len(a)
		}
		if idx < 0 || idx >= len(a) {
			return nil, p.notFound(i, "index "+strconv.Itoa(s.index)+" out of range for array of length "+strconv.Itoa(len(a)))
		}
		node = a[idx]
	}
	return node, nil
}

// notFound builds the error for step i; it allocates only on this failure
// path so that successful lookups stay allocation-free.
func (p *Path) notFound(i int, reason string) error {
	return &PathError{Path: p.src, At: p.render(i), Reason: reason, Err: ErrNotFound}
}

// kindOf names a value's JSON type for error messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	if _, _, _, ok := number(v); ok {
		return "a number"
	}
	return fmt.Sprintf("a Go %T", v)
}

// collect appends to out every node that segs select from node.
func (p *Path) collect(segs []segment, node, root any, out []any) []any {
	if len(segs) == 0 {
		return append(out, node)
	}
	s := &segs[0]
	if s.descend {
		return p.descend(s, segs[1:], node, root, out)
	}
	return p.apply(s, segs[1:], node, root, out, false)
}

// apply applies one segment to node and continues with rest on each result.
// Under recursive descent (inDescent) a filter tests the children of node,
// so that each descendant is tested exactly once; otherwise a filter on an
// object tests the object itself, as Jayway does.
func (p *Path) apply(s *segment, rest []segment, node, root any, out []any, inDescent bool) []any {
	switch s.kind {
	case segName:
		if m, ok := node.(map[string]any); ok {
			if v, ok := m[s.name]; ok {
				out = p.collect(rest, v, root, out)
			}
		}
	case segIndex:
		if v, ok := step(s, node); ok {
			out = p.collect(rest, v, root, out)
		}
	case segWildcard:
		switch n := node.(type) {
		case map[string]any:
			for _, k := range sortedKeys(n) {
				out = p.collect(rest, n[k], root, out)
			}
		case []any:
			for _, v := range n {
				out = p.collect(rest, v, root, out)
			}
		}
	case segUnion:
		for _, sel := range s.union {
			one := segment{kind: segName, name: sel.name, index: sel.index}
			if sel.isIndex {
				one.kind = segIndex
			}
			if v, ok := step(&one, node); ok {
				out = p.collect(rest, v, root, out)
			}
		}
	case segSlice:
		if a, ok := node.([]any); ok {
			s.slice.each(len(a), func(i int) {
				out = p.collect(rest, a[i], root, out)
			})
		}
	case segFilter:
		switch n := node.(type) {
		case []any:
			for _, v := range n {
				if s.filter.eval(v, root) {
					out = p.collect(rest, v, root, out)
				}
			}
		case map[string]any:
			if inDescent {
				for _, k := range sortedKeys(n) {
					if s.filter.eval(n[k], root) {
						out = p.collect(rest, n[k], root, out)
					}
				}
			} else if s.filter.eval(n, root) {
				out = p.collect(rest, n, root, out)
			}
		}
	}
	return out
}

// descend applies s to node and then to every descendant, in pre-order with
// object members in sorted key order.
func (p *Path) descend(s *segment, rest []segment, node, root any, out []any) []any {
	out = p.apply(s, rest, node, root, out, true)
	switch n := node.(type) {
	case map[string]any:
		for _, k := range sortedKeys(n) {
			out = p.descend(s, rest, n[k], root, out)
		}
	case []any:
		for _, v := range n {
			out = p.descend(s, rest, v, root, out)
		}
	}
	return out
}

// each calls f with the indexes the slice selects from an array of length
// n, following RFC 9535 section 2.3.4.2.
func (sl *slice) each(n int, f func(int)) {
	norm := func(i int) int {
		if i < 0 {
			return i + n
		}
		return i
	}
	if sl.step > 0 {
		start, end := 0, n
		if sl.hasStart {
			start = min(max(norm(sl.start), 0), n)
		}
		if sl.hasEnd {
			end = min(max(norm(sl.end), 0), n)
		}
		// Compare before adding so that a huge step cannot overflow.
		for i := start; i < end; i += sl.step {
			f(i)
			if sl.step >= end-i {
				break
			}
		}
		return
	}
	start, end := n-1, -1
	if sl.hasStart {
		start = min(max(norm(sl.start), -1), n-1)
	}
	if sl.hasEnd {
		end = min(max(norm(sl.end), -1), n-1)
	}
	for i := start; i > end; i += sl.step {
		f(i)
		if sl.step <= end-i {
			break
		}
	}
}
