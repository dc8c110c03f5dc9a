package jsonpath_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// TestGetSlice pins [start:end:step] at every bound: an explicit 0, the
// array's length, one past it, negative bounds at and past -length, steps
// larger than the array, and negative steps. The expected values are RFC
// 9535 section 2.3.4.2's (https://www.rfc-editor.org/rfc/rfc9535#name-array-slice-selector).
func TestGetSlice(t *testing.T) {
	doc := decode(t, `{"a": ["a","b","c","d","e","f","g"]}`)
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "explicit start 0", path: "$.a[0:2]", want: `["a","b"]`},
		{name: "absent start", path: "$.a[:2]", want: `["a","b"]`},
		{name: "bracket name then explicit start 0", path: "$['a'][0:2]", want: `["a","b"]`},
		{name: "spaces around bounds", path: "$.a[ 0 : 2 ]", want: `["a","b"]`},
		{name: "empty step is 1", path: "$.a[0:2:]", want: `["a","b"]`},
		{name: "explicit step 1", path: "$.a[0:2:1]", want: `["a","b"]`},
		{name: "start 1", path: "$.a[1:3]", want: `["b","c"]`},
		{name: "start equals end", path: "$.a[0:0]", want: `[]`},
		{name: "start after end", path: "$.a[3:1]", want: `[]`},
		{name: "end at length", path: "$.a[5:7]", want: `["f","g"]`},
		{name: "end one past length", path: "$.a[5:8]", want: `["f","g"]`},
		{name: "start at last", path: "$.a[6:]", want: `["g"]`},
		{name: "start at length", path: "$.a[7:]", want: `[]`},
		{name: "start one past length", path: "$.a[8:]", want: `[]`},
		{name: "all", path: "$.a[:]", want: `["a","b","c","d","e","f","g"]`},
		{name: "negative start", path: "$.a[-1:]", want: `["g"]`},
		{name: "negative start at -length", path: "$.a[-7:2]", want: `["a","b"]`},
		{name: "negative start one past -length", path: "$.a[-8:2]", want: `["a","b"]`},
		{name: "negative end", path: "$.a[:-5]", want: `["a","b"]`},
		{name: "negative end at -length", path: "$.a[:-7]", want: `[]`},
		{name: "step 2", path: "$.a[1:5:2]", want: `["b","d"]`},
		{name: "step 2 ending on the last", path: "$.a[0:7:2]", want: `["a","c","e","g"]`},
		{name: "step 3", path: "$.a[::3]", want: `["a","d","g"]`},
		{name: "step past the length", path: "$.a[1::10]", want: `["b"]`},
		{name: "step equal to the length", path: "$.a[::7]", want: `["a"]`},
		{name: "reverse", path: "$.a[::-1]", want: `["g","f","e","d","c","b","a"]`},
		{name: "reverse step 2", path: "$.a[5:1:-2]", want: `["f","d"]`},
		{name: "reverse from 0", path: "$.a[0::-1]", want: `["a"]`},
		{name: "reverse down to but not 0", path: "$.a[:0:-1]", want: `["g","f","e","d","c","b"]`},
		{name: "reverse from past the end", path: "$.a[9:4:-1]", want: `["g","f"]`},
		{name: "reverse from the length", path: "$.a[7:5:-1]", want: `["g"]`},
		{name: "reverse from the last", path: "$.a[6:5:-1]", want: `["g"]`},
		{name: "reverse to -length", path: "$.a[1:-7:-1]", want: `["b"]`},
		{name: "reverse to one past -length", path: "$.a[1:-8:-1]", want: `["b","a"]`},
		{name: "reverse step past the length", path: "$.a[::-10]", want: `["g"]`},
		{name: "reverse empty", path: "$.a[1:1:-1]", want: `[]`},
		{name: "on an empty array", path: "$.e[0:2]", want: `[]`},
		{name: "on an object", path: "$.o[0:2]", want: `[]`},
	}
	doc.(map[string]any)["e"] = []any{}
	doc.(map[string]any)["o"] = map[string]any{"0": 1}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonpath.MustParse(tt.path).Get(doc)
			if err != nil {
				t.Fatalf("Get(%q) = %v", tt.path, err)
			}
			if diff := cmp.Diff(decode(t, tt.want), got); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

// TestParseSliceCanonical: an explicit bound of 0 is kept in the canonical
// form, since [0:2] and [:2] only agree for positive steps ([0::-1] selects
// one element, [::-1] all of them).
func TestParseSliceCanonical(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"explicit start 0", "$.a[0:2]", "$.a[0:2]"},
		{"explicit end 0", "$.a[:0:-1]", "$.a[:0:-1]"},
		{"explicit start 0 reverse", "$.a[0::-1]", "$.a[0::-1]"},
		{"step 1 dropped", "$.a[0:2:1]", "$.a[0:2]"},
		{"empty step dropped", "$.a[1:2:]", "$.a[1:2]"},
		{"spaces dropped", "$.a[ 1 : 2 : 3 ]", "$.a[1:2:3]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jsonpath.MustParse(tt.in).String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestGetIndexBounds: a definite index at the last element, at the length
// and one past it, and the same from the end.
func TestGetIndexBounds(t *testing.T) {
	doc := decode(t, `{"a": ["a","b","c"]}`)
	tests := []struct {
		name, path string
		want       string // "" for not found
	}{
		{"first", "$.a[0]", `"a"`},
		{"last", "$.a[2]", `"c"`},
		{"at the length", "$.a[3]", ""},
		{"one past the length", "$.a[4]", ""},
		{"last from the end", "$.a[-1]", `"c"`},
		{"first from the end", "$.a[-3]", `"a"`},
		{"one past the start from the end", "$.a[-4]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonpath.MustParse(tt.path).Get(doc)
			if tt.want == "" {
				if !errors.Is(err, jsonpath.ErrNotFound) || !strings.Contains(err.Error(), "out of range for array of length 3") {
					t.Errorf("Get(%q) = %v, %v; want ErrNotFound naming the length", tt.path, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get(%q) = %v", tt.path, err)
			}
			if diff := cmp.Diff(decode(t, tt.want), got); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}
