package template

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// knownFunctions are the intrinsics the engine evaluates. The language
// extensions (Fn::Length, Fn::ToJsonString, Fn::ForEach) and Fn::Transform
// need a transform, which the local cloud refuses.
var knownFunctions = map[string]bool{
	"Ref": true, "Fn::GetAtt": true, "Fn::Join": true, "Fn::Sub": true,
	"Fn::Select": true, "Fn::Split": true, "Fn::If": true, "Fn::Equals": true,
	"Fn::And": true, "Fn::Or": true, "Fn::Not": true, "Fn::GetAZs": true,
	"Fn::Base64": true, "Fn::FindInMap": true, "Fn::ImportValue": true,
	"Fn::Cidr": true, "Condition": true,
}

// scan is one pass over a section of the template, collecting the
// resources a value refers to and the problems found.
type scan struct {
	t *Template
	// block names the section for AWS's "Unresolved resource
	// dependencies [...] in the X block" message.
	block       string
	inCondition bool
	deps        map[string]bool
	unresolved  map[string]bool
	errs        []error
}

func (s *scan) fail(format string, args ...any) {
	s.errs = append(s.errs, fmt.Errorf(format, args...))
}

func (s *scan) name(n string) {
	switch {
	case pseudoParams[n]:
	case s.t.Parameters[n] != nil:
	case s.t.Resources[n] != nil && !s.inCondition:
		s.deps[n] = true
	default:
		s.unresolved[n] = true
	}
}

func (s *scan) attr(res string) {
	if s.t.Resources[res] == nil || s.inCondition {
		s.fail("Template error: instance of Fn::GetAtt references undefined resource %s", res)
		return
	}
	s.deps[res] = true
}

func (s *scan) condition(n string) {
	if _, ok := s.t.Conditions[n]; !ok {
		s.fail("Template format error: Unresolved condition dependency %s in %s", n, s.block)
	}
}

func (s *scan) walk(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			s.walk(e)
		}
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if isIntrinsic(k, s.inCondition) {
					s.call(k, arg)
					return
				}
			}
		}
		for _, e := range x {
			s.walk(e)
		}
	}
}

func (s *scan) call(fn string, arg any) {
	if !knownFunctions[fn] {
		s.fail("Template format error: Encountered unsupported function: %s (the local cloud supports no transforms or language extensions)", fn)
		return
	}
	switch fn {
	case "Ref":
		n, ok := arg.(string)
		if !ok {
			s.fail("Template format error: Ref in %s must name a parameter, resource or pseudo parameter", s.block)
			return
		}
		s.name(n)
	case "Condition":
		if n, ok := arg.(string); ok {
			s.condition(n)
		}
	case "Fn::GetAtt":
		res, attr, err := getAttArgs(arg)
		if err != nil {
			s.fail("Template error: %v in %s", err, s.block)
			return
		}
		s.attr(res)
		s.walk(attr)
	case "Fn::Sub":
		str, vars, err := subArgs(arg)
		if err != nil {
			s.fail("Template error: %v in %s", err, s.block)
			return
		}
		for _, v := range vars {
			s.walk(v)
		}
		for _, p := range parseSub(str) {
			if p.variable == "" {
				continue
			}
			if _, ok := vars[p.variable]; ok {
				continue
			}
			if res, _, isAttr := strings.Cut(p.variable, "."); isAttr {
				s.attr(res)
			} else {
				s.name(p.variable)
			}
		}
	case "Fn::If":
		list, ok := arg.([]any)
		if !ok || len(list) != 3 {
			s.fail("Template error: Fn::If in %s takes [condition name, value if true, value if false]", s.block)
			return
		}
		if n, ok := list[0].(string); ok {
			s.condition(n)
		}
		s.walk(list[1])
		s.walk(list[2])
	case "Fn::FindInMap":
		list, ok := arg.([]any)
		if !ok || len(list) != 3 {
			s.fail("Template error: Fn::FindInMap in %s takes [map name, top-level key, second-level key]", s.block)
			return
		}
		if n, ok := list[0].(string); ok && s.t.Mappings[n] == nil {
			s.fail("Template error: Mapping named '%s' is not present in the 'Mappings' section of template", n)
		}
		s.walk(arg)
	default:
		s.walk(arg)
	}
}

func (s *scan) unresolvedError() {
	if len(s.unresolved) == 0 {
		return
	}
	names := make([]string, 0, len(s.unresolved))
	for n := range s.unresolved {
		names = append(names, n)
	}
	sort.Strings(names)
	if s.inCondition {
		s.fail("Template format error: Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", strings.Join(names, ", "))
		return
	}
	s.fail("Template format error: Unresolved resource dependencies [%s] in the %s block of the template", strings.Join(names, ", "), s.block)
}

// check verifies every reference of the template and computes Deps.
func (t *Template) check() error {
	var errs []error
	cs := &scan{t: t, block: "Conditions", inCondition: true, deps: map[string]bool{}, unresolved: map[string]bool{}}
	for _, n := range sortedKeys(t.Conditions) {
		cs.walk(t.Conditions[n])
	}
	cs.unresolvedError()
	errs = append(errs, cs.errs...)

	rs := &scan{t: t, block: "Resources", unresolved: map[string]bool{}}
	t.Deps = make(map[string][]string, len(t.Resources))
	for _, id := range t.SortedResources() {
		r := t.Resources[id]
		rs.deps = map[string]bool{}
		if r.Condition != "" {
			rs.condition(r.Condition)
		}
		for _, d := range r.DependsOn {
			if t.Resources[d] == nil {
				rs.unresolved[d] = true
				continue
			}
			rs.deps[d] = true
		}
		rs.walk(r.Properties)
		rs.walk(r.Metadata)
		if rs.deps[id] {
			rs.fail("Template format error: Circular dependency between resources: [%s]", id)
			delete(rs.deps, id)
		}
		t.Deps[id] = sortedKeys(rs.deps)
	}
	rs.unresolvedError()
	errs = append(errs, rs.errs...)

	outs := &scan{t: t, block: "Outputs", deps: map[string]bool{}, unresolved: map[string]bool{}}
	for _, n := range sortedKeys(t.Outputs) {
		o := t.Outputs[n]
		if o.Condition != "" {
			outs.condition(o.Condition)
		}
		outs.walk(o.Value)
		outs.walk(o.ExportName)
	}
	outs.unresolvedError()
	errs = append(errs, outs.errs...)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if cycle := FindCycle(t.Deps); cycle != nil {
		return fmt.Errorf("Template format error: Circular dependency between resources: [%s]", strings.Join(cycle, ", "))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// FindCycle returns the resources of one dependency cycle in deps, in
// dependency order starting from the smallest name found on it, or nil
// when deps is acyclic. Dependencies on names absent from deps are ignored.
func FindCycle(deps map[string][]string) []string {
	const (
		unvisited = iota
		onStack
		done
	)
	state := make(map[string]int, len(deps))
	var stack []string
	var cycle []string
	var visit func(n string) bool
	visit = func(n string) bool {
		state[n] = onStack
		stack = append(stack, n)
		for _, d := range deps[n] {
			if _, declared := deps[d]; !declared {
				continue
			}
			switch state[d] {
			case onStack:
				i := len(stack) - 1
				for stack[i] != d {
					i--
				}
				cycle = append([]string(nil), stack[i:]...)
				return true
			case unvisited:
				if visit(d) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		return false
	}
	for _, n := range sortedKeys(deps) {
		if state[n] == unvisited && visit(n) {
			return cycle
		}
	}
	return nil
}

// Order returns the names of deps in an order where each comes after the
// ones it depends on; ties are broken by name, so the order is stable. It
// fails, naming the cycle, when there is one.
func Order(deps map[string][]string) ([]string, error) {
	if cycle := FindCycle(deps); cycle != nil {
		return nil, fmt.Errorf("Circular dependency between resources: [%s]", strings.Join(cycle, ", "))
	}
	var out []string
	placed := make(map[string]bool, len(deps))
	var place func(n string)
	place = func(n string) {
		if placed[n] {
			return
		}
		placed[n] = true
		ds := append([]string(nil), deps[n]...)
		sort.Strings(ds)
		for _, d := range ds {
			if _, declared := deps[d]; declared {
				place(d)
			}
		}
		out = append(out, n)
	}
	for _, n := range sortedKeys(deps) {
		place(n)
	}
	return out, nil
}
