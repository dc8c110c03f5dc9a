package service

import (
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
)

// HandlerShape describes a validated Lambda handler: which of the eight
// aws-lambda-go shapes it has and its payload types.
type HandlerShape struct {
	Type       reflect.Type // the handler's func type
	HasContext bool         // first parameter is context.Context
	In         reflect.Type // TIn, or nil when the handler takes no payload
	Out        reflect.Type // TOut, or nil when the handler returns only an error or nothing
}

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
)

// handlerShapes is the list users see when their handler fits none of them.
const handlerShapes = "func(), func() error, func(TIn) error, func() (TOut, error), " +
	"func(context.Context) error, func(context.Context, TIn) error, " +
	"func(context.Context) (TOut, error), func(context.Context, TIn) (TOut, error)"

// InspectHandler checks that handler has one of the eight shapes that
// aws-lambda-go documents, and that its payload types can be JSON encoded.
func InspectHandler(handler any) (HandlerShape, error) {
	if handler == nil {
		return HandlerShape{}, fmt.Errorf("handler is nil; want one of %s", handlerShapes)
	}
	t := reflect.TypeOf(handler)
	if t.Kind() != reflect.Func {
		return HandlerShape{}, fmt.Errorf("handler is a %s, not a function; want one of %s", t, handlerShapes)
	}
	if reflect.ValueOf(handler).IsNil() {
		return HandlerShape{}, fmt.Errorf("handler is a nil %s", t)
	}
	shape := HandlerShape{Type: t}
	bad := func(why string) (HandlerShape, error) {
		return HandlerShape{}, fmt.Errorf("handler %s: %s; want one of %s", t, why, handlerShapes)
	}
	if t.IsVariadic() {
		return bad("variadic handlers are not supported")
	}
	switch t.NumIn() {
	case 0:
	case 1:
		if t.In(0) == contextType {
			shape.HasContext = true
		} else {
			shape.In = t.In(0)
		}
	case 2:
		if t.In(0) != contextType {
			return bad("the first of two parameters must be context.Context")
		}
		shape.HasContext = true
		shape.In = t.In(1)
	default:
		return bad(fmt.Sprintf("it takes %d parameters, at most 2 are allowed", t.NumIn()))
	}
	switch t.NumOut() {
	case 0:
		// Only func() may return nothing.
		if t.NumIn() != 0 {
			return bad("a handler with parameters must return error or (TOut, error)")
		}
	case 1:
		if t.Out(0) != errorType {
			return bad("a single result must be error")
		}
	case 2:
		if t.Out(1) != errorType {
			return bad("the second result must be error")
		}
		if shape.In != nil && !shape.HasContext {
			return bad("func(TIn) (TOut, error) is not a supported shape; add context.Context as the first parameter")
		}
		shape.Out = t.Out(0)
	default:
		return bad(fmt.Sprintf("it returns %d results, at most 2 are allowed", t.NumOut()))
	}
	if shape.In != nil {
		if err := checkJSONType(shape.In, map[reflect.Type]bool{}); err != nil {
			return bad(fmt.Sprintf("input type %s cannot be decoded from JSON: %v", shape.In, err))
		}
	}
	if shape.Out != nil {
		if err := checkJSONType(shape.Out, map[reflect.Type]bool{}); err != nil {
			return bad(fmt.Sprintf("output type %s cannot be encoded as JSON: %v", shape.Out, err))
		}
	}
	return shape, nil
}

var (
	jsonMarshalerType   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
)

// checkJSONType rejects types encoding/json cannot round-trip. Types with
// their own JSON methods are trusted; interfaces are checked at run time.
func checkJSONType(t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	if t.Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(jsonUnmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return fmt.Errorf("%s has kind %s", t, t.Kind())
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return checkJSONType(t.Elem(), seen)
	case reflect.Map:
		k := t.Key()
		switch {
		case k.Kind() == reflect.String, k.Kind() >= reflect.Int && k.Kind() <= reflect.Uintptr,
			k.Implements(textMarshalerType):
		default:
			return fmt.Errorf("map key type %s must be a string, an integer or implement encoding.TextMarshaler", k)
		}
		return checkJSONType(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			// encoding/json promotes the exported fields of an embedded
			// struct even when the struct's type is unexported.
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			promoted := f.Anonymous && ft.Kind() == reflect.Struct
			if !f.IsExported() && !promoted || f.Tag.Get("json") == "-" {
				continue
			}
			if err := checkJSONType(f.Type, seen); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
	}
	return nil
}
