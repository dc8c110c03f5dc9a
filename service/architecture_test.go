package service_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/service"
)

// TestArchitectureNames: each spelling of each architecture, both ways.
func TestArchitectureNames(t *testing.T) {
	tests := []struct {
		name   string
		arch   service.Architecture
		goarch string
	}{
		{"arm64", service.ArchARM64, "arm64"},
		{"x86_64", service.ArchX86_64, "amd64"},
		{"zero value is arm64", "", "arm64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.arch.GOARCH(); got != tt.goarch {
				t.Errorf("%q.GOARCH() = %q, want %q", tt.arch, got, tt.goarch)
			}
			if tt.arch == "" {
				return
			}
			if got, err := service.ArchitectureForGOARCH(tt.goarch); err != nil || got != tt.arch {
				t.Errorf("ArchitectureForGOARCH(%q) = %q, %v; want %q", tt.goarch, got, err, tt.arch)
			}
		})
	}
	for _, goarch := range []string{"386", "x86_64", "", "riscv64"} {
		if _, err := service.ArchitectureForGOARCH(goarch); err == nil || !strings.Contains(err.Error(), "has no Lambda architecture") {
			t.Errorf("ArchitectureForGOARCH(%q) = %v, want refused", goarch, err)
		}
	}
	if got := service.Architecture("").Or(service.ArchX86_64); got != service.ArchX86_64 {
		t.Errorf(`"".Or(x86_64) = %q`, got)
	}
	if got := service.ArchARM64.Or(service.ArchX86_64); got != service.ArchARM64 {
		t.Errorf("arm64.Or(x86_64) = %q", got)
	}
}

// TestShapeOfAFunctionBuiltWithoutNewAWSLambda reads the handler's shape
// on demand.
func TestShapeOfAFunctionBuiltWithoutNewAWSLambda(t *testing.T) {
	l := &service.LambdaAWSInfo{Name: "fn", Handler: func(context.Context, in) (out, error) { return out{}, nil }}
	s := l.Shape()
	if !s.HasContext || s.In != reflect.TypeFor[in]() || s.Out != reflect.TypeFor[out]() {
		t.Errorf("Shape() = %+v, want context, in, out", s)
	}
	if s := (&service.LambdaAWSInfo{Name: "none"}).Shape(); s.Type != nil {
		t.Errorf("Shape() of no handler = %+v, want zero", s)
	}
	var nilInfo *service.LambdaAWSInfo
	if err := nilInfo.Validate(); err == nil || !strings.Contains(err.Error(), "nil *LambdaAWSInfo") {
		t.Errorf("Validate() of nil = %v", err)
	}
}

type namedHook struct{}

func (namedHook) DecorateService(context.Context, *service.ServiceContext) error { return nil }

// TestDecoratorNames: a named decorator shows its name and unwraps to what
// it wraps, however deep; an unnamed one shows its type.
func TestDecoratorNames(t *testing.T) {
	inner := namedHook{}
	named := service.NamedDecorator("images", service.NamedDecorator("inner", inner))
	if got := service.DecoratorName(2, named); got != "service decorator 2 (images)" {
		t.Errorf("DecoratorName(named) = %q", got)
	}
	if got := service.DecoratorName(0, inner); got != "service decorator 0 (service_test.namedHook)" {
		t.Errorf("DecoratorName(unnamed) = %q", got)
	}
	if got := service.Unwrap(named); got != service.ServiceDecoratorHookHandler(inner) {
		t.Errorf("Unwrap(named) = %#v, want the innermost decorator", got)
	}
	if got := service.Unwrap(inner); got != service.ServiceDecoratorHookHandler(inner) {
		t.Errorf("Unwrap(unnamed) = %#v, want itself", got)
	}
	boom := errors.New("boom")
	f := service.ServiceDecoratorFunc(func(context.Context, *service.ServiceContext) error { return boom })
	if err := service.NamedDecorator("f", f).DecorateService(context.Background(), nil); !errors.Is(err, boom) {
		t.Errorf("DecorateService through a name = %v, want the function's error", err)
	}
}
