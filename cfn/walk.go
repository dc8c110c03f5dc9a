package cfn

import (
	"slices"
	"strings"
)

// Template walkers shared by validation (here) and the stack diagram
// (package describe). They need nothing but the decoded template, so this
// file carries no build tag.

// WalkIntrinsics calls visit for every single-key map whose key is Ref or
// starts with Fn::, anywhere in node, before walking into it. Maps are
// walked by sorted key, so the visits come in a stable order.
func WalkIntrinsics(node any, visit func(fn string, arg any)) {
	switch n := node.(type) {
	case map[string]any:
		if len(n) == 1 {
			for k, v := range n {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					visit(k, v)
				}
			}
		}
		for _, k := range sortedMapKeys(n) {
			WalkIntrinsics(n[k], visit)
		}
	case []any:
		for _, v := range n {
			WalkIntrinsics(v, visit)
		}
	}
}

// DependsOn reads a resource's DependsOn attribute, a logical ID or a list
// of them.
func DependsOn(v any) []string {
	switch d := v.(type) {
	case string:
		return []string{d}
	case []any:
		var out []string
		for _, x := range d {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
