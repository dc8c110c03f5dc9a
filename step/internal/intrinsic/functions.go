package intrinsic

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// argType is what a parameter accepts; literals are checked against it when
// parsing and resolved values when evaluating.
type argType uint8

const (
	tAny argType = iota
	tString
	tNumber
	tBool
	tArray
	tObject
	tPathOrCall // States.JsonToString documents "must be a Path"
)

func (t argType) String() string {
	switch t {
	case tString:
		return "a string"
	case tNumber:
		return "a number"
	case tBool:
		return "a boolean"
	case tArray:
		return "an array"
	case tObject:
		return "an object"
	case tPathOrCall:
		return "a path"
	}
	return "a value"
}

// function describes one States.* intrinsic.
type function struct {
	min, max int       // argument count; max < 0 means no limit
	params   []argType // by position; the last entry covers any further arguments
	// check runs extra parse-time checks on literal arguments; it returns a
	// message or "".
	check func(c *Call) string
	eval  func(c *Call, args []any, env *Env) (any, error)
}

// functions lists every intrinsic of the JSONPath query language, from
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html.
var functions = map[string]*function{
	"States.Format":         {min: 1, max: -1, params: []argType{tString, tAny}, check: checkFormat, eval: evalFormat},
	"States.StringToJson":   {min: 1, max: 1, params: []argType{tString}, eval: evalStringToJSON},
	"States.JsonToString":   {min: 1, max: 1, params: []argType{tPathOrCall}, eval: evalJSONToString},
	"States.Array":          {min: 0, max: -1, eval: evalArray},
	"States.ArrayPartition": {min: 2, max: 2, params: []argType{tArray, tNumber}, eval: evalArrayPartition},
	"States.ArrayContains":  {min: 2, max: 2, params: []argType{tArray, tAny}, eval: evalArrayContains},
	"States.ArrayRange":     {min: 3, max: 3, params: []argType{tNumber}, eval: evalArrayRange},
	"States.ArrayGetItem":   {min: 2, max: 2, params: []argType{tArray, tNumber}, eval: evalArrayGetItem},
	"States.ArrayLength":    {min: 1, max: 1, params: []argType{tArray}, eval: evalArrayLength},
	"States.ArrayUnique":    {min: 1, max: 1, params: []argType{tArray}, eval: evalArrayUnique},
	"States.Base64Encode":   {min: 1, max: 1, params: []argType{tString}, eval: evalBase64Encode},
	"States.Base64Decode":   {min: 1, max: 1, params: []argType{tString}, eval: evalBase64Decode},
	"States.Hash":           {min: 2, max: 2, params: []argType{tString}, check: checkHash, eval: evalHash},
	"States.JsonMerge":      {min: 3, max: 3, params: []argType{tObject, tObject, tBool}, check: checkJSONMerge, eval: evalJSONMerge},
	"States.MathRandom":     {min: 2, max: 3, params: []argType{tNumber}, eval: evalMathRandom},
	"States.MathAdd":        {min: 2, max: 2, params: []argType{tNumber}, eval: evalMathAdd},
	"States.StringSplit":    {min: 2, max: 2, params: []argType{tString}, eval: evalStringSplit},
	"States.UUID":           {min: 0, max: 0, eval: evalUUID},
}

// functionNames returns the valid function names, sorted, for error
// messages.
func functionNames() []string { return slices.Sorted(maps.Keys(functions)) }

func (f *function) param(i int) argType {
	if len(f.params) == 0 {
		return tAny
	}
	return f.params[min(i, len(f.params)-1)]
}

func plural(n int) string {
	if n == 1 {
		return "1 argument"
	}
	return strconv.Itoa(n) + " arguments"
}

// checkArity returns a message naming the expected and actual counts, or "".
func (f *function) checkArity(n int) string {
	switch {
	case f.max < 0 && n < f.min:
		return fmt.Sprintf("expects at least %s, got %d", plural(f.min), n)
	case f.max >= 0 && (n < f.min || n > f.max) && f.min == f.max:
		return fmt.Sprintf("expects %s, got %d", plural(f.min), n)
	case f.max >= 0 && (n < f.min || n > f.max):
		return fmt.Sprintf("expects %d to %d arguments, got %d", f.min, f.max, n)
	}
	return ""
}

// checkLiterals rejects literal arguments whose type can never be right,
// so that a definition fails validation instead of failing at run time.
func (f *function) checkLiterals(c *Call) string {
	for i := range c.Args {
		a := &c.Args[i]
		want := f.param(i)
		if a.Kind == ArgPath || a.Kind == ArgCall || want == tAny {
			continue
		}
		got := literalType(a.Kind)
		if want != got {
			return fmt.Sprintf("%s: argument %d must be %s, got a %s literal", c.Name, i+1, want, a.Kind)
		}
	}
	if f.check != nil {
		if msg := f.check(c); msg != "" {
			return c.Name + ": " + msg
		}
	}
	return ""
}

func literalType(k ArgKind) argType {
	switch k {
	case ArgString:
		return tString
	case ArgNumber:
		return tNumber
	case ArgBool:
		return tBool
	}
	return tAny // null matches no typed parameter
}

// Eval evaluates the invocation: it resolves path arguments through env,
// evaluates nested calls, checks argument types and applies the function.
// Failures of the function itself are *Error with Name IntrinsicFailure;
// errors from env.Resolve are returned wrapped with the function and
// argument position.
func (c *Call) Eval(env Env) (any, error) {
	return c.eval(&env)
}

func (c *Call) eval(env *Env) (any, error) {
	f, ok := functions[c.Name]
	if !ok {
		return nil, failf(c.Name, "unknown intrinsic function")
	}
	if msg := f.checkArity(len(c.Args)); msg != "" {
		return nil, failf(c.Name, msg)
	}
	args := make([]any, len(c.Args))
	for i := range c.Args {
		v, err := c.argValue(i, env)
		if err != nil {
			return nil, err
		}
		if err := checkType(c.Name, i, f.param(i), v); err != nil {
			return nil, err
		}
		args[i] = v
	}
	return f.eval(c, args, env)
}

func (c *Call) argValue(i int, env *Env) (any, error) {
	a := &c.Args[i]
	switch a.Kind {
	case ArgString:
		return a.String, nil
	case ArgNumber:
		return a.Number, nil
	case ArgBool:
		return a.Bool, nil
	case ArgNull:
		return nil, nil
	case ArgPath:
		if env.Resolve == nil {
			return nil, fmt.Errorf("%s: argument %d: no Resolve function to evaluate %s", c.Name, i+1, a.Path)
		}
		v, err := env.Resolve(a.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: argument %d: %w", c.Name, i+1, err)
		}
		return v, nil
	case ArgCall:
		return a.Call.eval(env)
	}
	return nil, failf(c.Name, fmt.Sprintf("argument %d has invalid kind %v", i+1, a.Kind))
}

func checkType(name string, i int, want argType, v any) error {
	ok := true
	switch want {
	case tString:
		_, ok = v.(string)
	case tNumber:
		_, _, _, ok = number(v)
	case tBool:
		_, ok = v.(bool)
	case tArray:
		_, ok = v.([]any)
	case tObject:
		_, ok = v.(map[string]any)
	}
	if !ok {
		return failf(name, fmt.Sprintf("argument %d must be %s, got %s", i+1, want, kindOf(v)))
	}
	return nil
}

// failf builds the States.IntrinsicFailure error for function name.
func failf(name, cause string) *Error {
	return &Error{Name: IntrinsicFailure, Cause: name + ": " + cause}
}
