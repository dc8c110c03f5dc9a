package step

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

// wireReader fills the wire structs from a definition decoded once into
// the engine's value model (FromJSON hands the same decoded value to the
// engine, which then has nothing left to parse). It is as strict as a
// strict encoding/json decoding into the wire structs: an unknown field,
// or a field of the wrong JSON type, is an error; null leaves a field
// unset. Field names match exactly, as AWS matches them.
type wireReader struct {
	order *jsonvalue.KeyOrder
	errs  []string
	// scratch holds one wireState per scope depth, reused state after
	// state: a wire form lives only while its state is parsed.
	scratch []*wireState
}

// statesRead is a States object as decoded: its state names in the order
// written, without duplicates, and its members.
type statesRead struct {
	names []string
	m     map[string]any
}

// err reports every problem found, in a stable order.
func (r *wireReader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	slices.Sort(r.errs)
	return &ValidationError{Reason: "reading the definition: " + strings.Join(slices.Compact(r.errs), "; ")}
}

// at names where a problem is: the state (when there is one) and field.
func at(state, field string) string {
	switch {
	case state == "":
		return field
	case field == "":
		return fmt.Sprintf("state %q", state)
	}
	return fmt.Sprintf("state %q: %s", state, field)
}

func (r *wireReader) errorf(state, field, format string, args ...any) {
	r.errs = append(r.errs, at(state, field)+": "+fmt.Sprintf(format, args...))
}

func (r *wireReader) unknown(state, field string) {
	if state == "" {
		r.errs = append(r.errs, fmt.Sprintf("unknown field %q", field))
		return
	}
	r.errs = append(r.errs, fmt.Sprintf("state %q: unknown field %q", state, field))
}

func (r *wireReader) want(state, field, what string, v any) {
	r.errorf(state, field, "must be %s, not %s", what, jsonKind(v))
}

func (r *wireReader) str(state, field string, v any, dst *string) {
	switch x := v.(type) {
	case nil:
	case string:
		*dst = x
	default:
		r.want(state, field, "a string", v)
	}
}

func (r *wireReader) flag(state, field string, v any, dst *bool) {
	switch x := v.(type) {
	case nil:
	case bool:
		*dst = x
	default:
		r.want(state, field, "true or false", v)
	}
}

func (r *wireReader) path(v any) wirePath {
	switch x := v.(type) {
	case nil:
		return wirePath{set: true, null: true}
	case string:
		return wirePath{set: true, path: x}
	}
	return wirePath{set: true, bad: v}
}

// object reads an object that may be null (ok false, no problem).
func (r *wireReader) object(state, field string, v any) (map[string]any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case map[string]any:
		return x, true
	}
	r.want(state, field, "an object", v)
	return nil, false
}

func (r *wireReader) array(state, field string, v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	r.want(state, field, "an array", v)
	return nil
}

func (r *wireReader) strings(state, field string, v any) []string {
	list := r.array(state, field, v)
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, e := range list {
		r.str(state, indexField(field, i), e, &out[i])
	}
	return out
}

// integer reads an optional whole number that fits an int.
func (r *wireReader) integer(state, field string, v any) *int {
	switch x := v.(type) {
	case nil:
		return nil
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil && i >= math.MinInt && i <= math.MaxInt {
			n := int(i)
			return &n
		}
		r.errorf(state, field, "must be an integer, not %s", x)
		return nil
	}
	r.want(state, field, "an integer", v)
	return nil
}

func (r *wireReader) float(state, field string, v any) *float64 {
	switch x := v.(type) {
	case nil:
		return nil
	case json.Number:
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			return &f
		}
		r.errorf(state, field, "must be a number, not %s", x)
		return nil
	}
	r.want(state, field, "a number", v)
	return nil
}

// machine reads the top level of a definition.
func (r *wireReader) machine(v any) *wireMachine {
	m, ok := v.(map[string]any)
	if !ok {
		r.errs = append(r.errs, "the definition must be a JSON object with StartAt and States, not "+jsonKind(v))
		return nil
	}
	w := &wireMachine{}
	for k, x := range m {
		switch k {
		case "QueryLanguage":
			r.str("", k, x, &w.QueryLanguage)
		case "Comment":
			r.str("", k, x, &w.Comment)
		case "StartAt":
			r.str("", k, x, &w.StartAt)
		case "States":
			w.read = r.states("", m)
		case "TimeoutSeconds":
			w.TimeoutSeconds = x
		case "Version":
			r.str("", k, x, &w.Version)
		default:
			r.unknown("", k)
		}
	}
	return w
}

// states reads the States of parent (the top level, a branch or an item
// processor, itself within state), in the order they are written.
func (r *wireReader) states(state string, parent map[string]any) statesRead {
	m, ok := parent["States"].(map[string]any)
	if !ok {
		r.errorf(state, "States", "must be an object")
		return statesRead{}
	}
	names, _ := r.order.Keys(m)
	if len(names) != len(m) {
		// A state defined twice: keep its first place, report it.
		unique := make([]string, 0, len(m))
		for i, name := range names {
			if slices.Contains(names[:i], name) {
				r.errs = append(r.errs, fmt.Sprintf("state %q is defined twice in one States object", name))
				continue
			}
			unique = append(unique, name)
		}
		names = unique
	}
	return statesRead{names: names, m: m}
}

// state reads one state into the scratch wireState of depth, which it
// returns (nil when the state is not an object).
func (r *wireReader) state(name string, v any, depth int) *wireState {
	m, ok := v.(map[string]any)
	if !ok {
		r.errorf(name, "", "must be an object, not %s", jsonKind(v))
		return nil
	}
	for len(r.scratch) <= depth {
		r.scratch = append(r.scratch, new(wireState))
	}
	w := r.scratch[depth]
	*w = wireState{}
	for k, x := range m {
		switch k {
		case "Type":
			r.str(name, k, x, &w.Type)
		case "Comment":
			r.str(name, k, x, &w.Comment)
		case "QueryLanguage":
			r.str(name, k, x, &w.QueryLanguage)
		case "Resource":
			r.str(name, k, x, &w.Resource)
		case "Credentials":
			w.Credentials = x
		case "Choices":
			w.Choices = r.array(name, k, x)
		case "Default":
			r.str(name, k, x, &w.Default)
		case "Seconds":
			w.Seconds = x
		case "SecondsPath":
			r.str(name, k, x, &w.SecondsPath)
		case "Timestamp":
			w.Timestamp = x
		case "TimestampPath":
			r.str(name, k, x, &w.TimestampPath)
		case "Error":
			r.str(name, k, x, &w.Error)
		case "ErrorPath":
			r.str(name, k, x, &w.ErrorPath)
		case "Cause":
			r.str(name, k, x, &w.Cause)
		case "CausePath":
			r.str(name, k, x, &w.CausePath)
		case "Branches":
			if list := r.array(name, k, x); list != nil {
				w.Branches = make([]*wireBranch, 0, len(list))
				for i, b := range list {
					if wb := r.branch(name, indexField(k, i), b); wb != nil {
						w.Branches = append(w.Branches, wb)
					}
				}
			}
		case "ItemProcessor":
			if b := r.branch(name, k, x); b != nil {
				w.ItemProcessor = (*wireProcessor)(b)
			}
		case "Iterator":
			w.Iterator = r.branch(name, k, x)
		case "ItemReader":
			w.ItemReader = x
		case "ItemsPath":
			r.str(name, k, x, &w.ItemsPath)
		case "Items":
			w.Items = x
		case "ItemSelector":
			w.ItemSelector = x
		case "ItemBatcher":
			w.ItemBatcher = x
		case "ResultWriter":
			w.ResultWriter = x
		case "MaxConcurrency":
			w.MaxConcurrency = x
		case "MaxConcurrencyPath":
			r.str(name, k, x, &w.MaxConcurrencyPath)
		case "ToleratedFailurePercentage":
			w.ToleratedFailurePercentage = x
		case "ToleratedFailurePercentagePath":
			r.str(name, k, x, &w.ToleratedFailurePercentagePath)
		case "ToleratedFailureCount":
			w.ToleratedFailureCount = x
		case "ToleratedFailureCountPath":
			r.str(name, k, x, &w.ToleratedFailureCountPath)
		case "Label":
			r.str(name, k, x, &w.Label)
		case "InputPath":
			w.InputPath = r.path(x)
		case "Parameters":
			w.Parameters = x
		case "Arguments":
			w.Arguments = x
		case "Result":
			w.Result = x
		case "ResultSelector":
			w.ResultSelector = x
		case "ResultPath":
			w.ResultPath = r.path(x)
		case "OutputPath":
			w.OutputPath = r.path(x)
		case "Output":
			w.Output = x
		case "Assign":
			w.Assign = x
		case "TimeoutSeconds":
			w.TimeoutSeconds = x
		case "TimeoutSecondsPath":
			r.str(name, k, x, &w.TimeoutSecondsPath)
		case "HeartbeatSeconds":
			w.HeartbeatSeconds = x
		case "HeartbeatSecondsPath":
			r.str(name, k, x, &w.HeartbeatSecondsPath)
		case "Retry":
			if list := r.array(name, k, x); list != nil {
				w.Retry = make([]wireRetrier, len(list))
				for i, e := range list {
					r.retrier(name, indexField(k, i), e, &w.Retry[i])
				}
			}
		case "Catch":
			if list := r.array(name, k, x); list != nil {
				w.Catch = make([]wireCatcher, len(list))
				for i, e := range list {
					r.catcher(name, indexField(k, i), e, &w.Catch[i])
				}
			}
		case "Next":
			r.str(name, k, x, &w.Next)
		case "End":
			r.flag(name, k, x, &w.End)
		default:
			r.unknown(name, k)
			continue
		}
		if i := wireFieldIndex[k]; !zeroAs(wireFieldKinds[i], x) {
			w.present |= 1 << i
		}
	}
	return w
}

// branch reads a Parallel branch, a Map's ItemProcessor or its Iterator.
func (r *wireReader) branch(state, field string, v any) *wireBranch {
	m, ok := r.object(state, field, v)
	if !ok {
		if v == nil && field != "ItemProcessor" && field != "Iterator" {
			r.want(state, field, "an object", v)
		}
		return nil
	}
	b := &wireBranch{}
	for k, x := range m {
		switch k {
		case "Comment":
			r.str(state, field+"."+k, x, &b.Comment)
		case "StartAt":
			r.str(state, field+"."+k, x, &b.StartAt)
		case "States":
			b.read = r.states(state, m)
		case "ProcessorConfig":
			pm, ok := r.object(state, field+"."+k, x)
			if !ok {
				continue
			}
			b.ProcessorConfig = &wireProcessorConfig{}
			for pk, px := range pm {
				switch pk {
				case "Mode":
					r.str(state, field+".ProcessorConfig.Mode", px, &b.ProcessorConfig.Mode)
				case "ExecutionType":
					r.str(state, field+".ProcessorConfig.ExecutionType", px, &b.ProcessorConfig.ExecutionType)
				default:
					r.unknown(state, field+".ProcessorConfig."+pk)
				}
			}
		default:
			r.unknown(state, field+"."+k)
		}
	}
	return b
}

func (r *wireReader) retrier(state, field string, v any, w *wireRetrier) {
	m, ok := r.object(state, field, v)
	if !ok {
		return
	}
	for k, x := range m {
		f := field + "." + k
		switch k {
		case "ErrorEquals":
			w.ErrorEquals = r.strings(state, f, x)
		case "Comment":
			r.str(state, f, x, &w.Comment)
		case "IntervalSeconds":
			w.IntervalSeconds = r.integer(state, f, x)
		case "MaxAttempts":
			w.MaxAttempts = r.integer(state, f, x)
		case "BackoffRate":
			w.BackoffRate = r.float(state, f, x)
		case "MaxDelaySeconds":
			w.MaxDelaySeconds = r.integer(state, f, x)
		case "JitterStrategy":
			r.str(state, f, x, &w.JitterStrategy)
		default:
			r.unknown(state, f)
		}
	}
}

func (r *wireReader) catcher(state, field string, v any, w *wireCatcher) {
	m, ok := r.object(state, field, v)
	if !ok {
		return
	}
	for k, x := range m {
		f := field + "." + k
		switch k {
		case "ErrorEquals":
			w.ErrorEquals = r.strings(state, f, x)
		case "Comment":
			r.str(state, f, x, &w.Comment)
		case "ResultPath":
			w.ResultPath = r.path(x)
		case "Output":
			w.Output = x
		case "Assign":
			w.Assign = x
		case "Next":
			r.str(state, f, x, &w.Next)
		default:
			r.unknown(state, f)
		}
	}
}

// wireFieldKinds are the reflect kinds of wireState's JSON fields, by
// wireFieldNames index.
var wireFieldKinds = func() []reflect.Kind {
	t := reflect.TypeFor[wireState]()
	out := make([]reflect.Kind, len(wireFieldNames))
	for i := range out {
		out[i] = t.Field(i).Type.Kind()
	}
	return out
}()

// zeroAs reports whether the wire field of kind k that the reader fills
// from x keeps its zero value: null and "" for strings, null and false for
// End, null for the rest; a path field is set whenever it is present. A
// value of the wrong JSON type is the reader's error, whatever this says.
func zeroAs(k reflect.Kind, x any) bool {
	switch k {
	case reflect.String:
		s, _ := x.(string)
		return s == ""
	case reflect.Bool:
		b, _ := x.(bool)
		return !b
	case reflect.Struct:
		return false
	case reflect.Slice:
		_, ok := x.([]any)
		return !ok
	case reflect.Pointer:
		_, ok := x.(map[string]any)
		return !ok
	}
	return x == nil
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a Boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// cloneValue deep-copies a decoded value's objects and arrays.
func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneValue(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = cloneValue(e)
		}
		return a
	}
	return v
}
