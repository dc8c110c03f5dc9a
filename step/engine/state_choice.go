package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Choice states and their rules, with AWS's typing rules: a comparison
// whose operands are not both of the operator's type is false, not an
// error; a Variable that selects nothing is States.Runtime (IsPresent
// aside).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
// and https://states-language.net/spec.html#choice-state.

type ruleOp uint8

const (
	opAnd ruleOp = iota
	opOr
	opNot
	opCondition // JSONata
	opStringEquals
	opStringLessThan
	opStringGreaterThan
	opStringLessThanEquals
	opStringGreaterThanEquals
	opStringMatches
	opNumericEquals
	opNumericLessThan
	opNumericGreaterThan
	opNumericLessThanEquals
	opNumericGreaterThanEquals
	opBooleanEquals
	opTimestampEquals
	opTimestampLessThan
	opTimestampGreaterThan
	opTimestampLessThanEquals
	opTimestampGreaterThanEquals
	opIsNull
	opIsPresent
	opIsNumeric
	opIsString
	opIsBoolean
	opIsTimestamp
)

type operandKind uint8

const (
	operandString operandKind = iota
	operandNumber
	operandBool
	operandTimestamp
)

type opInfo struct {
	op   ruleOp
	kind operandKind
}

var comparisons = map[string]opInfo{
	"StringEquals": {opStringEquals, operandString}, "StringLessThan": {opStringLessThan, operandString},
	"StringGreaterThan": {opStringGreaterThan, operandString}, "StringLessThanEquals": {opStringLessThanEquals, operandString},
	"StringGreaterThanEquals": {opStringGreaterThanEquals, operandString}, "StringMatches": {opStringMatches, operandString},
	"NumericEquals": {opNumericEquals, operandNumber}, "NumericLessThan": {opNumericLessThan, operandNumber},
	"NumericGreaterThan": {opNumericGreaterThan, operandNumber}, "NumericLessThanEquals": {opNumericLessThanEquals, operandNumber},
	"NumericGreaterThanEquals": {opNumericGreaterThanEquals, operandNumber},
	"BooleanEquals":            {opBooleanEquals, operandBool},
	"TimestampEquals":          {opTimestampEquals, operandTimestamp}, "TimestampLessThan": {opTimestampLessThan, operandTimestamp},
	"TimestampGreaterThan": {opTimestampGreaterThan, operandTimestamp}, "TimestampLessThanEquals": {opTimestampLessThanEquals, operandTimestamp},
	"TimestampGreaterThanEquals": {opTimestampGreaterThanEquals, operandTimestamp},
	"IsNull":                     {opIsNull, operandBool}, "IsPresent": {opIsPresent, operandBool},
	"IsNumeric": {opIsNumeric, operandBool}, "IsString": {opIsString, operandBool},
	"IsBoolean": {opIsBoolean, operandBool}, "IsTimestamp": {opIsTimestamp, operandBool},
}

type choiceRule struct {
	op       ruleOp
	variable pathRef
	// operand: literal or, for the ...Path variants, a path.
	str     string
	num     json.Number
	boolean bool
	ts      time.Time
	path    pathRef
	pattern []matchPart
	subs    []*choiceRule
	cond    *jexpr
	// top-level rules only
	nextName string
	next     *state
	assign   *assignment
	output   tmpl
}

func (c *compiler) compileChoice(o *object, s *state, depth int) []string {
	list, ok := o.list("Choices", true)
	if ok && len(list) == 0 {
		o.errorf("Choices", "must hold at least one rule")
	}
	for i, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			o.errorf(fmt.Sprintf("Choices[%d]", i), "must be an object")
			continue
		}
		ro := c.object(s.name, fmt.Sprintf("Choices[%d].", i), m)
		r := c.rule(ro, s, 0, true)
		if r != nil {
			s.choices = append(s.choices, r)
		}
	}
	s.deflName, _ = o.str("Default", false)
	allowed := []string{"Choices", "Default"}
	return allowed
}

const maxRuleDepth = 64

func (c *compiler) rule(o *object, s *state, depth int, top bool) *choiceRule {
	if depth > maxRuleDepth {
		o.errorf("", "rules are nested more than %d deep", maxRuleDepth)
		return nil
	}
	r := &choiceRule{}
	allowed := []string{"Comment"}
	if top {
		r.nextName, _ = o.str("Next", true)
		allowed = append(allowed, "Next", "Assign")
		if v, ok := o.m["Assign"]; ok {
			r.assign = c.assignBlock(o, "Assign", v, s.jsonata)
		}
		if s.jsonata {
			r.output = c.jsonataField(o, "Output")
			allowed = append(allowed, "Output")
		}
	}
	if s.jsonata {
		if !top {
			o.errorf("Condition", "JSONata Choice rules are not nested: write one Condition expression")
			return nil
		}
		// A literal true or false is a Condition too: AWS accepts it
		// (recorded AWS behaviour).
		if b, literal := o.m["Condition"].(bool); literal {
			r.op, r.boolean = opCondition, b
			o.known(append(allowed, "Condition")...)
			return r
		}
		cond, ok := o.str("Condition", true)
		if ok {
			if isExpr(cond) {
				r.cond = c.expr(o, "Condition", cond)
			} else {
				o.errorf("Condition", "must be a JSONata expression \"{%% ... %%}\"")
			}
		}
		r.op = opCondition
		o.known(append(allowed, "Condition")...)
		return r
	}
	var ops []string
	for k := range o.m {
		if k == "And" || k == "Or" || k == "Not" {
			ops = append(ops, k)
			continue
		}
		name := strings.TrimSuffix(k, "Path")
		if _, ok := comparisons[name]; ok && (name == k || !strings.HasPrefix(k, "Is")) {
			ops = append(ops, k)
		}
	}
	sort.Strings(ops)
	if len(ops) != 1 {
		if len(ops) == 0 {
			o.errorf("", "a rule needs one comparison operator (StringEquals, NumericLessThan, IsPresent, ...) or And, Or, Not")
		} else {
			o.errorf("", "a rule takes exactly one operator, found %s", strings.Join(ops, ", "))
		}
		return nil
	}
	op := ops[0]
	allowed = append(allowed, op)
	switch op {
	case "And", "Or":
		r.op = opAnd
		if op == "Or" {
			r.op = opOr
		}
		list, _ := o.list(op, true)
		if len(list) == 0 {
			o.errorf(op, "must hold at least one rule")
		}
		for i, v := range list {
			m, ok := v.(map[string]any)
			if !ok {
				o.errorf(fmt.Sprintf("%s[%d]", op, i), "must be an object")
				continue
			}
			if sub := c.rule(c.object(s.name, fmt.Sprintf("%s%s[%d].", o.prefix, op, i), m), s, depth+1, false); sub != nil {
				r.subs = append(r.subs, sub)
			}
		}
	case "Not":
		r.op = opNot
		sub, ok := o.sub("Not", true)
		if ok {
			if sr := c.rule(sub, s, depth+1, false); sr != nil {
				r.subs = []*choiceRule{sr}
			}
		}
	default:
		allowed = append(allowed, "Variable")
		c.comparison(o, r, op)
	}
	o.known(allowed...)
	return r
}

func (c *compiler) comparison(o *object, r *choiceRule, op string) {
	if v, ok := o.str("Variable", true); ok {
		p, err := parsePath(v)
		if err != nil {
			o.errorf("Variable", "%v", err)
		}
		r.variable = p
	}
	name := strings.TrimSuffix(op, "Path")
	info := comparisons[name]
	r.op = info.op
	val := o.m[op]
	if name != op {
		s, ok := val.(string)
		if !ok {
			o.errorf(op, "must be a path string, not %s", typeName(val))
			return
		}
		p, err := parsePath(s)
		if err != nil {
			o.errorf(op, "%v", err)
		}
		r.path = p
		if r.op == opStringMatches {
			o.errorf(op, "StringMatches has no Path variant")
		}
		return
	}
	switch info.kind {
	case operandString:
		s, ok := val.(string)
		if !ok {
			o.errorf(op, "must be a string, not %s", typeName(val))
		}
		r.str = s
		if r.op == opStringMatches {
			r.pattern = compilePattern(s)
		}
	case operandNumber:
		n, ok := val.(json.Number)
		if !ok {
			o.errorf(op, "must be a number, not %s", typeName(val))
		}
		r.num = n
	case operandBool:
		b, ok := val.(bool)
		if !ok {
			o.errorf(op, "must be a boolean, not %s", typeName(val))
		}
		r.boolean = b
	case operandTimestamp:
		s, ok := val.(string)
		t, err := parseTimestamp(s)
		if !ok || err != nil {
			o.errorf(op, "must be an RFC 3339 timestamp string such as 2016-03-14T01:59:00Z")
		}
		r.ts = t
	}
}

func (r *runner) runChoice(f *frame) (any, *state, *failure) {
	st := f.st
	eff := f.input
	if !st.jsonata {
		var fl *failure
		if eff, fl = f.effectiveInput(); fl != nil {
			return nil, nil, fl
		}
	}
	ev := &env{f: f, doc: eff}
	for _, rule := range st.choices {
		ok, fl := rule.eval(ev)
		if fl != nil {
			return nil, nil, fl
		}
		if ok {
			assign, output := st.assign, st.output
			if rule.assign != nil {
				assign = rule.assign
			}
			if rule.output != nil {
				output = rule.output
			}
			out, fl := f.finishPlain(eff, assign, output)
			return out, rule.next, fl
		}
	}
	if st.deflt == nil {
		return nil, nil, fail(ErrNoChoiceMatched, "No Matches! The Choice state '%s' matched none of its rules and has no Default", st.name)
	}
	out, fl := f.finishPlain(eff, st.assign, st.output)
	return out, st.deflt, fl
}

func (cr *choiceRule) eval(ev *env) (bool, *failure) {
	switch cr.op {
	case opAnd:
		for _, s := range cr.subs {
			ok, fl := s.eval(ev)
			if fl != nil || !ok {
				return false, fl
			}
		}
		return true, nil
	case opOr:
		for _, s := range cr.subs {
			ok, fl := s.eval(ev)
			if fl != nil || ok {
				return ok, fl
			}
		}
		return false, nil
	case opNot:
		ok, fl := cr.subs[0].eval(ev)
		return !ok, fl
	case opCondition:
		if cr.cond == nil {
			return cr.boolean, nil
		}
		v, fl := ev.jsonata(cr.cond)
		if fl != nil {
			return false, fl
		}
		b, ok := v.(bool)
		if !ok {
			return false, fail(ErrQueryEvaluationError, "The Condition '%s' returned %s, but a Condition must return a boolean", cr.cond.src, typeName(v))
		}
		return b, nil
	}
	v, err := ev.resolve(cr.variable)
	if cr.op == opIsPresent {
		return (err == nil) == cr.boolean, nil
	}
	if err != nil {
		return false, runtimeFailure("Invalid path '%s': The choice state's condition path references an invalid value.", cr.variable)
	}
	switch cr.op {
	case opIsNull:
		return (v == nil) == cr.boolean, nil
	case opIsNumeric:
		_, ok := v.(json.Number)
		return ok == cr.boolean, nil
	case opIsString:
		_, ok := v.(string)
		return ok == cr.boolean, nil
	case opIsBoolean:
		_, ok := v.(bool)
		return ok == cr.boolean, nil
	case opIsTimestamp:
		s, ok := v.(string)
		if ok {
			_, err := parseTimestamp(s)
			ok = err == nil
		}
		return ok == cr.boolean, nil
	case opStringMatches:
		s, ok := v.(string)
		return ok && matchPattern(cr.pattern, s), nil
	}
	// Comparisons: the operand is the literal or what the ...Path selects.
	var operand any
	if cr.path != nil {
		var err error
		if operand, err = ev.resolve(cr.path); err != nil {
			return false, runtimeFailure("Invalid path '%s': The choice state's condition path references an invalid value.", cr.path)
		}
	}
	switch cr.op {
	case opStringEquals, opStringLessThan, opStringGreaterThan, opStringLessThanEquals, opStringGreaterThanEquals:
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		want := cr.str
		if cr.path != nil {
			if want, ok = operand.(string); !ok {
				return false, nil
			}
		}
		return compareResult(cr.op-opStringEquals, strings.Compare(s, want)), nil
	case opNumericEquals, opNumericLessThan, opNumericGreaterThan, opNumericLessThanEquals, opNumericGreaterThanEquals:
		n, ok := v.(json.Number)
		if !ok {
			return false, nil
		}
		want := cr.num
		if cr.path != nil {
			if want, ok = operand.(json.Number); !ok {
				return false, nil
			}
		}
		return compareResult(cr.op-opNumericEquals, compareNumbers(n, want)), nil
	case opBooleanEquals:
		b, ok := v.(bool)
		if !ok {
			return false, nil
		}
		want := cr.boolean
		if cr.path != nil {
			if want, ok = operand.(bool); !ok {
				return false, nil
			}
		}
		return b == want, nil
	case opTimestampEquals, opTimestampLessThan, opTimestampGreaterThan, opTimestampLessThanEquals, opTimestampGreaterThanEquals:
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		t, err := parseTimestamp(s)
		if err != nil {
			return false, nil
		}
		want := cr.ts
		if cr.path != nil {
			ws, ok := operand.(string)
			if !ok {
				return false, nil
			}
			if want, err = parseTimestamp(ws); err != nil {
				return false, nil
			}
		}
		return compareResult(cr.op-opTimestampEquals, t.Compare(want)), nil
	}
	return false, nil
}

// compareResult maps a comparison (-1, 0, 1) through the operator's offset
// within its family: Equals, LessThan, GreaterThan, LessThanEquals,
// GreaterThanEquals.
func compareResult(offset ruleOp, c int) bool {
	switch offset {
	case 0:
		return c == 0
	case 1:
		return c < 0
	case 2:
		return c > 0
	case 3:
		return c <= 0
	}
	return c >= 0
}

// matchPart is a piece of a StringMatches pattern: a literal, or a "*"
// matching any run of characters.
type matchPart struct {
	star bool
	lit  string
}

// compilePattern splits a StringMatches pattern, where "\*" is a literal
// star and "\\" a literal backslash.
func compilePattern(p string) []matchPart {
	var parts []matchPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, matchPart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == '\\' && i+1 < len(p) && (p[i+1] == '*' || p[i+1] == '\\'):
			lit.WriteByte(p[i+1])
			i++
		case p[i] == '*':
			flush()
			if len(parts) == 0 || !parts[len(parts)-1].star {
				parts = append(parts, matchPart{star: true})
			}
		default:
			lit.WriteByte(p[i])
		}
	}
	flush()
	return parts
}

// matchPattern matches s against a compiled pattern with the greedy
// last-star backtracking of glob matching, linear in practice.
func matchPattern(parts []matchPart, s string) bool {
	if len(parts) == 0 {
		return s == ""
	}
	// Anchor the first literal at the start and the last at the end.
	if !parts[0].star {
		if !strings.HasPrefix(s, parts[0].lit) {
			return false
		}
		s = s[len(parts[0].lit):]
		parts = parts[1:]
		if len(parts) == 0 {
			return s == ""
		}
	}
	last := parts[len(parts)-1]
	if !last.star {
		if !strings.HasSuffix(s, last.lit) {
			return false
		}
		s = s[:len(s)-len(last.lit)]
		parts = parts[:len(parts)-1]
	}
	// Every remaining literal sits between stars: take each at its first
	// occurrence.
	for _, p := range parts {
		if p.star {
			continue
		}
		i := strings.Index(s, p.lit)
		if i < 0 {
			return false
		}
		s = s[i+len(p.lit):]
	}
	return true
}
