package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/service"
)

type withIgnoredFunc struct {
	Name     string       `json:"name"`
	Callback func() error `json:"-"`
}

type withIgnoredChan struct {
	Name string        `json:"name"`
	Done chan struct{} `json:"-"`
}

type withUnexportedChan struct {
	Name string
	done chan struct{}
}

// A field tagged "-," is named "-" in the JSON: it is encoded.
type withDashNamedFunc struct {
	F func() `json:"-,"`
}

type withOmitEmptyFunc struct {
	F func() `json:"f,omitempty"`
}

type withChanInSlice struct {
	Items []chan int
}

type withNestedFunc struct {
	Inner struct {
		F func()
	}
}

type embedded struct {
	F func()
}

type withEmbeddedFunc struct {
	embedded
}

type withEmbeddedPointerFunc struct {
	*embedded
}

type embeddedIgnored struct {
	F func() `json:"-"`
	N int
}

type withEmbeddedIgnored struct {
	embeddedIgnored
}

// The unexported fields exist for their types only.
var (
	_ = withUnexportedChan{done: nil}
	_ = ownJSON{ch: nil}
)

type recursive struct {
	Name     string
	Children []*recursive
}

type ownJSON struct{ ch chan int }

func (ownJSON) MarshalJSON() ([]byte, error) { return []byte(`{}`), nil }
func (*ownJSON) UnmarshalJSON([]byte) error  { return nil }

type textKey struct{ A, B int }

func (k textKey) MarshalText() ([]byte, error) { return []byte("k"), nil }

// TestHandlerPayloadTypes: a payload type is accepted when encoding/json
// can round-trip it: fields it skips (json:"-", unexported) may hold
// functions or channels; any field it encodes may not.
func TestHandlerPayloadTypes(t *testing.T) {
	tests := []struct {
		name    string
		handler any
		wantErr string
	}{
		{"json:\"-\" func field in input", func(context.Context, withIgnoredFunc) error { return nil }, ""},
		{"json:\"-\" func field in output", func() (withIgnoredFunc, error) { return withIgnoredFunc{}, nil }, ""},
		{"json:\"-\" chan field in input", func(context.Context, *withIgnoredChan) error { return nil }, ""},
		{"json:\"-\" chan field in output", func(context.Context) (*withIgnoredChan, error) { return nil, nil }, ""},
		{"unexported chan field", func(context.Context, withUnexportedChan) error { return nil }, ""},
		{"json:\"-,\" func field is encoded", func(context.Context, withDashNamedFunc) error { return nil }, "field F"},
		{"omitempty func field is encoded", func() (withOmitEmptyFunc, error) { return withOmitEmptyFunc{}, nil }, "field F"},
		{"chan in a slice", func(context.Context, withChanInSlice) error { return nil }, "field Items"},
		{"func in a nested struct", func() (withNestedFunc, error) { return withNestedFunc{}, nil }, "field Inner"},
		{"func in an embedded struct", func(context.Context, withEmbeddedFunc) error { return nil }, "cannot be decoded from JSON"},
		{"func in an embedded pointer struct", func() (withEmbeddedPointerFunc, error) { return withEmbeddedPointerFunc{}, nil }, "cannot be encoded as JSON"},
		{"embedded struct whose func is json:\"-\"", func(context.Context, withEmbeddedIgnored) error { return nil }, ""},
		{"recursive type", func(context.Context, recursive) (recursive, error) { return recursive{}, nil }, ""},
		{"own JSON methods", func(context.Context, ownJSON) (ownJSON, error) { return ownJSON{}, nil }, ""},
		{"time.Time", func(context.Context, time.Time) (time.Time, error) { return time.Time{}, nil }, ""},
		{"json.RawMessage", func(context.Context, json.RawMessage) (json.RawMessage, error) { return nil, nil }, ""},
		{"map of int keys", func(context.Context, map[int]string) error { return nil }, ""},
		{"map of uintptr keys", func(context.Context, map[uintptr]string) error { return nil }, ""},
		{"map of uint8 keys", func(context.Context, map[uint8]string) error { return nil }, ""},
		{"map of TextMarshaler keys", func(context.Context, map[textKey]string) error { return nil }, ""},
		{"map of float keys", func(context.Context, map[float64]string) error { return nil }, "map key type float64"},
		{"map of bool keys", func(context.Context, map[bool]string) error { return nil }, "map key type bool"},
		{"map of func values", func(context.Context, map[string]func()) error { return nil }, "kind func"},
		{"array of complex", func() ([2]complex64, error) { return [2]complex64{}, nil }, "kind complex64"},
		{"pointer to chan", func(context.Context, *chan int) error { return nil }, "kind chan"},
		{"any", func(context.Context, any) (any, error) { return nil, nil }, ""},
		{"func(TIn) error with a payload", func(withIgnoredFunc) error { return nil }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := service.InspectHandler(tt.handler)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("InspectHandler(%T) = %v, want accepted", tt.handler, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("InspectHandler(%T) = %v, want an error containing %q", tt.handler, err, tt.wantErr)
			}
		})
	}
}
