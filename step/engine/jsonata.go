package engine

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math"
	"reflect"
	"strings"
	"sync"

	jsonata "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jtypes"
)

// JSONata expressions ("{% ... %}") evaluated with github.com/blues/jsonata-go.
//
// jsonata-go binds variables per compiled *jsonata.Expr, and an Expr's
// bindings are not safe to change while another goroutine evaluates it. So
// each expression keeps a pool of compiled copies; a copy is taken for one
// evaluation, bound to $states and the workflow variables the expression
// mentions, and returned. Copies are pooled per set of bound names, so a
// copy never keeps a stale binding that the current evaluation does not
// overwrite.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.

type jexpr struct {
	src   string   // as written, with the {% %} delimiters
	body  string   // the expression alone
	field string   // for error messages
	names []string // $names the expression mentions, "states" excluded
	mu    sync.Mutex
	pools map[string]*sync.Pool
}

// awsFunctions are the functions Step Functions adds to JSONata.
// See https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#jsonata-functions-provided-by-sfn.
var awsFunctions = map[string]jsonata.Extension{
	"partition": {Func: jsPartition},
	"range":     {Func: jsRange},
	"hash":      {Func: jsHash},
	"random":    {Func: jsRandom},
	"uuid":      {Func: func() string { return newUUID() }},
	"parse":     {Func: jsParse},
}

// expr compiles one "{% ... %}" string.
func (c *compiler) expr(o *object, field, s string) *jexpr {
	body := strings.TrimSpace(s[2 : len(s)-2])
	if body == "" {
		o.errorf(field, "the JSONata expression is empty")
		return nil
	}
	names := exprVariables(body)
	for _, n := range names {
		if n == "eval" {
			o.errorf(field, "$eval is not available in Step Functions; use $parse")
			return nil
		}
	}
	if _, err := compileJSONata(body); err != nil {
		o.errorf(field, "%s is not a valid JSONata expression: %v", s, err)
		return nil
	}
	return &jexpr{src: s, body: body, field: o.prefix + field, names: names, pools: map[string]*sync.Pool{}}
}

// compileJSONata compiles an expression with the AWS functions registered.
// The parser is third-party code: a panic on hostile input becomes an error.
func compileJSONata(body string) (e *jsonata.Expr, err error) {
	defer func() {
		if p := recover(); p != nil {
			e, err = nil, fmt.Errorf("the JSONata parser failed: %v", p)
		}
	}()
	e, err = jsonata.Compile(body)
	if err != nil {
		return nil, err
	}
	if err := e.RegisterExts(awsFunctions); err != nil {
		return nil, err
	}
	if err := e.RegisterExts(compatExtensions); err != nil {
		return nil, err
	}
	return e, nil
}

// exprVariables lists the distinct $names in an expression, skipping string
// literals and comments.
func exprVariables(s string) []string {
	seen := map[string]bool{}
	var out []string
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '"' || ch == '\'' || ch == '`':
			for i++; i < len(s) && s[i] != ch; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case ch == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return out
			}
			i += end + 3
		case ch == '$':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			name := s[i+1 : j]
			if name != "" && name != "states" && !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
			i = j - 1
		}
	}
	return out
}

// jsonata evaluates an expression in the frame's context and converts the
// result back to the value model. Failures are States.QueryEvaluationError.
func (ev *env) jsonata(e *jexpr) (_ any, fl *failure) {
	defer func() {
		if fl != nil && fl.location == "" {
			fl.location = e.field // for the EvaluationFailed event
		}
	}()
	f := ev.f
	vars := make(map[string]any, len(e.names)+1)
	var sig strings.Builder
	for _, n := range e.names {
		if v, ok := f.r.scope.lookup(n); ok {
			vars[n] = toJS(v)
			sig.WriteString(n)
			sig.WriteByte(',')
		}
	}
	vars["states"] = ev.statesVar()
	expr, err := e.get(sig.String())
	if err != nil {
		return nil, fail(ErrQueryEvaluationError, "The JSONata expression '%s' specified for the field '%s' could not be compiled: %v", e.body, awsField(e.field), err)
	}
	defer e.put(sig.String(), expr)
	res, err := evalJSONata(expr, vars)
	if err != nil {
		if errors.Is(err, jsonata.ErrUndefined) {
			if v, ok := emptyArrayPath(e.body, vars); ok {
				return v, nil
			}
			return nil, fail(ErrQueryEvaluationError, "The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).", e.body, awsField(e.field))
		}
		return nil, fail(ErrQueryEvaluationError, "An error occurred while evaluating the JSONata expression '%s' specified for the field '%s': %v", e.body, awsField(e.field), err)
	}
	v, err := fromJS(res)
	if err != nil {
		return nil, fail(ErrQueryEvaluationError, "The JSONata expression '%s' specified for the field '%s' returned a value that is not JSON: %v", e.body, awsField(e.field), err)
	}
	return v, nil
}

func evalJSONata(expr *jsonata.Expr, vars map[string]any) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("the JSONata evaluator failed: %v", p)
		}
	}()
	if err := expr.RegisterVars(vars); err != nil {
		return nil, err
	}
	return expr.Eval(nil)
}

func (e *jexpr) get(sig string) (*jsonata.Expr, error) {
	e.mu.Lock()
	p := e.pools[sig]
	if p == nil {
		p = &sync.Pool{}
		e.pools[sig] = p
	}
	e.mu.Unlock()
	if x, ok := p.Get().(*jsonata.Expr); ok {
		return x, nil
	}
	return compileJSONata(e.body)
}

func (e *jexpr) put(sig string, x *jsonata.Expr) {
	e.mu.Lock()
	p := e.pools[sig]
	e.mu.Unlock()
	p.Put(x)
}

// statesVar builds $states: input and context always, result and
// errorOutput where the field may read them.
func (ev *env) statesVar() map[string]any {
	f := ev.f
	if f.jsIn == nil {
		f.jsIn = toJS(f.input)
	}
	if f.jsCtx == nil {
		f.jsCtx = toJS(f.contextObject())
	}
	st := map[string]any{"input": f.jsIn, "context": f.jsCtx}
	if ev.hasResult {
		st["result"] = toJS(ev.result)
	}
	if ev.hasErr {
		st["errorOutput"] = toJS(ev.errOut)
	}
	return st
}

// jsNull is how jsonata-go represents JSON null.
var jsNull *any

// toJS converts a model value for jsonata-go, which computes with float64
// numbers and a typed nil pointer for null.
func toJS(v any) any {
	switch x := v.(type) {
	case nil:
		return jsNull
	case json.Number:
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = toJS(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJS(e)
		}
		return out
	}
	return v
}

// fromJS converts a jsonata-go result back to the value model.
func fromJS(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool:
		return v, nil
	case *any:
		if x == nil {
			return nil, nil
		}
		return fromJS(*x)
	case float64:
		return floatNumber(x)
	case int:
		return json.Number(fmt.Sprint(x)), nil
	case int64:
		return json.Number(fmt.Sprint(x)), nil
	case json.Number:
		return x, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := fromJS(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := fromJS(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			c, err := fromJS(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		out := make(map[string]any, rv.Len())
		for _, k := range rv.MapKeys() {
			c, err := fromJS(rv.MapIndex(k).Interface())
			if err != nil {
				return nil, err
			}
			out[k.String()] = c
		}
		return out, nil
	case reflect.Float32, reflect.Float64:
		return floatNumber(rv.Float())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(fmt.Sprint(rv.Int())), nil
	case reflect.Ptr, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return fromJS(rv.Elem().Interface())
	}
	return nil, fmt.Errorf("a %T (functions and other non-JSON values cannot leave an expression)", v)
}

// $partition(array, size) splits an array into chunks of size.
func jsPartition(arr []any, size float64) ([]any, error) {
	if size < 1 || size != math.Trunc(size) {
		return nil, fmt.Errorf("$partition: the chunk size must be a positive integer, not %v", size)
	}
	n := int(size)
	out := []any{}
	for i := 0; i < len(arr); i += n {
		out = append(out, arr[i:min(i+n, len(arr))])
	}
	return out, nil
}

// $range(start, end, step) lists the numbers from start to end inclusive;
// one number is that number, as JSONata 2 unwraps a sequence of one.
func jsRange(start, end, step float64) (any, error) {
	if step == 0 || math.IsNaN(start+end+step) {
		return nil, fmt.Errorf("$range: the step must not be 0")
	}
	count := math.Floor((end-start)/step) + 1
	if count > 1000 {
		return nil, fmt.Errorf("$range: at most 1000 items can be generated")
	}
	out := []any{}
	for i := 0; i < int(count); i++ {
		out = append(out, start+float64(i)*step)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}

// $hash(data, algorithm) returns the hex digest of data.
func jsHash(data, algorithm string) (string, error) {
	var h hash.Hash
	switch algorithm {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return "", fmt.Errorf("$hash: the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, not %q", algorithm)
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// $random([seed]) returns a number in [0, 1); with a seed, always the same
// one for that seed.
func jsRandom(seed jtypes.OptionalFloat64) float64 {
	if seed.IsSet() {
		x := uint64(math.Float64bits(seed.Float64))
		// splitmix64: a well-mixed deterministic function of the seed.
		x += 0x9e3779b97f4a7c15
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
		x = (x ^ (x >> 27)) * 0x94d049bb133111eb
		x ^= x >> 31
		return float64(x>>11) / (1 << 53)
	}
	return (&Execution{}).random()
}

// $parse(string) parses a JSON string.
func jsParse(s string) (any, error) {
	v, err := decodeJSON([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("$parse: %v", err)
	}
	return toJS(v), nil
}
