package intrinsic_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// input is shared by the cases below; each case names what it uses.
const input = `{
  "arr": [1, 2, 3, 4, 5, 6, 7, 8, 9],
  "mixed": [1, 1.0, "1", {"a": [1, 2]}, {"a": [1, 2.0]}, [1], [1], null, null, true],
  "empty": [],
  "obj": {"k": "v", "n": 1},
  "s": "a,,b,",
  "html": {"t": "<a & b>"},
  "big": 2147483648,
  "half": 2.5,
  "neghalf": -2.5,
  "str": "x"
}`

func TestEval(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want string
	}{
		{name: "Format escapes", expr: `States.Format('it\'s \{\} {} \\', 'x')`, want: `"it's {} x \\"`},
		{name: "Format value kinds", expr: "States.Format('{} {} {} {} {} {}', 1.50, true, null, $.obj, $.mixed[3], States.Array(1, 'a'))",
			want: `"1.50 true null {k=v, n=1} {a=[1, 2]} [1, a]"`},
		{name: "Format no placeholders", expr: "States.Format('plain')", want: `"plain"`},
		{name: "Format lone braces are text", expr: "States.Format('{ x } {}', 1)", want: `"{ x } 1"`},
		{name: "StringToJson scalar", expr: "States.StringToJson('12.5')", want: `12.5`},
		{name: "StringToJson array", expr: `States.StringToJson('[1, "a", null]')`, want: `[1, "a", null]`},
		// An empty or blank string is null (recorded AWS behaviour).
		{name: "StringToJson empty", expr: "States.StringToJson('')", want: `null`},
		{name: "StringToJson blank", expr: "States.StringToJson(' ')", want: `null`},
		{name: "JsonToString no HTML escaping", expr: "States.JsonToString($.html)", want: `"{\"t\":\"<a & b>\"}"`},
		{name: "JsonToString number kept", expr: "States.JsonToString($.mixed[1])", want: `"1.0"`},
		{name: "JsonToString nested call", expr: "States.JsonToString(States.Array(1, 'a'))", want: `"[1,\"a\"]"`},
		{name: "Array empty", expr: "States.Array()", want: `[]`},
		{name: "Array nested", expr: "States.Array(States.Array(), $.str)", want: `[[], "x"]`},
		{name: "ArrayPartition rounds chunk", expr: "States.ArrayPartition($.arr, 4.5)", want: `[[1,2,3,4,5],[6,7,8,9]]`},
		{name: "ArrayPartition big chunk", expr: "States.ArrayPartition($.arr, 100)", want: `[[1,2,3,4,5,6,7,8,9]]`},
		{name: "ArrayPartition empty", expr: "States.ArrayPartition($.empty, 2)", want: `[]`},
		{name: "ArrayContains missing", expr: "States.ArrayContains($.arr, 10)", want: `false`},
		{name: "ArrayContains number forms", expr: "States.ArrayContains($.arr, 2.0)", want: `true`},
		{name: "ArrayContains string not number", expr: "States.ArrayContains($.arr, '2')", want: `false`},
		{name: "ArrayContains deep", expr: "States.ArrayContains($.mixed, $.obj)", want: `false`},
		{name: "ArrayContains deep hit", expr: "States.ArrayContains($.mixed, States.StringToJson('{\"a\":[1,2]}'))", want: `true`},
		{name: "ArrayRange descending", expr: "States.ArrayRange(5, 1, -2)", want: `[5,3,1]`},
		{name: "ArrayRange end not on step", expr: "States.ArrayRange(1, 8, 3)", want: `[1,4,7]`},
		{name: "ArrayRange wrong direction", expr: "States.ArrayRange(1, 5, -1)", want: `[]`},
		{name: "ArrayRange single", expr: "States.ArrayRange(3, 3, 1)", want: `[3]`},
		{name: "ArrayRange rounds half up", expr: "States.ArrayRange(0.5, 2.4, 1)", want: `[1,2]`},
		{name: "ArrayRange exactly 1000", expr: "States.ArrayLength(States.ArrayRange(1, 1000, 1))", want: `1000`},
		{name: "ArrayGetItem first", expr: "States.ArrayGetItem($.arr, 0)", want: `1`},
		{name: "ArrayGetItem integral float", expr: "States.ArrayGetItem($.arr, 2.0)", want: `3`},
		{name: "ArrayLength empty", expr: "States.ArrayLength($.empty)", want: `0`},
		{name: "ArrayUnique mixed", expr: "States.ArrayUnique($.mixed)", want: `[1, "1", {"a": [1, 2]}, [1], null, true]`},
		{name: "Base64 round trip", expr: "States.Base64Decode(States.Base64Encode('héllo'))", want: `"héllo"`},
		{name: "Base64Decode no padding", expr: "States.Base64Decode('aGk')", want: `"hi"`},
		{name: "Base64Decode line breaks", expr: "States.Base64Decode($.b64)", want: `"Data to encode"`},
		{name: "Hash MD5", expr: "States.Hash('input data', 'MD5')", want: `"812f45842bc6d66ee14572ce20db8e86"`},
		{name: "Hash SHA-256", expr: "States.Hash('input data', 'SHA-256')", want: `"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"`},
		{name: "Hash SHA-384 length", expr: "States.ArrayLength(States.StringSplit(States.Hash('x', 'SHA-384'), 'g'))", want: `1`},
		{name: "JsonMerge empty", expr: "States.JsonMerge($.obj, States.StringToJson('{}'), false)", want: `{"k": "v", "n": 1}`},
		{name: "MathAdd rounds half up", expr: "States.MathAdd($.half, 0)", want: `3`},
		{name: "MathAdd rounds negative half toward +inf", expr: "States.MathAdd($.neghalf, 0)", want: `-2`},
		{name: "MathAdd limits", expr: "States.MathAdd(2147483647, 2147483647)", want: `4294967294`},
		{name: "MathRandom seeded in range", expr: "States.ArrayContains(States.ArrayRange(10, 19, 1), States.MathRandom(10, 20, 7))", want: `true`},
		{name: "StringSplit drops empty parts", expr: "States.StringSplit($.s, ',')", want: `["a", "b"]`},
		{name: "StringSplit empty delimiter", expr: "States.StringSplit('ab', '')", want: `["ab"]`},
		{name: "StringSplit empty string", expr: "States.StringSplit('', ',')", want: `[]`},
		{name: "StringSplit unicode delimiter", expr: "States.StringSplit('a→b', '→')", want: `["a", "b"]`},
		{name: "context and variable paths", expr: "States.Format('{}-{}', $$.Execution.Name, $v.id)", want: `"run-7"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decode(t, input)
			doc.(map[string]any)["b64"] = "RGF0YSB0\r\nbyBlbmNvZGU="
			env := envFor(doc, decode(t, `{"Execution": {"Name": "run"}}`), map[string]any{"v": decode(t, `{"id": 7}`)})
			got, err := mustParse(t, tt.expr).Eval(env)
			if err != nil {
				t.Fatalf("Eval(%q) = %v", tt.expr, err)
			}
			if diff := cmp.Diff(decode(t, tt.want), got); diff != "" {
				t.Errorf("Eval(%q) mismatch (-want +got):\n%s", tt.expr, diff)
			}
			if diff := cmp.Diff(func() any { d := decode(t, input); d.(map[string]any)["b64"] = "RGF0YSB0\r\nbyBlbmNvZGU="; return d }(), doc); diff != "" {
				t.Errorf("Eval(%q) changed its input (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestEvalFailures(t *testing.T) {
	tests := []struct {
		name  string
		expr  string
		cause string
	}{
		{name: "Format path template count", expr: "States.Format($.str, 1)", cause: "States.Format: the template has 0 {} placeholders but 1 values"},
		{name: "Format template not string", expr: "States.Format($.arr)", cause: "argument 1 must be a string, got an array"},
		{name: "StringToJson invalid", expr: "States.StringToJson('{')", cause: "States.StringToJson: argument 1 is not valid JSON"},
		{name: "StringToJson trailing", expr: "States.StringToJson('1 2')", cause: "text after the JSON value"},
		{name: "ArrayPartition not array", expr: "States.ArrayPartition($.obj, 2)", cause: "argument 1 must be an array, got an object"},
		{name: "ArrayPartition zero", expr: "States.ArrayPartition($.arr, 0)", cause: "chunk size must be a positive integer"},
		{name: "ArrayPartition rounds to zero", expr: "States.ArrayPartition($.arr, 0.4)", cause: "chunk size must be a positive integer"},
		{name: "ArrayPartition size not number", expr: "States.ArrayPartition($.arr, $.str)", cause: "argument 2 must be a number, got a string"},
		{name: "ArrayRange zero step", expr: "States.ArrayRange(1, 5, 0)", cause: "step (argument 3) must not be 0"},
		{name: "ArrayRange too long", expr: "States.ArrayRange(1, 1001, 1)", cause: "would hold more than 1000 items"},
		{name: "ArrayRange huge", expr: "States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)", cause: "more than 1000 items"},
		{name: "ArrayGetItem out of range", expr: "States.ArrayGetItem($.arr, 9)", cause: "index 9 is out of range for an array of length 9"},
		{name: "ArrayGetItem negative", expr: "States.ArrayGetItem($.arr, -1)", cause: "index -1 is out of range"},
		{name: "ArrayGetItem fraction", expr: "States.ArrayGetItem($.arr, 1.5)", cause: "argument 2 must be an integer, got 1.5"},
		{name: "ArrayLength not array", expr: "States.ArrayLength($.str)", cause: "States.ArrayLength: argument 1 must be an array, got a string"},
		{name: "Base64Encode too long", expr: "States.Base64Encode($.long)", cause: "input has 10001 characters; at most 10000"},
		{name: "Base64Decode too long", expr: "States.Base64Decode($.long)", cause: "at most 10000"},
		{name: "Base64Decode invalid", expr: "States.Base64Decode('!!!!')", cause: "not valid Base64"},
		{name: "Hash too long", expr: "States.Hash($.long, 'MD5')", cause: "at most 10000"},
		{name: "Hash path algorithm", expr: "States.Hash('x', $.str)", cause: `unknown algorithm "x"`},
		{name: "Hash data not string", expr: "States.Hash($.obj, 'MD5')", cause: "argument 1 must be a string, got an object"},
		{name: "JsonMerge not object", expr: "States.JsonMerge($.obj, $.arr, false)", cause: "argument 2 must be an object, got an array"},
		{name: "JsonMerge deep from path", expr: "States.JsonMerge($.obj, $.obj, $.yes)", cause: "deep merge is not supported"},
		{name: "MathRandom empty range", expr: "States.MathRandom(5, 5)", cause: "end (5) must be greater than start (5)"},
		{name: "MathRandom not number", expr: "States.MathRandom($.str, 5)", cause: "argument 1 must be a number, got a string"},
		{name: "MathAdd out of int32", expr: "States.MathAdd($.big, 1)", cause: "argument 1 (2147483648) is outside the range -2147483648 to 2147483647"},
		{name: "StringSplit not string", expr: "States.StringSplit($.arr, ',')", cause: "argument 1 must be a string, got an array"},
		{name: "nested failure surfaces", expr: "States.Array(States.ArrayGetItem($.arr, 20))", cause: "States.ArrayGetItem: index 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decode(t, input).(map[string]any)
			doc["long"] = strings.Repeat("é", 10001)
			doc["yes"] = true
			got, err := mustParse(t, tt.expr).Eval(envFor(doc, nil, nil))
			var ie *intrinsic.Error
			if !errors.As(err, &ie) {
				t.Fatalf("Eval(%q) = %v, %v, want an *intrinsic.Error", tt.expr, got, err)
			}
			if ie.Name != "States.IntrinsicFailure" || !strings.Contains(ie.Cause, tt.cause) {
				t.Errorf("Eval(%q) = %s / %q, want States.IntrinsicFailure with cause containing %q", tt.expr, ie.Name, ie.Cause, tt.cause)
			}
			var named interface{ ErrorName() string }
			if !errors.As(err, &named) || named.ErrorName() != "States.IntrinsicFailure" {
				t.Errorf("Eval(%q) error does not report ErrorName States.IntrinsicFailure", tt.expr)
			}
		})
	}
}

// TestEvalResolveError: a path that cannot be resolved keeps the resolver's
// error in the chain, so the engine can report it as it reports any path.
func TestEvalResolveError(t *testing.T) {
	c := mustParse(t, "States.Format('{}', $.missing)")
	_, err := c.Eval(envFor(decode(t, `{}`), nil, nil))
	if !errors.Is(err, jsonpath.ErrNotFound) {
		t.Fatalf("Eval = %v, want an error wrapping jsonpath.ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), "States.Format: argument 2:") {
		t.Errorf("Eval error %q does not name the function and argument", err)
	}
	var ie *intrinsic.Error
	if errors.As(err, &ie) {
		t.Errorf("Eval error is an IntrinsicFailure; want the resolver's error to stay as it is")
	}
	if _, err := c.Eval(intrinsic.Env{}); err == nil || !strings.Contains(err.Error(), "no Resolve function") {
		t.Errorf("Eval with no Resolve = %v, want an error", err)
	}
}

func TestEvalGoValues(t *testing.T) {
	doc := map[string]any{"a": []any{1, int64(2), 3.0}, "n": float64(4.5)}
	env := envFor(doc, nil, nil)
	tests := []struct {
		expr string
		want any
	}{
		{"States.ArrayLength($.a)", "3"},
		{"States.ArrayContains($.a, 3)", true},
		{"States.MathAdd($.n, 1)", "6"},
		{"States.Format('{}', $.a)", "[1, 2, 3]"},
		{"States.JsonToString($.a)", "[1,2,3]"},
	}
	for _, tt := range tests {
		got, err := mustParse(t, tt.expr).Eval(env)
		if err != nil {
			t.Fatalf("Eval(%q) = %v", tt.expr, err)
		}
		if s, ok := got.(interface{ String() string }); ok {
			got = s.String()
		}
		if got != tt.want {
			t.Errorf("Eval(%q) = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func TestUUID(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	c := mustParse(t, "States.UUID()")
	seen := map[any]bool{}
	for range 100 {
		got, err := c.Eval(intrinsic.Env{})
		if err != nil {
			t.Fatal(err)
		}
		if !v4.MatchString(got.(string)) {
			t.Fatalf("States.UUID() = %q, want a version 4 UUID", got)
		}
		if seen[got] {
			t.Fatalf("States.UUID() repeated %q", got)
		}
		seen[got] = true
	}
}

func TestMathRandom(t *testing.T) {
	seeded := mustParse(t, "States.MathRandom(1, 1000000, 42)")
	first, err := seeded.Eval(intrinsic.Env{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if again, _ := seeded.Eval(intrinsic.Env{}); again != first {
			t.Fatalf("seeded States.MathRandom gave %v then %v, want the same", first, again)
		}
	}
	tests := []struct {
		name string
		rand float64
		want string
	}{
		{name: "low end inclusive", rand: 0, want: "1"},
		{name: "high end exclusive", rand: 0.9999999999, want: "9"},
		{name: "misbehaving Rand clamped", rand: 1.5, want: "9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustParse(t, "States.MathRandom(1, 10)").Eval(intrinsic.Env{Rand: func() float64 { return tt.rand }})
			if err != nil {
				t.Fatal(err)
			}
			if s := got.(interface{ String() string }).String(); s != tt.want {
				t.Errorf("States.MathRandom(1, 10) with Rand %v = %s, want %s", tt.rand, s, tt.want)
			}
		})
	}
}

// TestHandBuiltCall: a Call assembled in Go, without Parse, evaluates the
// same way; its template braces are placeholders.
func TestHandBuiltCall(t *testing.T) {
	c := &intrinsic.Call{Name: "States.Format", Args: []intrinsic.Arg{
		{Kind: intrinsic.ArgString, String: `{} \ '`},
		{Kind: intrinsic.ArgNumber, Number: "1"},
	}}
	got, err := c.Eval(intrinsic.Env{})
	if err != nil || got != `1 \ '` {
		t.Errorf("Eval(hand-built Format) = %v, %v, want %q", got, err, `1 \ '`)
	}
	again, err := intrinsic.Parse(c.String())
	if err != nil {
		t.Fatalf("Parse(%q) = %v", c.String(), err)
	}
	if got2, _ := again.Eval(intrinsic.Env{}); got2 != got {
		t.Errorf("reparsed %q evaluates to %v, want %v", c.String(), got2, got)
	}
	bad := &intrinsic.Call{Name: "States.Nope"}
	if _, err := bad.Eval(intrinsic.Env{}); err == nil {
		t.Error("Eval(unknown function) = nil error")
	}
	if _, err := (&intrinsic.Call{Name: "States.Array", Args: []intrinsic.Arg{{}}}).Eval(intrinsic.Env{}); err == nil {
		t.Error("Eval(zero Arg) = nil error")
	}
}
