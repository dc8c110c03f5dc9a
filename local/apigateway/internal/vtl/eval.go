package vtl

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
)

// Limits of one evaluation.
const (
	// MaxForeachIterations is API Gateway's limit on one #foreach.
	MaxForeachIterations = 1000
	// MaxOutput bounds a template's output.
	MaxOutput = 10 << 20
	maxSteps  = 1_000_000
)

// ErrLimit is returned when a template exceeds the evaluation limits.
var ErrLimit = errors.New("the template exceeds the evaluation limits (output size or steps)")

type evaluator struct {
	vars  map[string]any
	out   strings.Builder
	steps int
}

// Execute renders the template with the variables vars ($input, $util,
// $context...). #set changes vars, so that a caller can read
// $context.responseOverride after rendering.
func (t *Template) Execute(vars map[string]any) (string, error) {
	e := &evaluator{vars: vars}
	if err := e.run(t.nodes); err != nil {
		return "", err
	}
	return e.out.String(), nil
}

func (e *evaluator) step() error {
	e.steps++
	if e.steps > maxSteps || e.out.Len() > MaxOutput {
		return ErrLimit
	}
	return nil
}

func (e *evaluator) run(nodes []node) error {
	for _, n := range nodes {
		if err := e.step(); err != nil {
			return err
		}
		switch n := n.(type) {
		case textNode:
			e.out.WriteString(string(n))
		case refNode:
			v, err := e.ref(n.ref)
			if err != nil {
				return err
			}
			e.out.WriteString(Render(v))
		case setNode:
			if err := e.set(n); err != nil {
				return err
			}
		case ifNode:
			done := false
			for i, c := range n.conds {
				v, err := e.eval(c)
				if err != nil {
					return err
				}
				if truthy(v) {
					if err := e.run(n.bodies[i]); err != nil {
						return err
					}
					done = true
					break
				}
			}
			if !done {
				if err := e.run(n.els); err != nil {
					return err
				}
			}
		case foreachNode:
			if err := e.foreach(n); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *evaluator) foreach(n foreachNode) error {
	v, err := e.eval(n.list)
	if err != nil {
		return err
	}
	var items []any
	switch t := v.(type) {
	case []any:
		items = t
	case *Map:
		// Velocity iterates a map's values.
		for _, k := range t.keys {
			items = append(items, t.vals[k])
		}
	case nil:
	default:
		items = []any{t}
	}
	if len(items) > MaxForeachIterations {
		items = items[:MaxForeachIterations]
	}
	saved, had := e.vars[n.name]
	savedForeach, hadForeach := e.vars["foreach"]
	savedCount, hadCount := e.vars["velocityCount"]
	for i, item := range items {
		e.vars[n.name] = item
		loop := NewMap()
		loop.Set("index", int64(i))
		loop.Set("count", int64(i+1))
		loop.Set("hasNext", i < len(items)-1)
		loop.Set("first", i == 0)
		loop.Set("last", i == len(items)-1)
		e.vars["foreach"] = loop
		e.vars["velocityCount"] = int64(i + 1)
		if err := e.run(n.body); err != nil {
			return err
		}
	}
	restore := func(k string, v any, had bool) {
		if had {
			e.vars[k] = v
		} else {
			delete(e.vars, k)
		}
	}
	restore(n.name, saved, had)
	restore("foreach", savedForeach, hadForeach)
	restore("velocityCount", savedCount, hadCount)
	return nil
}

func (e *evaluator) set(n setNode) error {
	v, err := e.eval(n.value)
	if err != nil {
		return err
	}
	if v == nil {
		return nil // Velocity 1.7 leaves the target unchanged
	}
	if len(n.target.chain) == 0 {
		e.vars[n.target.name] = v
		return nil
	}
	container, err := e.ref(&ref{name: n.target.name, chain: n.target.chain[:len(n.target.chain)-1]})
	if err != nil {
		return err
	}
	last := n.target.chain[len(n.target.chain)-1]
	key := last.name
	if last.kind == accessIndex {
		k, err := e.eval(last.args[0])
		if err != nil {
			return err
		}
		if list, ok := container.([]any); ok {
			if i, ok := toInt(k); ok && i >= 0 && int(i) < len(list) {
				list[i] = v
			}
			return nil
		}
		key = Render(k)
	}
	if m, ok := container.(*Map); ok {
		m.Set(key, v)
	}
	return nil
}

func (e *evaluator) ref(r *ref) (any, error) {
	v := e.vars[r.name]
	for _, a := range r.chain {
		if v == nil {
			return nil, nil
		}
		switch a.kind {
		case accessProp:
			v = property(v, a.name)
		case accessIndex:
			k, err := e.eval(a.args[0])
			if err != nil {
				return nil, err
			}
			v = index(v, k)
		case accessCall:
			args := make([]any, len(a.args))
			for i, x := range a.args {
				av, err := e.eval(x)
				if err != nil {
					return nil, err
				}
				args[i] = av
			}
			var err error
			if v, err = call(v, a.name, args); err != nil {
				return nil, fmt.Errorf("$%s...%s(): %w", r.name, a.name, err)
			}
		}
	}
	return v, nil
}

func property(v any, name string) any {
	switch t := v.(type) {
	case *Map:
		x, _ := t.Get(name)
		return x
	case Object:
		x, _ := t.Get(name)
		return x
	}
	return nil
}

func index(v, k any) any {
	switch t := v.(type) {
	case []any:
		if i, ok := toInt(k); ok && i >= 0 && int(i) < len(t) {
			return t[i]
		}
	case *Map:
		x, _ := t.Get(Render(k))
		return x
	}
	return nil
}

func (e *evaluator) eval(x expr) (any, error) {
	if err := e.step(); err != nil {
		return nil, err
	}
	switch t := x.(type) {
	case litExpr:
		return t.v, nil
	case strExpr:
		inner := &evaluator{vars: e.vars, steps: e.steps}
		if err := inner.run(t.tpl); err != nil {
			return nil, err
		}
		e.steps = inner.steps
		return inner.out.String(), nil
	case refExpr:
		return e.ref(t.ref)
	case listExpr:
		out := make([]any, len(t))
		for i, x := range t {
			v, err := e.eval(x)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case mapExpr:
		m := NewMap()
		for i := range t.keys {
			k, err := e.eval(t.keys[i])
			if err != nil {
				return nil, err
			}
			v, err := e.eval(t.vals[i])
			if err != nil {
				return nil, err
			}
			m.Set(Render(k), v)
		}
		return m, nil
	case rangeExpr:
		fv, err := e.eval(t.from)
		if err != nil {
			return nil, err
		}
		tv, err := e.eval(t.to)
		if err != nil {
			return nil, err
		}
		from, ok1 := toInt(fv)
		to, ok2 := toInt(tv)
		if !ok1 || !ok2 {
			return nil, nil
		}
		step := int64(1)
		if to < from {
			step = -1
		}
		var out []any
		for i := from; ; i += step {
			out = append(out, i)
			if i == to || len(out) > MaxForeachIterations {
				break
			}
		}
		return out, nil
	case unaryExpr:
		v, err := e.eval(t.x)
		if err != nil {
			return nil, err
		}
		if t.op == "!" {
			return !truthy(v), nil
		}
		if n, ok := v.(int64); ok {
			return -n, nil
		}
		if f, ok := toNumber(v); ok {
			return -f, nil
		}
		return nil, nil
	case binExpr:
		return e.binary(t)
	}
	return nil, fmt.Errorf("unknown expression %T", x)
}

func (e *evaluator) binary(b binExpr) (any, error) {
	l, err := e.eval(b.l)
	if err != nil {
		return nil, err
	}
	switch b.op {
	case "&&":
		if !truthy(l) {
			return false, nil
		}
		r, err := e.eval(b.r)
		return truthy(r), err
	case "||":
		if truthy(l) {
			return true, nil
		}
		r, err := e.eval(b.r)
		return truthy(r), err
	}
	r, err := e.eval(b.r)
	if err != nil {
		return nil, err
	}
	switch b.op {
	case "==":
		return equal(l, r), nil
	case "!=":
		return !equal(l, r), nil
	case "<", "<=", ">", ">=":
		lf, ok1 := toNumber(l)
		rf, ok2 := toNumber(r)
		var c int
		switch {
		case ok1 && ok2:
			c = cmpFloat(lf, rf)
		default:
			ls, lok := l.(string)
			rs, rok := r.(string)
			if !lok || !rok {
				return false, nil
			}
			c = strings.Compare(ls, rs)
		}
		switch b.op {
		case "<":
			return c < 0, nil
		case "<=":
			return c <= 0, nil
		case ">":
			return c > 0, nil
		}
		return c >= 0, nil
	}
	// Arithmetic: integers stay integers, as in Velocity.
	li, lint := l.(int64)
	ri, rint := r.(int64)
	if lint && rint {
		switch b.op {
		case "+":
			return li + ri, nil
		case "-":
			return li - ri, nil
		case "*":
			return li * ri, nil
		case "/":
			if ri == 0 {
				return nil, nil
			}
			return li / ri, nil
		case "%":
			if ri == 0 {
				return nil, nil
			}
			return li % ri, nil
		}
	}
	lf, ok1 := toNumber(l)
	rf, ok2 := toNumber(r)
	if !ok1 || !ok2 {
		return nil, nil
	}
	switch b.op {
	case "+":
		return lf + rf, nil
	case "-":
		return lf - rf, nil
	case "*":
		return lf * rf, nil
	case "/":
		if rf == 0 {
			return nil, nil
		}
		return lf / rf, nil
	case "%":
		if rf == 0 {
			return nil, nil
		}
		return math.Mod(lf, rf), nil
	}
	return nil, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// equal is Velocity's ==: numbers by value, otherwise by rendered text
// (nil equals only nil).
func equal(l, r any) bool {
	if l == nil || r == nil {
		return l == nil && r == nil
	}
	lf, ok1 := toNumber(l)
	rf, ok2 := toNumber(r)
	if ok1 && ok2 {
		return lf == rf
	}
	return Render(l) == Render(r)
}

// call runs a Java-style method on a value.
func call(v any, name string, args []any) (any, error) {
	switch t := v.(type) {
	case Object:
		return t.Call(name, args)
	case string:
		return stringMethod(t, name, args)
	case *Map:
		switch name {
		case "get":
			if len(args) == 1 {
				x, _ := t.Get(Render(args[0]))
				return x, nil
			}
		case "containsKey":
			if len(args) == 1 {
				_, ok := t.Get(Render(args[0]))
				return ok, nil
			}
		case "put":
			if len(args) == 2 {
				old, _ := t.Get(Render(args[0]))
				t.Set(Render(args[0]), args[1])
				return old, nil
			}
		case "size":
			return int64(t.Len()), nil
		case "isEmpty":
			return t.Len() == 0, nil
		case "keySet":
			out := make([]any, 0, t.Len())
			for _, k := range t.keys {
				out = append(out, k)
			}
			return out, nil
		case "values":
			out := make([]any, 0, t.Len())
			for _, k := range t.keys {
				out = append(out, t.vals[k])
			}
			return out, nil
		case "toString":
			return Render(t), nil
		}
	case []any:
		switch name {
		case "size":
			return int64(len(t)), nil
		case "isEmpty":
			return len(t) == 0, nil
		case "get":
			if len(args) == 1 {
				return index(t, args[0]), nil
			}
		case "contains":
			if len(args) == 1 {
				for _, x := range t {
					if equal(x, args[0]) {
						return true, nil
					}
				}
				return false, nil
			}
		case "toString":
			return Render(t), nil
		}
	case int64, float64, bool:
		if name == "toString" {
			return Render(t), nil
		}
	}
	return nil, fmt.Errorf("no method %s with %d arguments on %s", name, len(args), typeName(v))
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case *Map:
		return "a map"
	case []any:
		return "a list"
	case int64, float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

func stringMethod(s, name string, args []any) (any, error) {
	str := func(i int) string { return Render(args[i]) }
	switch {
	case name == "length" && len(args) == 0:
		return int64(len([]rune(s))), nil
	case name == "isEmpty" && len(args) == 0:
		return s == "", nil
	case name == "toString" && len(args) == 0:
		return s, nil
	case name == "trim" && len(args) == 0:
		return strings.TrimSpace(s), nil
	case name == "toLowerCase" && len(args) == 0:
		return strings.ToLower(s), nil
	case name == "toUpperCase" && len(args) == 0:
		return strings.ToUpper(s), nil
	case name == "contains" && len(args) == 1:
		return strings.Contains(s, str(0)), nil
	case name == "startsWith" && len(args) == 1:
		return strings.HasPrefix(s, str(0)), nil
	case name == "endsWith" && len(args) == 1:
		return strings.HasSuffix(s, str(0)), nil
	case name == "equals" && len(args) == 1:
		return s == str(0), nil
	case name == "indexOf" && len(args) == 1:
		return int64(strings.Index(s, str(0))), nil
	case name == "replace" && len(args) == 2:
		return strings.ReplaceAll(s, str(0), str(1)), nil
	case (name == "replaceAll" || name == "replaceFirst") && len(args) == 2:
		re, err := regexp.Compile(str(0))
		if err != nil {
			return nil, fmt.Errorf("regular expression %q: %v", str(0), err)
		}
		repl := javaReplacement(str(1))
		if name == "replaceFirst" {
			done := false
			return re.ReplaceAllStringFunc(s, func(m string) string {
				if done {
					return m
				}
				done = true
				return re.ReplaceAllString(m, repl)
			}), nil
		}
		return re.ReplaceAllString(s, repl), nil
	case name == "matches" && len(args) == 1:
		re, err := regexp.Compile("^(?:" + str(0) + ")$")
		if err != nil {
			return nil, fmt.Errorf("regular expression %q: %v", str(0), err)
		}
		return re.MatchString(s), nil
	case name == "split" && len(args) == 1:
		re, err := regexp.Compile(str(0))
		if err != nil {
			return nil, fmt.Errorf("regular expression %q: %v", str(0), err)
		}
		var out []any
		for _, p := range re.Split(s, -1) {
			out = append(out, p)
		}
		return out, nil
	case name == "substring" && (len(args) == 1 || len(args) == 2):
		r := []rune(s)
		from, ok := toInt(args[0])
		to := int64(len(r))
		if len(args) == 2 {
			var ok2 bool
			to, ok2 = toInt(args[1])
			ok = ok && ok2
		}
		if !ok || from < 0 || to > int64(len(r)) || from > to {
			return nil, fmt.Errorf("substring(%v): index out of range for a string of %d characters", args, len(r))
		}
		return string(r[from:to]), nil
	}
	return nil, fmt.Errorf("no method %s with %d arguments on a string", name, len(args))
}

// javaReplacement turns a java.util.regex replacement ($1 groups, \x for
// a literal x) into Go's (${1}, $$ for a literal $).
func javaReplacement(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(s[i])
			}
		case c == '$':
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j > i+1 {
				b.WriteString("${" + s[i+1:j] + "}")
				i = j - 1
			} else {
				b.WriteString("$$")
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
