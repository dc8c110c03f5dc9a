package engine

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
)

// Program is a compiled state machine definition. It is immutable and safe
// for concurrent use: every execution keeps its run-time state (variables,
// retry counters, history) in its own Execution.
type Program struct {
	root    *machine
	timeout int64 // top-level TimeoutSeconds, 0 when absent
	jsonata bool  // top-level QueryLanguage
	comment string

	// eventsHint and pathHint are the lengths of the last finished
	// execution's history and path: the capacity the next one starts with,
	// so that recording does not regrow them state by state.
	eventsHint, pathHint atomic.Int64
}

// Comment returns the definition's top-level Comment.
func (p *Program) Comment() string { return p.comment }

// machine is one graph of states: the top level, a Parallel branch or a Map
// item processor. Each runs in its own variable scope.
type machine struct {
	start  *state
	states map[string]*state
	depth  int // 0 for the top level
	// distributed item processors cannot read outer variables.
	isolated bool
}

type stateKind uint8

const (
	kindPass stateKind = iota
	kindTask
	kindChoice
	kindWait
	kindSucceed
	kindFail
	kindParallel
	kindMap
)

// state is one compiled state. Fields not used by its Type stay zero.
type state struct {
	name    string
	kind    stateKind
	typ     string // "Pass", "Task", ... as written, for events
	jsonata bool
	next    *state
	end     bool

	// JSONPath input and output processing.
	inputPath      optPath
	outputPath     optPath
	parameters     tmpl
	resultSelector tmpl
	resultPath     resultPath
	// JSONata input and output processing.
	arguments tmpl
	output    tmpl
	// Both languages.
	assign *assignment

	// Pass
	result    any
	hasResult bool
	// outGrow bounds the JSON size of a Pass-with-Result's output: at most
	// outGrow bytes more than its input when outOfInput, else at most
	// outGrow; 0 when there is no such bound. See sizeBound.
	outGrow    int
	outOfInput bool

	// Task
	resource     string
	waitForToken bool
	times        *taskTimes
	credentials  any
	retriers     []*retrier
	catchers     []*catcher

	// Choice
	choices  []*choiceRule
	deflt    *state
	deflName string
	nextName string

	// Wait
	wait *waitSpec

	// Fail
	fail *failSpec

	// Parallel
	branches []*machine

	// Map
	mapSpec *mapSpec
}

// taskTimes, waitSpec and failSpec hold fields that only Task, Wait and
// Fail states use, apart from state: compiling allocates a state per state,
// and Pass and Choice states make up most machines.
type taskTimes struct{ timeout, heartbeat intField }

type waitSpec struct {
	seconds   intField
	timestamp strField
}

type failSpec struct{ error, cause strField }

// optPath is InputPath or OutputPath: absent means "$", null means {}.
type optPath struct {
	null bool
	path pathRef
}

// resultPath is a state's ResultPath: absent or "$" replaces the input,
// null discards the result.
type resultPath struct {
	discard bool
	path    pathRef // nil: "$"
}

// Compile parses an ASL definition (the JSON a DefinitionString holds) and
// pre-compiles every path, intrinsic function, JSONata expression and Choice
// rule, so that executions only evaluate. All problems are reported together
// with errors.Join, each a *CompileError naming the state and field.
//
// See https://states-language.net/spec.html.
func Compile(definition []byte) (*Program, error) {
	raw, err := decodeJSON(definition)
	if err != nil {
		return nil, &CompileError{Reason: fmt.Sprintf("the definition is not JSON: %v", err)}
	}
	return CompileValue(raw)
}

// CompileValue is Compile of a definition already decoded into the value
// model (map[string]any, []any, string, json.Number, bool, nil), as
// encoding/json with UseNumber gives it: step.FromJSON decodes a definition
// once, for its typed states and for the engine. The program keeps references to
// parts of definition (a Pass state's Result, template constants), which
// must not change afterwards.
func CompileValue(definition any) (*Program, error) {
	top, ok := definition.(map[string]any)
	if !ok {
		return nil, &CompileError{Reason: "the definition must be a JSON object with StartAt and States"}
	}
	c := &compiler{} // names is made, sized, by the top-level machine
	o := c.object("", "", top)
	p := &Program{}
	p.comment, _ = o.str("Comment", false)
	o.str("Version", false)
	if ql, ok := o.str("QueryLanguage", false); ok {
		switch ql {
		case "JSONata":
			p.jsonata = true
		case "JSONPath":
		default:
			o.errorf("QueryLanguage", "must be \"JSONPath\" or \"JSONata\", not %q", ql)
		}
	}
	c.topJSONata = p.jsonata
	if t, ok := o.int("TimeoutSeconds", false); ok {
		if t <= 0 {
			o.errorf("TimeoutSeconds", "must be a positive integer")
		}
		p.timeout = t
	}
	o.known("Comment", "Version", "QueryLanguage", "TimeoutSeconds", "StartAt", "States")
	p.root = c.machine(o, "", 0, false)
	if err := c.err(); err != nil {
		return nil, err
	}
	return p, nil
}

type compiler struct {
	errs       []error
	names      map[string]bool // state names are unique across the whole machine
	topJSONata bool
	scopes     []map[string]string // variable names assigned per enclosing scope -> state
	// paths and refs cache parsed paths by text (see path).
	paths, refs map[string]pathRef
}

func (c *compiler) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return joinErrors(c.errs)
}

// joinErrors is errors.Join with a stable order, so the same definition
// always gives the same message.
func joinErrors(errs []error) error {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return &joined{errs: errs}
}

type joined struct{ errs []error }

func (j *joined) Error() string {
	parts := make([]string, len(j.errs))
	for i, e := range j.errs {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

func (j *joined) Unwrap() []error { return j.errs }

// object reads the fields of one JSON object of the definition, recording
// problems against a state name and a field prefix such as "Retry[0].".
type object struct {
	c      *compiler
	state  string
	prefix string
	m      map[string]any
}

func (c *compiler) object(state, prefix string, m map[string]any) *object {
	return &object{c: c, state: state, prefix: prefix, m: m}
}

func (o *object) errorf(field, format string, args ...any) {
	o.c.errs = append(o.c.errs, &CompileError{State: o.state, Field: o.prefix + field, Reason: fmt.Sprintf(format, args...)})
}

func (o *object) has(field string) bool {
	_, ok := o.m[field]
	return ok
}

// known reports every field that is not in the allowed list, as the AWS
// validator does ("Field 'X' is not supported").
func (o *object) known(fields ...string) {
	var extra []string
	for k := range o.m {
		if !slices.Contains(fields, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		o.errorf(k, "field is not supported here")
	}
}

func (o *object) str(field string, required bool) (string, bool) {
	v, ok := o.m[field]
	if !ok {
		if required {
			o.errorf(field, "is required")
		}
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		o.errorf(field, "must be a string, not %s", typeName(v))
		return "", false
	}
	return s, true
}

func (o *object) boolean(field string) (bool, bool) {
	v, ok := o.m[field]
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		o.errorf(field, "must be a boolean, not %s", typeName(v))
		return false, false
	}
	return b, true
}

func (o *object) int(field string, required bool) (int64, bool) {
	v, ok := o.m[field]
	if !ok {
		if required {
			o.errorf(field, "is required")
		}
		return 0, false
	}
	i, ok := toInt(v)
	if !ok {
		o.errorf(field, "must be an integer, not %s", typeName(v))
		return 0, false
	}
	return i, true
}

func (o *object) number(field string) (float64, bool) {
	v, ok := o.m[field]
	if !ok {
		return 0, false
	}
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		o.errorf(field, "must be a number, not %s", typeName(v))
		return 0, false
	}
	return f, true
}

func (o *object) sub(field string, required bool) (*object, bool) {
	v, ok := o.m[field]
	if !ok {
		if required {
			o.errorf(field, "is required")
		}
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		o.errorf(field, "must be an object, not %s", typeName(v))
		return nil, false
	}
	return o.c.object(o.state, o.prefix+field+".", m), true
}

func (o *object) list(field string, required bool) ([]any, bool) {
	v, ok := o.m[field]
	if !ok {
		if required {
			o.errorf(field, "is required")
		}
		return nil, false
	}
	a, ok := v.([]any)
	if !ok {
		o.errorf(field, "must be an array, not %s", typeName(v))
		return nil, false
	}
	return a, true
}

// machine compiles StartAt and States of o.
func (c *compiler) machine(o *object, owner string, depth int, isolated bool) *machine {
	m := &machine{depth: depth, isolated: isolated}
	start, hasStart := o.str("StartAt", true)
	states, ok := o.sub("States", true)
	if !ok {
		m.states = map[string]*state{}
		return m
	}
	// Sized up front: a machine of a hundred states would otherwise grow
	// both maps step by step.
	m.states = make(map[string]*state, len(states.m))
	if len(c.names) == 0 {
		c.names = make(map[string]bool, len(states.m))
	}
	c.scopes = append(c.scopes, map[string]string{})
	defer func() { c.scopes = c.scopes[:len(c.scopes)-1] }()
	names := make([]string, 0, len(states.m))
	for name := range states.m {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if c.names[name] {
			c.errs = append(c.errs, &CompileError{State: name, Reason: "state names must be unique across the whole state machine, including Parallel branches and Map processors"})
			continue
		}
		c.names[name] = true
		if len(name) == 0 || len(name) > 80 {
			c.errs = append(c.errs, &CompileError{State: name, Reason: "a state name must be 1 to 80 characters long"})
		}
		def, ok := states.m[name].(map[string]any)
		if !ok {
			c.errs = append(c.errs, &CompileError{State: name, Reason: fmt.Sprintf("a state must be a JSON object, not %s", typeName(states.m[name]))})
			continue
		}
		if s := c.state(name, def, depth); s != nil {
			m.states[name] = s
		}
	}
	where := "States"
	if owner != "" {
		where = fmt.Sprintf("state %q", owner)
	}
	if hasStart {
		m.start = m.states[start]
		if m.start == nil && !o.hasStateError(start) {
			o.errorf("StartAt", "names %q, which is not a state of %s", start, where)
		}
	}
	c.link(m)
	if m.start != nil {
		c.reachable(m)
	}
	c.terminal(m, o, where)
	return m
}

func (o *object) hasStateError(name string) bool {
	for _, e := range o.c.errs {
		if ce, ok := e.(*CompileError); ok && ce.State == name {
			return true
		}
	}
	return false
}

// link resolves Next, Default and Catch targets, which must name states of
// the same machine (a branch cannot jump out of its Parallel).
func (c *compiler) link(m *machine) {
	resolve := func(s *state, field, name string) *state {
		t := m.states[name]
		if t == nil {
			c.errs = append(c.errs, &CompileError{State: s.name, Field: field, Reason: fmt.Sprintf("names %q, which is not a state of the same States object", name)})
		}
		return t
	}
	for _, s := range m.states {
		if s.nextName != "" {
			s.next = resolve(s, "Next", s.nextName)
		}
		if s.deflName != "" {
			s.deflt = resolve(s, "Default", s.deflName)
		}
		for i, r := range s.choices {
			r.next = resolve(s, fmt.Sprintf("Choices[%d].Next", i), r.nextName)
		}
		for i, k := range s.catchers {
			k.next = resolve(s, fmt.Sprintf("Catch[%d].Next", i), k.nextName)
		}
	}
}

// reachable reports states that no path from StartAt reaches, which AWS
// rejects.
func (c *compiler) reachable(m *machine) {
	seen := make(map[*state]bool, len(m.states))
	var walk func(s *state)
	walk = func(s *state) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		walk(s.next)
		walk(s.deflt)
		for _, r := range s.choices {
			walk(r.next)
		}
		for _, k := range s.catchers {
			walk(k.next)
		}
	}
	walk(m.start)
	for name, s := range m.states {
		if !seen[s] {
			c.errs = append(c.errs, &CompileError{State: name, Reason: "the state is not reachable from StartAt"})
		}
	}
}

var stateTypes = map[string]stateKind{
	"Pass": kindPass, "Task": kindTask, "Choice": kindChoice, "Wait": kindWait,
	"Succeed": kindSucceed, "Fail": kindFail, "Parallel": kindParallel, "Map": kindMap,
}

// Fields each state type accepts, per query language.
var (
	commonFields   = []string{"Type", "Comment", "QueryLanguage"}
	jsonPathIO     = []string{"InputPath", "OutputPath"}
	jsonPathResult = []string{"Parameters", "ResultSelector", "ResultPath"}
	transition     = []string{"Next", "End"}
)

func (c *compiler) state(name string, def map[string]any, depth int) *state {
	o := c.object(name, "", def)
	typ, _ := o.str("Type", true)
	kind, ok := stateTypes[typ]
	if !ok {
		if typ != "" {
			o.errorf("Type", "%q is not a state type (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map)", typ)
		}
		return nil
	}
	s := &state{name: name, kind: kind, typ: typ, jsonata: c.topJSONata}
	if ql, ok := o.str("QueryLanguage", false); ok {
		switch ql {
		case "JSONata":
			s.jsonata = true
		case "JSONPath":
			if c.topJSONata {
				o.errorf("QueryLanguage", "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata")
			}
			s.jsonata = false
		default:
			o.errorf("QueryLanguage", "must be \"JSONPath\" or \"JSONata\", not %q", ql)
		}
	}
	o.str("Comment", false)
	var fields [32]string // the allowed fields, without a heap allocation
	allowed := append(fields[:0], commonFields...)
	if kind != kindChoice && kind != kindSucceed && kind != kindFail {
		allowed = append(allowed, transition...)
		c.transition(o, s)
	}
	if kind != kindFail {
		if s.jsonata {
			allowed = append(allowed, "Output")
			s.output = c.jsonataField(o, "Output")
		} else {
			allowed = append(allowed, jsonPathIO...)
			s.inputPath = c.optPath(o, "InputPath")
			s.outputPath = c.optPath(o, "OutputPath")
		}
	}
	if kind != kindFail && kind != kindSucceed {
		allowed = append(allowed, "Assign")
		s.assign = c.assign(o, s, depth)
	}
	switch kind {
	case kindPass:
		allowed = append(allowed, c.compilePass(o, s)...)
	case kindTask:
		allowed = append(allowed, c.compileTask(o, s, depth)...)
	case kindChoice:
		allowed = append(allowed, c.compileChoice(o, s, depth)...)
	case kindWait:
		allowed = append(allowed, c.compileWait(o, s)...)
	case kindSucceed:
	case kindFail:
		allowed = append(allowed, c.compileFail(o, s)...)
	case kindParallel:
		allowed = append(allowed, c.compileParallel(o, s, depth)...)
	case kindMap:
		allowed = append(allowed, c.compileMap(o, s, depth)...)
	}
	o.known(allowed...)
	return s
}

func (c *compiler) transition(o *object, s *state) {
	next, hasNext := o.str("Next", false)
	end, hasEnd := o.boolean("End")
	switch {
	case hasNext && hasEnd && end:
		o.errorf("End", "a state cannot have both Next and End: true")
	case hasNext:
		s.nextName = next
	case hasEnd && end:
		s.end = true
	default:
		o.errorf("Next", "a %s state needs Next or \"End\": true", s.typ)
	}
}

// jsonPathResultFields compiles Parameters, ResultSelector and ResultPath
// (Task, Parallel, Map) or only Parameters and ResultPath (Pass).
func (c *compiler) jsonPathResultFields(o *object, s *state, selector bool) []string {
	if v, ok := o.m["Parameters"]; ok {
		s.parameters = c.payload(o, "Parameters", v)
	}
	if selector {
		if v, ok := o.m["ResultSelector"]; ok {
			if _, isObj := v.(map[string]any); !isObj {
				o.errorf("ResultSelector", "must be an object, not %s", typeName(v))
			} else {
				s.resultSelector = c.payload(o, "ResultSelector", v)
			}
		}
	}
	if v, ok := o.m["ResultPath"]; ok {
		switch x := v.(type) {
		case nil:
			s.resultPath.discard = true
		case string:
			p, err := c.reference(x)
			if err != nil {
				o.errorf("ResultPath", "%v", err)
			} else if p.Root() != "$" {
				o.errorf("ResultPath", "must start with $, not %s: a result can only be placed into the state input", p.Root())
			} else if x != "$" {
				s.resultPath.path = p
			}
		default:
			o.errorf("ResultPath", "must be a path string or null, not %s", typeName(v))
		}
	}
	if selector {
		return jsonPathResult
	}
	return passResultFields
}

var passResultFields = []string{"Parameters", "ResultPath"}

// path and reference parse a JSONPath (see parsePath and parseReference)
// once per text and compilation: a machine repeats "$.a" state after state,
// and a compiled Path is immutable.
func (c *compiler) path(s string) (pathRef, error) { return c.cachedPath(s, false) }

func (c *compiler) reference(s string) (pathRef, error) { return c.cachedPath(s, true) }

func (c *compiler) cachedPath(s string, reference bool) (pathRef, error) {
	cache := &c.paths
	if reference {
		cache = &c.refs
	}
	if p, ok := (*cache)[s]; ok {
		return p, nil
	}
	parse := parsePath
	if reference {
		parse = parseReference
	}
	p, err := parse(s)
	if err != nil {
		return nil, err
	}
	if *cache == nil {
		*cache = map[string]pathRef{}
	}
	(*cache)[s] = p
	return p, nil
}

func (c *compiler) optPath(o *object, field string) optPath {
	v, ok := o.m[field]
	if !ok {
		return optPath{}
	}
	switch x := v.(type) {
	case nil:
		return optPath{null: true}
	case string:
		if x == "$" {
			return optPath{}
		}
		p, err := c.path(x)
		if err != nil {
			o.errorf(field, "%v", err)
			return optPath{}
		}
		return optPath{path: p}
	}
	o.errorf(field, "must be a path string or null, not %s", typeName(v))
	return optPath{}
}

// assign compiles the Assign field and enforces the scoping rule that a
// state in a Parallel branch or Map processor cannot assign a variable that
// an enclosing scope assigns.
func (c *compiler) assign(o *object, s *state, depth int) *assignment {
	v, ok := o.m["Assign"]
	if !ok {
		return nil
	}
	return c.assignBlock(o, "Assign", v, s.jsonata)
}

func (c *compiler) assignBlock(o *object, field string, v any, jsonata bool) *assignment {
	m, ok := v.(map[string]any)
	if !ok {
		o.errorf(field, "must be an object of variable names to values, not %s", typeName(v))
		return nil
	}
	a := &assignment{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		var t tmpl
		if jsonata {
			t = c.jsonataValue(o, field+"."+k, m[k])
		} else {
			name = strings.TrimSuffix(k, ".$")
			t = c.payload(o, field, map[string]any{k: m[k]})
			if obj, ok := t.(*tmplObject); ok && len(obj.vals) == 1 {
				t = obj.vals[0]
			} else if cst, ok := t.(tmplConst); ok {
				t = tmplConst{v: cst.v.(map[string]any)[name]}
			}
		}
		if !validVarName(name) {
			o.errorf(field+"."+k, "%q is not a valid variable name: start with a letter or underscore, then letters, digits and underscores, at most 80 characters, and not \"states\"", name)
			continue
		}
		c.declare(o, field+"."+k, name)
		a.names = append(a.names, name)
		a.vals = append(a.vals, t)
	}
	return a
}

func (c *compiler) declare(o *object, field, name string) {
	if len(c.scopes) == 0 {
		return
	}
	inner := c.scopes[len(c.scopes)-1]
	for _, outer := range c.scopes[:len(c.scopes)-1] {
		if by, ok := outer[name]; ok {
			o.errorf(field, "variable %q is assigned in an outer scope (by state %q); states inside a Parallel branch or Map processor cannot assign outer variables, pass values out through the state's output instead", name, by)
			return
		}
	}
	if _, ok := inner[name]; !ok {
		inner[name] = o.state
	}
}

func validVarName(s string) bool {
	if s == "" || len(s) > 80 || s == "states" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// intField is an integer field given literally, by a JSONPath (the ...Path
// variant) or by a JSONata expression.
type intField struct {
	set    bool
	static int64
	path   pathRef
	expr   *jexpr
	field  string
	// mapLimit marks a Map's MaxConcurrencyPath and
	// ToleratedFailureCountPath, read as AWS reads them (evalMapLimit).
	mapLimit bool
}

// strField is a string field given literally, by path or by expression.
type strField struct {
	set    bool
	static string
	path   pathRef
	expr   *jexpr
	field  string
	// call is an intrinsic function given as the path (a Fail state's
	// ErrorPath and CausePath).
	call *tmplIntrinsic
}

// intOrPath compiles field and field+"Path" (JSONPath) or field as a literal
// or {% %} expression (JSONata).
func (c *compiler) intOrPath(o *object, s *state, field string, min int64) intField {
	f := intField{field: field}
	pathField := field + "Path"
	if v, ok := o.m[field]; ok {
		if str, isStr := v.(string); isStr && s.jsonata && isExpr(str) {
			f.expr = c.expr(o, field, str)
			f.set = f.expr != nil
		} else if i, ok := o.int(field, false); ok {
			if i < min {
				o.errorf(field, "must be at least %d", min)
			}
			f.set, f.static = true, i
		}
	}
	if v, ok := o.m[pathField]; ok {
		if s.jsonata {
			o.errorf(pathField, "is not supported in JSONata states; write %s: \"{%% ... %%}\" instead", field)
		} else if f.set {
			o.errorf(pathField, "cannot be used together with %s", field)
		} else if str, isStr := v.(string); !isStr {
			o.errorf(pathField, "must be a path string, not %s", typeName(v))
		} else if p, err := parsePath(str); err != nil {
			o.errorf(pathField, "%v", err)
		} else {
			f.set, f.path, f.field = true, p, pathField
		}
	}
	return f
}

func (c *compiler) strOrPath(o *object, s *state, field string) strField {
	f := strField{field: field}
	pathField := field + "Path"
	if str, ok := o.str(field, false); ok {
		if s.jsonata && isExpr(str) {
			f.expr = c.expr(o, field, str)
			f.set = f.expr != nil
		} else {
			f.set, f.static = true, str
		}
	}
	if v, ok := o.m[pathField]; ok {
		if s.jsonata {
			o.errorf(pathField, "is not supported in JSONata states; write %s: \"{%% ... %%}\" instead", field)
		} else if f.set {
			o.errorf(pathField, "cannot be used together with %s", field)
		} else if str, isStr := v.(string); !isStr {
			o.errorf(pathField, "must be a path string, not %s", typeName(v))
		} else if s.kind == kindFail && intrinsic.IsIntrinsic(str) {
			// ErrorPath and CausePath take intrinsic functions too, as
			// https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html documents.
			if call, err := intrinsic.Parse(str); err != nil {
				o.errorf(pathField, "%v", err)
			} else {
				f.set, f.call, f.field = true, &tmplIntrinsic{key: pathField, call: call}, pathField
			}
		} else if p, err := parsePath(str); err != nil {
			o.errorf(pathField, "%v", err)
		} else {
			f.set, f.path, f.field = true, p, pathField
		}
	}
	return f
}
