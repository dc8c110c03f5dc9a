package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/service"
)

type in struct {
	Name string `json:"name"`
}
type out struct {
	Roll int `json:"roll"`
}

func TestInspectHandlerShapes(t *testing.T) {
	tests := []struct {
		name    string
		handler any
		wantErr string // empty: accepted
	}{
		// The eight shapes aws-lambda-go documents.
		{"func()", func() {}, ""},
		{"func() error", func() error { return nil }, ""},
		{"func(TIn) error", func(in) error { return nil }, ""},
		{"func() (TOut, error)", func() (out, error) { return out{}, nil }, ""},
		{"func(ctx) error", func(context.Context) error { return nil }, ""},
		{"func(ctx, TIn) error", func(context.Context, in) error { return nil }, ""},
		{"func(ctx) (TOut, error)", func(context.Context) (out, error) { return out{}, nil }, ""},
		{"func(ctx, TIn) (TOut, error)", func(context.Context, *in) (map[string]any, error) { return nil, nil }, ""},
		// Everything else.
		{"nil", nil, "handler is nil"},
		{"not a func", 42, "handler is a int, not a function"},
		{"nil func", (func())(nil), "nil func()"},
		{"func(TIn)", func(in) {}, "must return error or (TOut, error)"},
		{"func(ctx)", func(context.Context) {}, "must return error or (TOut, error)"},
		{"func(TIn) (TOut, error)", func(in) (out, error) { return out{}, nil }, "add context.Context as the first parameter"},
		{"three params", func(context.Context, in, in) error { return nil }, "takes 3 parameters"},
		{"two params without ctx", func(in, in) error { return nil }, "first of two parameters must be context.Context"},
		{"single non-error result", func() int { return 0 }, "a single result must be error"},
		{"second result not error", func() (out, int) { return out{}, 0 }, "second result must be error"},
		{"three results", func() (int, int, error) { return 0, 0, nil }, "returns 3 results"},
		{"variadic", func(...int) error { return nil }, "variadic"},
		{"chan input", func(context.Context, chan int) error { return nil }, "input type chan int cannot be decoded"},
		{"func field output", func() (struct{ F func() }, error) { return struct{ F func() }{}, nil }, "field F"},
		{"complex output", func() (complex128, error) { return 0, nil }, "cannot be encoded as JSON"},
		{"bad map key", func(context.Context, map[struct{}]int) error { return nil }, "map key type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := service.InspectHandler(tt.handler)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("InspectHandler(%s) = %v, want accepted", tt.name, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("InspectHandler(%s) accepted, want error containing %q", tt.name, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("InspectHandler(%s) = %v, want error containing %q", tt.name, err, tt.wantErr)
			}
		})
	}
}

func TestHandlerShapeTypes(t *testing.T) {
	shape, err := service.InspectHandler(func(context.Context, in) (out, error) { return out{}, nil })
	if err != nil {
		t.Fatal(err)
	}
	if !shape.HasContext || shape.In.Name() != "in" || shape.Out.Name() != "out" {
		t.Fatalf("shape = %+v, want context, in, out", shape)
	}
}

func TestNewAWSLambdaNamesTheFunction(t *testing.T) {
	_, err := service.NewAWSLambda("charge", func(in) {}, service.IAMRoleDefinition{})
	if err == nil || !strings.Contains(err.Error(), `function "charge"`) || !strings.Contains(err.Error(), "func(service_test.in)") {
		t.Fatalf("NewAWSLambda = %v, want an error naming the function and its signature", err)
	}
	_, err = service.NewAWSLambda("bad name!", func() {}, service.IAMRoleDefinition{})
	if err == nil || !strings.Contains(err.Error(), "invalid name") {
		t.Fatalf("NewAWSLambda(bad name) = %v, want invalid name", err)
	}
}
