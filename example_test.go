//go:build !lambdabinary

package sparta_test

import (
	"context"
	"fmt"

	sparta "github.com/sparta-go/sparta"
)

type greeting struct {
	Message string `json:"message"`
}

func hello(ctx context.Context, in map[string]string) (greeting, error) {
	return greeting{Message: "hello " + in["name"]}, nil
}

// A function is an ordinary Go handler, a name and a role.
func ExampleNewAWSLambda() {
	fn, err := sparta.NewAWSLambda("hello", hello, sparta.IAMRoleDefinition{
		Privileges: []sparta.IAMRolePrivilege{{
			Actions:  []string{"s3:GetObject"},
			Resource: "arn:aws:s3:::greetings/*",
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fn.Options = &sparta.LambdaFunctionOptions{MemorySize: 256, Timeout: 10}
	fmt.Println(fn.Name, fn.Shape().In, fn.Shape().Out)
	// Output: hello map[string]string sparta_test.greeting
}

// A handler of an unsupported shape is refused with its signature.
func ExampleNewAWSLambda_invalidHandler() {
	_, err := sparta.NewAWSLambda("bad", func(s string) {}, sparta.IAMRoleDefinition{})
	fmt.Println(err)
	// Output: function "bad": handler func(string): a handler with parameters must return error or (TOut, error); want one of func(), func() error, func(TIn) error, func() (TOut, error), func(context.Context) error, func(context.Context, TIn) error, func(context.Context) (TOut, error), func(context.Context, TIn) (TOut, error)
}
