package jsonpath_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

func TestSet(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		path  string
		value string
		want  string
	}{
		{name: "replace root", doc: `{"a": 1}`, path: "$", value: `"x"`, want: `"x"`},
		{name: "add field", doc: `{"a": 1}`, path: "$.b", value: `2`, want: `{"a": 1, "b": 2}`},
		{name: "replace field", doc: `{"a": 1}`, path: "$.a", value: `{"z": true}`, want: `{"a": {"z": true}}`},
		{name: "nested existing", doc: `{"a": {"b": 1, "c": 2}}`, path: "$.a.b", value: `3`, want: `{"a": {"b": 3, "c": 2}}`},
		// The AWS ResultPath guide's example: "$.taskresult" adds the result
		// next to the input.
		{name: "aws resultpath example", doc: `{"comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions"}`,
			path: "$.taskresult", value: `"Hello, AWS Step Functions!"`,
			want: `{"comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions", "taskresult": "Hello, AWS Step Functions!"}`},
		{name: "create intermediates", doc: `{}`, path: "$.a.b.c", value: `1`, want: `{"a": {"b": {"c": 1}}}`},
		{name: "quoted names", doc: `{}`, path: "$['x y']['z']", value: `1`, want: `{"x y": {"z": 1}}`},
		{name: "array index", doc: `{"a": [1, 2, 3]}`, path: "$.a[1]", value: `"two"`, want: `{"a": [1, "two", 3]}`},
		{name: "negative index", doc: `{"a": [1, 2, 3]}`, path: "$.a[-1]", value: `0`, want: `{"a": [1, 2, 0]}`},
		{name: "into array element", doc: `{"a": [{"b": 1}]}`, path: "$.a[0].c", value: `2`, want: `{"a": [{"b": 1, "c": 2}]}`},
		{name: "set null", doc: `{"a": 1}`, path: "$.a", value: `null`, want: `{"a": null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decode(t, tt.doc)
			got, err := jsonpath.MustParse(tt.path).Set(doc, decode(t, tt.value))
			if err != nil {
				t.Fatalf("Set(%s, %q, %s) = %v", tt.doc, tt.path, tt.value, err)
			}
			if diff := cmp.Diff(decode(t, tt.want), got); diff != "" {
				t.Errorf("Set(%s, %q, %s) mismatch (-want +got):\n%s", tt.doc, tt.path, tt.value, diff)
			}
			if diff := cmp.Diff(decode(t, tt.doc), doc); diff != "" {
				t.Errorf("Set changed its input (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		path string
		msg  string
	}{
		{name: "string intermediate", doc: `{"a": "s"}`, path: "$.a.b", msg: `at $.a: cannot set field "b" in a string`},
		{name: "string root", doc: `"s"`, path: "$.a", msg: `at $: cannot set field "a" in a string`},
		{name: "null intermediate", doc: `{"a": null}`, path: "$.a.b", msg: `cannot set field "b" in null`},
		{name: "array for field", doc: `{"a": []}`, path: "$.a.b", msg: `in an array`},
		{name: "object for index", doc: `{"a": {}}`, path: "$.a[0]", msg: "cannot set index 0 in an object"},
		{name: "index out of range", doc: `{"a": [1]}`, path: "$.a[3]", msg: "index 3 out of range for array of length 1"},
		{name: "missing array", doc: `{}`, path: "$.a[0]", msg: "cannot set index 0 in an object"},
		{name: "context root", doc: `{}`, path: "$$.a", msg: "only paths rooted at $"},
		{name: "variable root", doc: `{}`, path: "$v.a", msg: "only paths rooted at $"},
		{name: "indefinite", doc: `{}`, path: "$.a[*]", msg: "single node"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonpath.MustParse(tt.path).Set(decode(t, tt.doc), "v")
			if !errors.Is(err, jsonpath.ErrCannotSet) {
				t.Fatalf("Set(%s, %q) = %v, %v, want ErrCannotSet", tt.doc, tt.path, got, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Set(%s, %q) error = %q, want it to contain %q", tt.doc, tt.path, err, tt.msg)
			}
		})
	}
}

// TestSetSharesUntouchedBranches checks the copy-on-write promise: siblings
// of the path are the same values, not copies.
func TestSetSharesUntouchedBranches(t *testing.T) {
	doc := decode(t, `{"a": {"b": 1}, "big": {"x": [1, 2, 3]}}`).(map[string]any)
	out, err := jsonpath.MustParse("$.a.b").Set(doc, 2)
	if err != nil {
		t.Fatal(err)
	}
	big := doc["big"].(map[string]any)
	big["marker"] = true // visible through out only if shared
	if _, ok := out.(map[string]any)["big"].(map[string]any)["marker"]; !ok {
		t.Error("Set copied a branch off the path; want it shared")
	}
}
