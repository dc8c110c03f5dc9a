package jsonvalue_test

import (
	"encoding/json"
	"testing"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"numbers by value", json.Number("1.0"), 1, true},
		{"big integers exactly", json.Number("9007199254740993"), json.Number("9007199254740992"), false},
		{"number vs string", json.Number("1"), "1", false},
		{"nested", map[string]any{"a": []any{json.Number("2"), nil}}, map[string]any{"a": []any{2.0, nil}}, true},
		{"missing key", map[string]any{"a": nil}, map[string]any{}, false},
		{"bool", true, true, true},
		{"null vs false", nil, false, false},
	}
	for _, tt := range tests {
		if got := jsonvalue.Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Equal(%v, %v) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	if i, _, isInt, ok := jsonvalue.Number(json.Number("-42")); !ok || !isInt || i != -42 {
		t.Errorf("Number(-42) = %d %v %v", i, isInt, ok)
	}
	if _, f, isInt, ok := jsonvalue.Number(json.Number("8.95")); !ok || isInt || f != 8.95 {
		t.Errorf("Number(8.95) = %v %v %v", f, isInt, ok)
	}
	if _, _, _, ok := jsonvalue.Number("1"); ok {
		t.Error("Number(\"1\") ok, want not a number")
	}
}
