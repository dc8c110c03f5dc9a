package intrinsic_test

import (
	"errors"
	"fmt"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

func Example() {
	input := map[string]any{"name": "Arnav", "ids": []any{3, 1, 3}}
	c, err := intrinsic.Parse("States.Format('Hello {}, {} ids', $.name, States.ArrayLength(States.ArrayUnique($.ids)))")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.Eval(intrinsic.Env{Resolve: func(p *jsonpath.Path) (any, error) { return p.Get(input) }})
	fmt.Println(out, err)
	// Output: Hello Arnav, 2 ids <nil>
}

func ExampleParse_errors() {
	_, err := intrinsic.Parse("States.ArrayGetItem($.a)")
	fmt.Println(err)
	// Output: parsing intrinsic "States.ArrayGetItem($.a)": offset 0: States.ArrayGetItem expects 2 arguments, got 1
}

func ExampleError() {
	c, _ := intrinsic.Parse("States.ArrayGetItem(States.Array(1, 2), 5)")
	_, err := c.Eval(intrinsic.Env{})
	// The engine matches Catch and Retry rules on the ASL error name.
	var named interface{ ErrorName() string }
	if errors.As(err, &named) {
		fmt.Println(named.ErrorName())
	}
	fmt.Println(err)
	// Output:
	// States.IntrinsicFailure
	// States.IntrinsicFailure: States.ArrayGetItem: index 5 is out of range for an array of length 2
}
