package jsonpath_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// store is Goessner's example document, which Jayway's tests also use.
const store = `{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10
}`

func TestGet(t *testing.T) {
	doc := decode(t, store)
	tests := []struct {
		name string
		path string
		want string // JSON of the expected result
	}{
		{name: "root", path: "$", want: store},
		{name: "field", path: "$.expensive", want: `10`},
		{name: "nested", path: "$.store.bicycle.color", want: `"red"`},
		{name: "index", path: "$.store.book[1].author", want: `"Evelyn Waugh"`},
		{name: "negative index", path: "$.store.book[-1].title", want: `"The Lord of the Rings"`},
		{name: "quoted", path: "$['store']['bicycle']['price']", want: `19.95`},
		{name: "wildcard array", path: "$.store.book[*].author",
			want: `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{name: "wildcard object sorted", path: "$.store.bicycle.*", want: `["red",19.95]`},
		{name: "descent", path: "$..author",
			want: `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{name: "descent price pre-order", path: "$.store..price", want: `[19.95,8.95,12.99,8.99,22.99]`},
		{name: "descent index", path: "$..book[2].title", want: `["Moby Dick"]`},
		{name: "descent bracket index", path: "$..[0].author", want: `["Nigel Rees"]`},
		{name: "index union", path: "$.store.book[0,2].title", want: `["Sayings of the Century","Moby Dick"]`},
		{name: "name union", path: "$.store.bicycle['color','price','none']", want: `["red",19.95]`},
		{name: "slice", path: "$.store.book[1:3].price", want: `[12.99,8.99]`},
		{name: "slice last two", path: "$.store.book[-2:].price", want: `[8.99,22.99]`},
		{name: "slice step", path: "$.store.book[::2].price", want: `[8.95,8.99]`},
		{name: "slice reverse", path: "$.store.book[::-1].price", want: `[22.99,8.99,12.99,8.95]`},
		{name: "slice out of range", path: "$.store.book[10:20]", want: `[]`},
		{name: "filter exists", path: "$..book[?(@.isbn)].title", want: `["Moby Dick","The Lord of the Rings"]`},
		{name: "filter lt", path: "$.store.book[?(@.price < 10)].price", want: `[8.95,8.99]`},
		{name: "filter and", path: "$.store.book[?(@.price < 10 && @.category == 'fiction')].title", want: `["Moby Dick"]`},
		{name: "filter or", path: "$.store.book[?(@.price > 20 || @.category == 'reference')].price", want: `[8.95,22.99]`},
		{name: "filter not", path: "$.store.book[?(!@.isbn)].price", want: `[8.95,12.99]`},
		{name: "filter root operand", path: "$.store.book[?(@.price > $.expensive)].price", want: `[12.99,22.99]`},
		{name: "filter ne missing is true", path: "$.store.book[?(@.isbn != '0-553-21311-3')].price", want: `[8.95,12.99,22.99]`},
		{name: "filter on object tests itself", path: "$.store.bicycle[?(@.color == 'red')].price", want: `[19.95]`},
		{name: "filter on object rejects", path: "$.store.bicycle[?(@.color == 'blue')]", want: `[]`},
		{name: "descent filter tests each node once", path: "$..[?(@.price > 19)].price", want: `[19.95,22.99]`},
		{name: "descent wildcard", path: "$.store.bicycle..*", want: `["red",19.95]`},
		{name: "wildcard skips missing", path: "$.store.book[*].isbn", want: `["0-553-21311-3","0-395-19395-8"]`},
		{name: "indefinite nothing", path: "$.nothing[*]", want: `[]`},
		{name: "filter string ordering", path: "$.store.book[?(@.author < 'I')].author",
			want: `["Evelyn Waugh","Herman Melville"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := jsonpath.MustParse(tt.path)
			got, err := p.Get(doc)
			if err != nil {
				t.Fatalf("Get(%q) = %v", tt.path, err)
			}
			if diff := cmp.Diff(decode(t, tt.want), got); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestGetFilterValues(t *testing.T) {
	doc := decode(t, `{"a": [1, 2.0, "2", true, null, {"x": [1,2]}, {"x": [1,2.0]}, {"x": {"k": "v"}}, 3e2]}`)
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "scalar compare", path: "$.a[?(@ > 1)]", want: `[2.0, 3e2]`},
		{name: "numbers equal across forms", path: "$.a[?(@ == 2)]", want: `[2.0]`},
		{name: "string not number", path: "$.a[?(@ == '2')]", want: `["2"]`},
		{name: "bool", path: "$.a[?(@ == true)]", want: `[true]`},
		{name: "null", path: "$.a[?(@ == null)]", want: `[null]`},
		{name: "deep equality", path: "$.a[?(@.x == $.a[5].x)].x", want: `[[1,2],[1,2.0]]`},
		{name: "object equality", path: "$.a[?(@.x == $.a[7].x)].x", want: `[{"k":"v"}]`},
		{name: "mixed types unordered", path: "$.a[?(@ < 'z')]", want: `["2"]`},
		{name: "le includes equal bools", path: "$.a[?(@ <= true)]", want: `[true]`},
		{name: "ge exponent", path: "$.a[?(@ >= 3e2)]", want: `[3e2]`},
	}
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

func TestGetGoValues(t *testing.T) {
	doc := map[string]any{
		"n": []any{1, int64(5), 2.5, float32(7), uint8(9), json.Number("4")},
	}
	got, err := jsonpath.MustParse("$.n[?(@ >= 4)]").Get(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(5), float32(7), uint8(9), json.Number("4")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get mismatch (-want +got):\n%s", diff)
	}
}

func TestGetNotFound(t *testing.T) {
	doc := decode(t, `{"a": {"b": [1, 2]}, "s": "str", "n": null}`)
	tests := []struct {
		name string
		path string
		msg  string
	}{
		{name: "missing field", path: "$.a.c", msg: `path $.a.c: at $.a: field "c" not found`},
		{name: "missing root field", path: "$.x.y", msg: `at $: field "x" not found`},
		{name: "index out of range", path: "$.a.b[2]", msg: "at $.a.b: index 2 out of range for array of length 2"},
		{name: "negative out of range", path: "$.a.b[-3]", msg: "index -3 out of range"},
		{name: "field of string", path: "$.s.x", msg: `at $.s: cannot select field "x" from a string`},
		{name: "field of null", path: "$.n.x", msg: `cannot select field "x" from null`},
		{name: "index of object", path: "$.a[0]", msg: "cannot select index 0 from an object"},
		{name: "field of array", path: "$.a.b.c", msg: `cannot select field "c" from an array`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonpath.MustParse(tt.path).Get(doc)
			if !errors.Is(err, jsonpath.ErrNotFound) {
				t.Fatalf("Get(%q) = %v, %v, want ErrNotFound", tt.path, got, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Get(%q) error = %q, want it to contain %q", tt.path, err, tt.msg)
			}
			var pe *jsonpath.PathError
			if !errors.As(err, &pe) || pe.Path != tt.path {
				t.Errorf("Get(%q) error = %#v, want a *PathError naming the path", tt.path, err)
			}
		})
	}
}

func TestGetDoesNotMutate(t *testing.T) {
	const src = `{"a": [{"b": 2}, {"b": 1}], "c": {"d": 1}}`
	doc := decode(t, src)
	for _, path := range []string{"$..*", "$.a[?(@.b > 0)]", "$.a[::-1]", "$..b", "$['a','c']"} {
		if _, err := jsonpath.MustParse(path).Get(doc); err != nil {
			t.Fatalf("Get(%q) = %v", path, err)
		}
	}
	if diff := cmp.Diff(decode(t, src), doc); diff != "" {
		t.Errorf("Get changed its input (-want +got):\n%s", diff)
	}
}

func TestGetNullValue(t *testing.T) {
	got, err := jsonpath.MustParse("$.a").Get(decode(t, `{"a": null}`))
	if err != nil || got != nil {
		t.Errorf("Get($.a) on {\"a\":null} = %v, %v, want nil, nil", got, err)
	}
}
