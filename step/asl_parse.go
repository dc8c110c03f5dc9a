package step

import (
	"encoding/json"
	"errors"
	"fmt"
	mathbits "math/bits"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

// FromJSON reads an ASL definition, in JSONPath or JSONata, into typed
// states: MarshalJSON of the result gives the same JSON back (same fields
// and values; numbers keep their text). Fields a state type does not have,
// unknown fields and malformed choice rules are reported all at once as
// *ValidationError values; transitions to states that do not exist are kept
// for Validate to report. The machine has no name: set one with WithName
// before decorating it.
//
// See https://states-language.net/spec.html.
func FromJSON(data []byte) (*StateMachine, error) {
	// One decode serves both the typed states and, at the first Execute,
	// the engine (see compile).
	// The decoded strings are substrings of source: one copy of data.
	source := string(data)
	value, order, err := jsonvalue.DecodeKeepingOrder(source, "States")
	if err != nil {
		return nil, &ValidationError{Reason: "reading the definition: " + err.Error()}
	}
	r := &wireReader{order: order}
	w := r.machine(value)
	if w == nil {
		return nil, r.err()
	}
	p := &parser{problems: problems{}, r: r}
	sm := &StateMachine{
		comment:       w.Comment,
		version:       w.Version,
		queryLanguage: QueryLanguage(w.QueryLanguage),
	}
	if w.TimeoutSeconds != nil {
		n, ok := intValue(w.TimeoutSeconds)
		if !ok {
			p.addNamed("", "", "TimeoutSeconds", "must be a positive integer, not %s", jsonText(w.TimeoutSeconds))
		}
		sm.timeoutSeconds = n
	}
	sm.body = p.scope(w.StartAt, w.read)
	// A field of the wrong type reads as absent: what the parser made of
	// it does not matter.
	if err := r.err(); err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	sm.source = source
	sm.sourceValue = value
	sm.sourceRev = revisions.Load()
	return sm, nil
}

type parser struct {
	problems
	r *wireReader
	// depth is the nesting of the scope being parsed (0: the top level),
	// which picks the reader's scratch wireState.
	depth int
}

// pending is a transition to resolve once a scope's states all exist.
type pending struct {
	from  State
	field string
	name  string
	// to is the field the resolved state goes to (a pointer, not a
	// closure: one allocation less per state).
	to *State
}

// scope builds the states of one States object and resolves transitions
// within it.
func (p *parser) scope(startAt string, states statesRead) scope {
	byName := make(map[string]State, len(states.names))
	todo := make([]pending, 0, len(states.names))
	sc := scope{declared: make([]State, 0, len(states.names))}
	p.depth++
	for _, name := range states.names {
		// The wire form of one state lives only while it is parsed.
		w := p.r.state(name, states.m[name], p.depth)
		if w == nil {
			continue
		}
		s := p.state(name, w, &todo)
		if s == nil {
			continue
		}
		byName[name] = s
		sc.declared = append(sc.declared, s)
	}
	p.depth--
	resolve := func(name string) State {
		if s, ok := byName[name]; ok {
			return s
		}
		return &missingState{stateCommon{name: name}}
	}
	for _, t := range todo {
		*t.to = resolve(t.name)
	}
	if startAt == "" {
		p.addNamed("", "", "StartAt", "is required")
	} else {
		sc.startAt = resolve(startAt)
	}
	return sc
}

// allowedFields lists the fields each state type has (in either query
// language); QueryLanguage-specific rules are Validate's.
var allowedFields = func() map[StateType]map[string]bool {
	set := func(fields ...string) map[string]bool {
		m := map[string]bool{"Type": true, "Comment": true, "QueryLanguage": true}
		for _, f := range fields {
			m[f] = true
		}
		return m
	}
	io := []string{"InputPath", "OutputPath", "Output"}
	flow := []string{"Next", "End", "Assign"}
	errs := []string{"Retry", "Catch"}
	result := []string{"Parameters", "Arguments", "ResultSelector", "ResultPath"}
	cat := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	return map[StateType]map[string]bool{
		TypeTask: set(cat(io, flow, errs, result, []string{"Resource", "Credentials",
			"TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"})...),
		TypePass:     set(cat(io, flow, []string{"Parameters", "Result", "ResultPath"})...),
		TypeChoice:   set(cat(io, []string{"Choices", "Default", "Assign"})...),
		TypeWait:     set(cat(io, flow, []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"})...),
		TypeSucceed:  set(io...),
		TypeFail:     set("Error", "ErrorPath", "Cause", "CausePath"),
		TypeParallel: set(cat(io, flow, errs, result, []string{"Branches"})...),
		TypeMap: set(cat(io, flow, errs, []string{"Parameters", "ResultSelector", "ResultPath",
			"ItemProcessor", "Iterator", "ItemReader", "ItemsPath", "Items", "ItemSelector", "ItemBatcher",
			"ResultWriter", "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage",
			"ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"})...),
	}
}()

// wireFieldNames are the JSON names of wireState's fields, in order, and
// wireFieldIndex their positions: the bits of wireState.present.
var wireFieldNames = func() []string {
	t := reflect.TypeFor[wireState]()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" {
			break // present and what follows are not JSON fields
		}
		out = append(out, name)
	}
	if len(out) > 64 {
		panic("wireState has more JSON fields than wireState.present has bits")
	}
	return out
}()

var wireFieldIndex = func() map[string]int {
	m := make(map[string]int, len(wireFieldNames))
	for i, f := range wireFieldNames {
		m[f] = i
	}
	return m
}()

// state builds one typed state from its wire form; transitions are queued.
func (p *parser) state(name string, w *wireState, todo *[]pending) State {
	t := StateType(w.Type)
	allowed, known := allowedFields[t]
	if !known {
		p.addNamed(name, "", "Type", "unknown state type %q; want Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map", w.Type)
		return nil
	}
	bad := false
	for bits := w.present; bits != 0; bits &= bits - 1 {
		if f := wireFieldNames[mathbits.TrailingZeros64(bits)]; !allowed[f] {
			p.addNamed(name, t, f, "a %s state has no field %s", t, f)
			bad = true
		}
	}
	if bad {
		return nil
	}
	c := stateCommon{name: name, comment: w.Comment, queryLanguage: QueryLanguage(w.QueryLanguage)}
	var s State
	switch t {
	case TypeTask:
		st := &TaskState{stateCommon: c, resource: w.Resource, arguments: w.Arguments, credentials: w.Credentials,
			timeoutSeconds: w.TimeoutSeconds, timeoutSecondsPath: w.TimeoutSecondsPath,
			heartbeatSeconds: w.HeartbeatSeconds, heartbeatSecondsPath: w.HeartbeatSecondsPath, assign: w.Assign}
		p.io(st, &st.ioPaths, w)
		p.result(st, &st.resultFields, w)
		p.errorHandling(st, &st.errorHandling, w, todo)
		p.flow(st, &st.flow, w, todo)
		s = st
	case TypePass:
		st := &PassState{stateCommon: c, result: w.Result, assign: w.Assign}
		p.io(st, &st.ioPaths, w)
		p.result(st, &st.resultFields, w)
		p.flow(st, &st.flow, w, todo)
		s = st
	case TypeChoice:
		st := &ChoiceState{stateCommon: c, assign: w.Assign}
		p.io(st, &st.ioPaths, w)
		if w.Default != "" {
			*todo = append(*todo, pending{st, "Default", w.Default, &st.defaultState})
		}
		for i, raw := range w.Choices {
			if r := p.rule(st, indexField("Choices", i), raw, todo); r != nil {
				st.choices = append(st.choices, r)
			}
		}
		s = st
	case TypeWait:
		st := &WaitState{stateCommon: c, assign: w.Assign, seconds: w.Seconds, secondsPath: w.SecondsPath,
			timestamp: w.Timestamp, timestampPath: w.TimestampPath}
		p.io(st, &st.ioPaths, w)
		p.flow(st, &st.flow, w, todo)
		s = st
	case TypeSucceed:
		st := &SucceedState{stateCommon: c}
		p.io(st, &st.ioPaths, w)
		s = st
	case TypeFail:
		s = &FailState{stateCommon: c, errorName: w.Error, errorPath: w.ErrorPath, cause: w.Cause, causePath: w.CausePath}
	case TypeParallel:
		st := &ParallelState{stateCommon: c, assign: w.Assign}
		p.io(st, &st.ioPaths, w)
		p.result(st, &st.resultFields, w)
		st.arguments, st.parameters = w.Arguments, w.Parameters
		p.errorHandling(st, &st.errorHandling, w, todo)
		p.flow(st, &st.flow, w, todo)
		for i, b := range w.Branches {
			if b.ProcessorConfig != nil {
				p.add(st, indexField("Branches", i)+".ProcessorConfig", "a Parallel branch has no ProcessorConfig; only a Map's ItemProcessor or Iterator does")
			}
			st.branches = append(st.branches, &Branch{comment: b.Comment, body: p.scope(b.StartAt, b.read)})
		}
		if w.Branches == nil {
			st.branches = nil
		}
		s = st
	case TypeMap:
		s = p.mapState(c, w, todo)
	}
	return s
}

func (p *parser) mapState(c stateCommon, w *wireState, todo *[]pending) *MapState {
	st := &MapState{stateCommon: c, assign: w.Assign, ItemsPath: w.ItemsPath, items: w.Items,
		itemSelector: w.ItemSelector, itemReader: w.ItemReader, itemBatcher: w.ItemBatcher,
		resultWriter: w.ResultWriter, label: w.Label,
		maxConcurrency: w.MaxConcurrency, maxConcurrencyPath: w.MaxConcurrencyPath,
		toleratedFailurePercentage: w.ToleratedFailurePercentage, toleratedFailurePercentagePath: w.ToleratedFailurePercentagePath,
		toleratedFailureCount: w.ToleratedFailureCount, toleratedFailureCountPath: w.ToleratedFailureCountPath}
	p.io(st, &st.ioPaths, w)
	st.resultSelector = w.ResultSelector
	st.resultPath = p.path(st, "ResultPath", w.ResultPath)
	if w.Parameters != nil {
		if w.ItemSelector != nil {
			p.add(st, "Parameters", "cannot be combined with ItemSelector, which replaces it")
		}
		st.itemSelector, st.legacyParameters = w.Parameters, true
	}
	p.errorHandling(st, &st.errorHandling, w, todo)
	p.flow(st, &st.flow, w, todo)
	switch {
	case w.ItemProcessor != nil && w.Iterator != nil:
		p.add(st, "Iterator", "cannot be combined with ItemProcessor, which replaces it")
	case w.ItemProcessor != nil:
		ip := w.ItemProcessor
		st.processor = &Branch{comment: ip.Comment, body: p.scope(ip.StartAt, ip.read)}
		if pc := ip.ProcessorConfig; pc != nil {
			st.processor.mode, st.processor.executionType = ProcessorMode(pc.Mode), MachineType(pc.ExecutionType)
		}
	case w.Iterator != nil:
		st.processor = &Branch{comment: w.Iterator.Comment, body: p.scope(w.Iterator.StartAt, w.Iterator.read)}
		st.legacyIterator = true
		if pc := w.Iterator.ProcessorConfig; pc != nil {
			st.processor.mode, st.processor.executionType = ProcessorMode(pc.Mode), MachineType(pc.ExecutionType)
		}
	}
	return st
}

func (p *parser) flow(s State, f *flow, w *wireState, todo *[]pending) {
	f.strict, f.end = true, w.End
	if w.Next != "" {
		*todo = append(*todo, pending{s, "Next", w.Next, &f.next})
	}
}

func (p *parser) io(s State, io *ioPaths, w *wireState) {
	io.inputPath = p.path(s, "InputPath", w.InputPath)
	io.outputPath = p.path(s, "OutputPath", w.OutputPath)
	io.output = w.Output
}

func (p *parser) result(s State, r *resultFields, w *wireState) {
	r.parameters, r.resultSelector = w.Parameters, w.ResultSelector
	r.resultPath = p.path(s, "ResultPath", w.ResultPath)
}

// path reads a path field that may be null.
func (p *parser) path(s State, field string, w wirePath) string {
	switch {
	case !w.set:
		return ""
	case w.null:
		return JSONNull
	case w.bad != nil:
		p.add(s, field, "must be a string or null, not %s", jsonText(w.bad))
		return ""
	case w.path == "":
		p.add(s, field, "is empty; write \"$\" or null")
	}
	return w.path
}

func (p *parser) errorHandling(s State, e *errorHandling, w *wireState, todo *[]pending) {
	for _, r := range w.Retry {
		rt := Retrier{ErrorEquals: r.ErrorEquals, Comment: r.Comment, JitterStrategy: JitterStrategy(r.JitterStrategy)}
		if r.IntervalSeconds != nil {
			rt.IntervalSeconds = *r.IntervalSeconds
		}
		if r.MaxAttempts != nil {
			rt.MaxAttempts = *r.MaxAttempts
			if rt.MaxAttempts == 0 {
				rt.MaxAttempts = NoRetry
			}
		}
		if r.BackoffRate != nil {
			rt.BackoffRate = *r.BackoffRate
		}
		if r.MaxDelaySeconds != nil {
			rt.MaxDelaySeconds = *r.MaxDelaySeconds
		}
		e.retry = append(e.retry, rt)
	}
	e.catch = make([]Catcher, len(w.Catch))
	for i, c := range w.Catch {
		field := indexField("Catch", i)
		// Catcher's fields are exported: it gets its own copies of the
		// decoded values, which the engine shares.
		ct := Catcher{ErrorEquals: c.ErrorEquals, Comment: c.Comment, Output: cloneValue(c.Output),
			ResultPath: p.path(s, field+".ResultPath", c.ResultPath)}
		if c.Assign != nil {
			m, ok := cloneValue(c.Assign).(map[string]any)
			if !ok {
				p.add(s, field+".Assign", "must be an object")
			}
			ct.Assign = m
		}
		e.catch[i] = ct
		if c.Next == "" {
			p.add(s, field+".Next", "is required")
			continue
		}
		*todo = append(*todo, pending{s, field + ".Next", c.Next, &e.catch[i].Next})
	}
	if len(e.catch) == 0 {
		e.catch = nil
	}
}

// ruleKeys are the fields of a top-level choice rule besides its comparison.
var ruleKeys = map[string]bool{"Next": true, "Comment": true, "Assign": true, "Output": true}

// rule parses a top-level choice rule.
func (p *parser) rule(s State, field string, v any, todo *[]pending) *ChoiceRule {
	obj, ok := v.(map[string]any)
	if !ok {
		p.add(s, field, "must be an object")
		return nil
	}
	r := &ChoiceRule{}
	if v, ok := obj["Comment"]; ok {
		if c, ok := v.(string); ok {
			r.Comment = c
		} else if v != nil {
			p.add(s, field+".Comment", "must be a string")
		}
	}
	// Assign and Output are exported fields: the rule gets its own copies
	// of the decoded values, which the engine shares.
	if v, ok := obj["Assign"]; ok {
		if m, ok := v.(map[string]any); ok {
			r.Assign = cloneValue(m).(map[string]any)
		} else {
			p.add(s, field+".Assign", "must be an object")
		}
	}
	if v, ok := obj["Output"]; ok {
		r.Output = cloneValue(v)
	}
	if v, ok := obj["Next"]; !ok {
		p.add(s, field+".Next", "is required in a top-level choice rule")
	} else if next, _ := v.(string); next == "" {
		p.add(s, field+".Next", "must be a state name")
	} else {
		*todo = append(*todo, pending{s, field + ".Next", next, &r.Next})
	}
	r.Comparison = p.comparison(s, field, obj, true)
	return r
}

// comparison parses the Boolean expression of a rule object.
func (p *parser) comparison(s State, field string, obj map[string]any, top bool) Comparison {
	var ops []string
	for k := range obj {
		switch {
		case k == "Variable":
		case k == "Comment":
			// AWS accepts a Comment in a nested rule too (recorded AWS
			// behaviour); the typed model keeps only top-level ones, and a
			// definition read by FromJSON runs as written.
		case top && ruleKeys[k]:
		case k == "Next":
			p.add(s, field+".Next", "is allowed only in top-level choice rules, not inside And, Or or Not")
		default:
			ops = append(ops, k)
		}
	}
	if len(ops) != 1 {
		p.add(s, field, "want exactly one operator (such as StringEquals, And, Not or Condition), found %d: %s", len(ops), strings.Join(sortedKeys(keySet(ops)), ", "))
		return nil
	}
	op := ops[0]
	variableValue, hasVar := obj["Variable"]
	switch op {
	case "And", "Or":
		if hasVar {
			p.add(s, field+".Variable", "is not allowed beside %s", op)
		}
		list, ok := obj[op].([]any)
		if !ok && obj[op] != nil {
			p.add(s, field+"."+op, "must be an array of rules")
			return nil
		}
		cmps := make([]Comparison, 0, len(list))
		for i, raw := range list {
			sub, ok := raw.(map[string]any)
			if !ok {
				p.add(s, indexField(field+"."+op, i), "must be an object")
				continue
			}
			if c := p.comparison(s, indexField(field+"."+op, i), sub, false); c != nil {
				cmps = append(cmps, c)
			}
		}
		if op == "And" {
			return &And{Comparison: cmps}
		}
		return &Or{Comparison: cmps}
	case "Not":
		if hasVar {
			p.add(s, field+".Variable", "is not allowed beside Not")
		}
		sub, ok := obj["Not"].(map[string]any)
		if !ok {
			p.add(s, field+".Not", "must be an object")
			return nil
		}
		inner := p.comparison(s, field+".Not", sub, false)
		if inner == nil {
			return nil
		}
		return &Not{Comparison: inner}
	case "Condition":
		switch c := obj["Condition"].(type) {
		case string:
			return Condition(c)
		case bool:
			if c {
				return Condition("{% true %}")
			}
			return Condition("{% false %}")
		}
		p.add(s, field+".Condition", "must be a JSONata expression string or a Boolean")
		return nil
	}
	def, ok := leafOperators[op]
	if !ok {
		p.add(s, field, "unknown comparison operator %q", op)
		return nil
	}
	variable, _ := variableValue.(string)
	if variable == "" {
		p.add(s, field+".Variable", "%s needs a Variable path", op)
	}
	val, err := leafValue(def.kind, obj[op])
	if err != nil {
		p.add(s, field+"."+op, "%v", err)
		return nil
	}
	return def.make(variable, val)
}

// leafValue reads a comparison's operand; null reads as the zero value,
// as it did when rules were decoded with encoding/json.
func leafValue(kind valueKind, v any) (any, error) {
	switch kind {
	case kindString, kindPath:
		switch s := v.(type) {
		case nil:
			return "", nil
		case string:
			return s, nil
		}
		return nil, fmt.Errorf("must be a string, not %s", jsonText(v))
	case kindNumber:
		switch n := v.(type) {
		case nil:
			return float64(0), nil
		case json.Number:
			if f, err := strconv.ParseFloat(string(n), 64); err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("must be a number, not %s", jsonText(v))
	case kindTimestamp:
		s, ok := v.(string)
		if !ok && v != nil {
			return nil, fmt.Errorf("must be an RFC 3339 timestamp string, not %s", jsonText(v))
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("must be an RFC 3339 timestamp such as \"2016-03-14T01:59:00Z\", not %q", s)
		}
		return t, nil
	case kindBool:
		switch b := v.(type) {
		case nil:
			return false, nil
		case bool:
			return b, nil
		}
		return nil, fmt.Errorf("must be true or false, not %s", jsonText(v))
	}
	return nil, errors.New("unknown operator kind")
}

func keySet(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// intValue reads an integer from a decoded JSON number or a Go int.
func intValue(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	case float64:
		return int(n), n == float64(int(n))
	}
	return 0, false
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
