package core_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sparta-go/sparta/local/core"
)

func TestOpDecodesTheInput(t *testing.T) {
	op := core.Op(func(_ context.Context, in struct {
		Name string `json:"name"`
	}) (any, error) {
		return in.Name, nil
	})
	if got, err := op(context.Background(), []byte(`{"name":"x"}`)); err != nil || got != "x" {
		t.Errorf("Op(name x) = %v, %v", got, err)
	}
	if got, err := op(context.Background(), nil); err != nil || got != "" {
		t.Errorf("Op(empty body) = %v, %v; want the zero input", got, err)
	}
	_, err := op(context.Background(), []byte(`{not json`))
	var ce *core.Error
	if !errors.As(err, &ce) || ce.Code != "SerializationException" || ce.Status != 400 {
		t.Errorf("Op(bad JSON) = %v, want a 400 SerializationException", err)
	}
}
