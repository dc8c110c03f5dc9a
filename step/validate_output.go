package step

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// handlerOutput checks the Choice that follows a Lambda task against the
// JSON fields of the struct the Go handler returns, so that a "$.rol" typo
// fails before deployment instead of with States.Runtime at run time.
//
// The check applies when the task passes the function's output on
// unchanged or places it with a ResultPath (no ResultSelector, no
// OutputPath, direct function ARN) and the Choice reads its input as is (no
// InputPath). Paths outside the result, and fields of maps and interfaces,
// are not checked.
func (v *validator) handlerOutput(t *TaskState) {
	if t.lambda == nil || t.invoke || t.outputPath != "" || t.resultSelector != nil || t.resultPath == JSONNull {
		return
	}
	choice, ok := t.next.(*ChoiceState)
	if !ok || choice.inputPath != "" {
		return
	}
	out := t.lambda.Shape().Out
	for out != nil && out.Kind() == reflect.Pointer {
		out = out.Elem()
	}
	if out == nil || out.Kind() != reflect.Struct {
		return
	}
	prefix := []string{}
	if t.resultPath != "" {
		p, err := jsonpath.ParseReference(t.resultPath)
		if err != nil || p.Root() != "$" {
			return // reported by the path check
		}
		prefix = canonicalSegments(p.String())
	}
	check := func(field, path string) {
		p, err := jsonpath.ParseReference(path)
		if err != nil || p.Root() != "$" {
			return
		}
		segs := canonicalSegments(p.String())
		if len(segs) < len(prefix) || !equalStrings(segs[:len(prefix)], prefix) {
			return
		}
		if bad, fields, typ := missingField(out, segs[len(prefix):]); bad != "" {
			v.add(choice, field, "%q reads %q, but function %q (Task state %q) returns %s, whose JSON fields are %s",
				path, bad, t.lambda.Name, t.name, typ, fields)
		}
	}
	for i, r := range choice.choices {
		if r != nil {
			forEachLeaf(r.Comparison, indexField("Choices", i), func(field string, c leafComparison) {
				variable, op, value := c.leaf()
				check(field+".Variable", variable)
				if s, ok := value.(string); ok && isPathOperator(op) {
					check(field+"."+op, s)
				}
			})
		}
	}
}

func forEachLeaf(cmp Comparison, field string, fn func(string, leafComparison)) {
	switch c := cmp.(type) {
	case *And:
		for i, sub := range c.Comparison {
			forEachLeaf(sub, indexField(field+".And", i), fn)
		}
	case *Or:
		for i, sub := range c.Comparison {
			forEachLeaf(sub, indexField(field+".Or", i), fn)
		}
	case *Not:
		forEachLeaf(c.Comparison, field+".Not", fn)
	case leafComparison:
		if !isNil(c) {
			fn(field, c)
		}
	}
}

// missingField follows segs through t and returns the first field name
// that t does not have, with the fields it does have and the type's name.
// Index segments step into slices and arrays.
func missingField(t reflect.Type, segs []string) (string, string, string) {
	for _, seg := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if strings.HasPrefix(seg, "[") {
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return "", "", ""
			}
			t = t.Elem()
			continue
		}
		if t.Kind() != reflect.Struct {
			return "", "", "" // maps and interfaces may hold anything
		}
		fields := jsonFields(t)
		ft, ok := fields[seg]
		if !ok {
			names := sortedKeys(fields)
			return seg, strings.Join(names, ", "), t.String()
		}
		t = ft
	}
	return "", "", ""
}

// jsonFields maps the JSON names encoding/json writes for a struct to the
// fields' types, following its rules for tags and embedded structs.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	type entry struct {
		typ   reflect.Type
		depth int
	}
	best := map[string]entry{}
	var visit func(t reflect.Type, depth int, seen map[reflect.Type]bool)
	visit = func(t reflect.Type, depth int, seen map[reflect.Type]bool) {
		if seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous && name == "" {
				et := ft
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					visit(et, depth+1, seen)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if e, ok := best[name]; !ok || depth < e.depth {
				best[name] = entry{ft, depth}
			}
		}
	}
	visit(t, 0, map[reflect.Type]bool{})
	for k, e := range best {
		out[k] = e.typ
	}
	return out
}

// canonicalSegments splits the canonical text of a reference path (as
// jsonpath.Path.String writes it: .name, ['name'] and [n]) into field names
// and "[n]" index segments, dropping the root.
func canonicalSegments(p string) []string {
	var segs []string
	i := strings.IndexAny(p, ".[")
	if i < 0 {
		return nil
	}
	for i < len(p) {
		switch {
		case p[i] == '.':
			j := i + 1
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			segs = append(segs, p[i+1:j])
			i = j
		case strings.HasPrefix(p[i:], "['"):
			var b strings.Builder
			j := i + 2
			for j < len(p) && p[j] != '\'' {
				if p[j] == '\\' && j+1 < len(p) {
					j++
				}
				b.WriteByte(p[j])
				j++
			}
			segs = append(segs, b.String())
			i = j + 2 // past "']"
		case p[i] == '[':
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				return segs
			}
			if _, err := strconv.Atoi(p[i+1 : i+j]); err == nil {
				segs = append(segs, p[i:i+j+1])
			}
			i += j + 1
		default:
			return segs
		}
	}
	return segs
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
