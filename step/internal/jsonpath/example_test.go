package jsonpath_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

func isCannotSet(err error) bool { return errors.Is(err, jsonpath.ErrCannotSet) }

func Example() {
	d := json.NewDecoder(strings.NewReader(`{"order": {"items": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 0}]}}`))
	d.UseNumber()
	var input any
	_ = d.Decode(&input)

	// InputPath: a definite path yields the value itself.
	items, _ := jsonpath.MustParse("$.order.items").Get(input)
	fmt.Println(len(items.([]any)))

	// A filter yields a list of matches.
	skus, _ := jsonpath.MustParse("$.order.items[?(@.qty > 0)].sku").Get(input)
	fmt.Println(skus)

	// ResultPath: place a task result into a copy of the input.
	rp, _ := jsonpath.ParseReference("$.order.status")
	out, _ := rp.Set(input, "PAID")
	b, _ := json.Marshal(out)
	fmt.Println(string(b))

	// Output:
	// 2
	// [a]
	// {"order":{"items":[{"qty":2,"sku":"a"},{"qty":0,"sku":"b"}],"status":"PAID"}}
}

func ExampleParseReference() {
	_, err := jsonpath.ParseReference("$.items[*].id")
	fmt.Println(err)
	// Output:
	// parsing path "$.items[*].id": offset 7: wildcard '*' is not allowed in a reference path, which must select a single node; use only $, .field, ['field'] and [n]
}

func ExamplePath_Get_notFound() {
	_, err := jsonpath.MustParse("$.a.b").Get(map[string]any{"a": map[string]any{}})
	fmt.Println(errors.Is(err, jsonpath.ErrNotFound))
	fmt.Println(err)
	// Output:
	// true
	// path $.a.b: at $.a: field "b" not found
}
