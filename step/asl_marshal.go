package step

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// MarshalJSON writes the machine's ASL definition in AWS's form: the
// top-level fields, then the States object in the order States() lists
// them. The same machine always gives the same bytes.
//
// See https://states-language.net/spec.html#toplevelfields.
func (sm *StateMachine) MarshalJSON() ([]byte, error) {
	w, err := sm.wire()
	if err != nil {
		return nil, err
	}
	return marshalJSON(w)
}

// MarshalIndent is MarshalJSON indented with two spaces, for golden files
// and the describe command.
func (sm *StateMachine) MarshalIndent() ([]byte, error) {
	w, err := sm.wire()
	if err != nil {
		return nil, err
	}
	raw, err := marshalJSON(w)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func (sm *StateMachine) wire() (*wireMachine, error) {
	ql := sm.queryLanguage
	if ql == "" {
		ql = JSONPath
	}
	start, states, err := wireScope(sm.body, ql)
	if err != nil {
		return nil, err
	}
	w := &wireMachine{
		QueryLanguage: string(sm.queryLanguage),
		Comment:       sm.comment,
		StartAt:       start,
		States:        states,
		Version:       sm.version,
	}
	if sm.timeoutSeconds != 0 {
		w.TimeoutSeconds = sm.timeoutSeconds
	}
	return w, nil
}

func wireScope(sc scope, ql QueryLanguage) (string, orderedStates, error) {
	states := sc.states()
	out := make(orderedStates, 0, len(states))
	for _, s := range states {
		w, err := toWire(s, ql)
		if err != nil {
			return "", nil, err
		}
		out = append(out, namedState{name: s.Name(), state: w})
	}
	return nameOf(sc.startAt), out, nil
}

func nameOf(s State) string {
	if s == nil {
		return ""
	}
	return s.Name()
}

// marshalState writes one state's object on its own, as it would appear in
// a machine of its own query language.
func marshalState(s State) ([]byte, error) {
	w, err := toWire(s, JSONPath)
	if err != nil {
		return nil, err
	}
	return marshalJSON(w)
}

// effectiveLanguage is the query language s uses inside a scope whose
// language is inherited.
func effectiveLanguage(s State, inherited QueryLanguage) QueryLanguage {
	if ql := s.common().queryLanguage; ql != "" {
		return ql
	}
	return inherited
}

func rawPath(p string) wirePath {
	switch p {
	case "":
		return wirePath{}
	case JSONNull:
		return wirePath{set: true, null: true}
	}
	return wirePath{set: true, path: p}
}

func (f *flow) wire(w *wireState) {
	if f.next != nil {
		w.Next = f.next.Name()
		return
	}
	w.End = f.end || !f.strict
}

func (io *ioPaths) wire(w *wireState) {
	w.InputPath = rawPath(io.inputPath)
	w.OutputPath = rawPath(io.outputPath)
	w.Output = io.output
}

func (r *resultFields) wire(w *wireState) {
	w.Parameters = r.parameters
	w.ResultSelector = r.resultSelector
	w.ResultPath = rawPath(r.resultPath)
}

func (e *errorHandling) wire(w *wireState) {
	for _, r := range e.retry {
		w.Retry = append(w.Retry, r.wire())
	}
	for _, c := range e.catch {
		w.Catch = append(w.Catch, wireCatcher{
			ErrorEquals: nonNil(c.ErrorEquals),
			Comment:     c.Comment,
			ResultPath:  rawPath(c.ResultPath),
			Output:      c.Output,
			Assign:      assignValue(c.Assign),
			Next:        nameOf(c.Next),
		})
	}
}

func (r Retrier) wire() wireRetrier {
	w := wireRetrier{ErrorEquals: nonNil(r.ErrorEquals), Comment: r.Comment, JitterStrategy: string(r.JitterStrategy)}
	if r.IntervalSeconds != 0 {
		w.IntervalSeconds = &r.IntervalSeconds
	}
	switch {
	case r.MaxAttempts == NoRetry:
		zero := 0
		w.MaxAttempts = &zero
	case r.MaxAttempts != 0:
		w.MaxAttempts = &r.MaxAttempts
	}
	if r.BackoffRate != 0 {
		w.BackoffRate = &r.BackoffRate
	}
	if r.MaxDelaySeconds != 0 {
		w.MaxDelaySeconds = &r.MaxDelaySeconds
	}
	return w
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func assignValue(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

func toWire(s State, inherited QueryLanguage) (*wireState, error) {
	c := s.common()
	w := &wireState{Type: string(s.Type()), Comment: c.comment, QueryLanguage: string(c.queryLanguage)}
	ql := effectiveLanguage(s, inherited)
	switch st := s.(type) {
	case *TaskState:
		st.flow.wire(w)
		st.ioPaths.wire(w)
		st.resultFields.wire(w)
		st.errorHandling.wire(w)
		w.Assign = st.assign
		w.Resource = st.Resource()
		w.Arguments = st.arguments
		w.Credentials = st.credentials
		w.TimeoutSeconds, w.TimeoutSecondsPath = st.timeoutSeconds, st.timeoutSecondsPath
		w.HeartbeatSeconds, w.HeartbeatSecondsPath = st.heartbeatSeconds, st.heartbeatSecondsPath
		if st.lambda != nil && st.invoke {
			st.wireInvoke(w, ql)
		}
	case *PassState:
		st.flow.wire(w)
		st.ioPaths.wire(w)
		st.resultFields.wire(w)
		w.Assign = st.assign
		w.Result = st.result
	case *WaitState:
		st.flow.wire(w)
		st.ioPaths.wire(w)
		w.Assign = st.assign
		w.Seconds, w.SecondsPath = st.seconds, st.secondsPath
		w.TimestampPath = st.timestampPath
		if t, ok := st.timestamp.(time.Time); ok {
			w.Timestamp = t.Format(time.RFC3339Nano)
		} else {
			w.Timestamp = st.timestamp
		}
	case *SucceedState:
		st.ioPaths.wire(w)
	case *FailState:
		w.Error, w.ErrorPath, w.Cause, w.CausePath = st.errorName, st.errorPath, st.cause, st.causePath
	case *ChoiceState:
		st.ioPaths.wire(w)
		w.Assign = st.assign
		w.Default = nameOf(st.defaultState)
		w.Choices = make([]any, 0, len(st.choices))
		for i, r := range st.choices {
			raw, err := ruleJSON(r.Comparison, r, true)
			if err != nil {
				return nil, fmt.Errorf("state %q: Choices[%d]: %w", st.name, i, err)
			}
			w.Choices = append(w.Choices, raw)
		}
	case *ParallelState:
		st.flow.wire(w)
		st.ioPaths.wire(w)
		st.resultFields.wire(w)
		st.errorHandling.wire(w)
		w.Assign = st.assign
		w.Arguments = st.arguments
		w.Branches = make([]*wireBranch, 0, len(st.branches))
		for _, b := range st.branches {
			start, states, err := wireScope(b.body, ql)
			if err != nil {
				return nil, err
			}
			w.Branches = append(w.Branches, &wireBranch{Comment: b.comment, StartAt: start, States: states})
		}
	case *MapState:
		if err := st.wire(w, ql); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("state %q: unsupported state type %T", s.Name(), s)
	}
	return w, nil
}

// wireInvoke writes the lambda:invoke integration's request.
func (t *TaskState) wireInvoke(w *wireState, ql QueryLanguage) {
	fn := FunctionPlaceholder(t.lambda.Name)
	if ql == JSONata {
		args, _ := t.arguments.(map[string]any)
		out := make(map[string]any, len(args)+2)
		for k, v := range args {
			out[k] = v
		}
		out["FunctionName"] = fn
		if _, ok := out["Payload"]; !ok {
			out["Payload"] = "{% $states.input %}"
		}
		w.Arguments, w.Parameters = out, nil
		return
	}
	params, _ := t.parameters.(map[string]any)
	out := make(map[string]any, len(params)+2)
	for k, v := range params {
		out[k] = v
	}
	out["FunctionName"] = fn
	_, p := out["Payload"]
	_, pp := out["Payload.$"]
	if !p && !pp {
		out["Payload.$"] = "$"
	}
	w.Parameters = out
}

func (m *MapState) wire(w *wireState, ql QueryLanguage) error {
	m.flow.wire(w)
	m.ioPaths.wire(w)
	m.resultFields.wire(w)
	m.errorHandling.wire(w)
	w.Assign = m.assign
	if m.legacyParameters {
		w.Parameters = m.itemSelector
	} else {
		w.ItemSelector = m.itemSelector
	}
	w.ItemsPath, w.Items = m.ItemsPath, m.items
	w.ItemReader, w.ItemBatcher, w.ResultWriter, w.Label = m.itemReader, m.itemBatcher, m.resultWriter, m.label
	w.MaxConcurrency, w.MaxConcurrencyPath = m.maxConcurrency, m.maxConcurrencyPath
	w.ToleratedFailurePercentage, w.ToleratedFailurePercentagePath = m.toleratedFailurePercentage, m.toleratedFailurePercentagePath
	w.ToleratedFailureCount, w.ToleratedFailureCountPath = m.toleratedFailureCount, m.toleratedFailureCountPath
	if m.processor == nil {
		return nil
	}
	start, states, err := wireScope(m.processor.body, ql)
	if err != nil {
		return err
	}
	var config *wireProcessorConfig
	if m.processor.mode != "" || m.processor.executionType != "" {
		config = &wireProcessorConfig{Mode: string(m.processor.mode), ExecutionType: string(m.processor.executionType)}
	}
	if m.legacyIterator {
		w.Iterator = &wireBranch{Comment: m.processor.comment, ProcessorConfig: config, StartAt: start, States: states}
		return nil
	}
	p := &wireProcessor{Comment: m.processor.comment, ProcessorConfig: config, StartAt: start, States: states}
	w.ItemProcessor = p
	return nil
}

// ruleJSON writes a Choice rule: for a top-level rule (top) with its Next,
// Comment, Assign and Output.
func ruleJSON(cmp Comparison, r *ChoiceRule, top bool) (json.RawMessage, error) {
	o := objWriter{}
	o.begin()
	if top && r.Comment != "" {
		o.field("Comment", r.Comment)
	}
	if isNil(cmp) {
		return nil, fmt.Errorf("rule has no Comparison")
	}
	switch c := cmp.(type) {
	case leafComparison:
		v, op, val := c.leaf()
		o.field("Variable", v)
		if t, ok := val.(time.Time); ok {
			val = t.Format(time.RFC3339Nano)
		}
		o.field(op, val)
	case *And:
		o.raw("And", o.list(c.Comparison))
	case *Or:
		o.raw("Or", o.list(c.Comparison))
	case *Not:
		inner, err := ruleJSON(c.Comparison, nil, false)
		if err != nil {
			return nil, err
		}
		o.raw("Not", inner)
	case Condition:
		o.field("Condition", string(c))
	default:
		return nil, fmt.Errorf("unsupported comparison %T", cmp)
	}
	if top {
		if r.Assign != nil {
			o.field("Assign", r.Assign)
		}
		if r.Output != nil {
			o.field("Output", r.Output)
		}
		o.field("Next", nameOf(r.Next))
	}
	return o.end()
}

// isNil reports whether v is nil or a nil pointer in an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// objWriter writes a JSON object field by field, in order.
type objWriter struct {
	buf []byte
	n   int
	err error
}

func (o *objWriter) begin() { o.buf = append(o.buf, '{') }

func (o *objWriter) key(k string) {
	if o.n > 0 {
		o.buf = append(o.buf, ',')
	}
	o.n++
	o.buf = append(o.buf, '"')
	o.buf = append(o.buf, k...)
	o.buf = append(o.buf, '"', ':')
}

func (o *objWriter) field(k string, v any) {
	b, err := marshalJSON(v)
	if err != nil && o.err == nil {
		o.err = fmt.Errorf("%s: %w", k, err)
	}
	o.raw(k, b)
}

func (o *objWriter) raw(k string, b []byte) {
	o.key(k)
	o.buf = append(o.buf, b...)
}

func (o *objWriter) list(cmps []Comparison) []byte {
	out := []byte{'['}
	for i, c := range cmps {
		if i > 0 {
			out = append(out, ',')
		}
		b, err := ruleJSON(c, nil, false)
		if err != nil && o.err == nil {
			o.err = err
		}
		out = append(out, b...)
	}
	return append(out, ']')
}

func (o *objWriter) end() (json.RawMessage, error) {
	if o.err != nil {
		return nil, o.err
	}
	return append(o.buf, '}'), nil
}
