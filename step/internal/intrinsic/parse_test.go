package intrinsic_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
)

func TestIsIntrinsic(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "call", in: "States.Array($.a)", want: true},
		{name: "path", in: "$.a", want: false},
		{name: "lower case", in: "states.Array()", want: false},
		{name: "empty", in: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := intrinsic.IsIntrinsic(tt.in); got != tt.want {
				t.Errorf("IsIntrinsic(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		canon string
		kinds []intrinsic.ArgKind
	}{
		{name: "no args", in: "States.UUID()", canon: "States.UUID()"},
		{name: "spaces", in: "States.Array( 1 ,'a' , true,false ,null )", canon: "States.Array(1, 'a', true, false, null)",
			kinds: []intrinsic.ArgKind{intrinsic.ArgNumber, intrinsic.ArgString, intrinsic.ArgBool, intrinsic.ArgBool, intrinsic.ArgNull}},
		{name: "numbers", in: "States.Array(-1, 0, 1.5, 2e3, -0.5E-2)", canon: "States.Array(-1, 0, 1.5, 2e3, -0.5E-2)",
			kinds: []intrinsic.ArgKind{intrinsic.ArgNumber, intrinsic.ArgNumber, intrinsic.ArgNumber, intrinsic.ArgNumber, intrinsic.ArgNumber}},
		{name: "paths", in: "States.Array($, $$.Execution.Id, $myVar.x, $['a b'][0])", canon: "States.Array($, $$.Execution.Id, $myVar.x, $['a b'][0])",
			kinds: []intrinsic.ArgKind{intrinsic.ArgPath, intrinsic.ArgPath, intrinsic.ArgPath, intrinsic.ArgPath}},
		{name: "path with filter", in: "States.Array($.a[?(@.b == ')' || @.c == ',')], 1)", canon: "States.Array($.a[?(@.b == ')' || @.c == ',')], 1)",
			kinds: []intrinsic.ArgKind{intrinsic.ArgPath, intrinsic.ArgNumber}},
		{name: "path trailing space", in: "States.Array($.a )", canon: "States.Array($.a)", kinds: []intrinsic.ArgKind{intrinsic.ArgPath}},
		{name: "nested", in: "States.ArrayLength(States.Array(1, 2))", canon: "States.ArrayLength(States.Array(1, 2))",
			kinds: []intrinsic.ArgKind{intrinsic.ArgCall}},
		{name: "escapes kept for format", in: `States.Format('it\'s \{\} {} \\', 1)`, canon: `States.Format('it\'s \{\} {} \\', 1)`,
			kinds: []intrinsic.ArgKind{intrinsic.ArgString, intrinsic.ArgNumber}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := intrinsic.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) = %v", tt.in, err)
			}
			if got := c.String(); got != tt.canon {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.canon)
			}
			var kinds []intrinsic.ArgKind
			for _, a := range c.Args {
				kinds = append(kinds, a.Kind)
			}
			if diff := cmp.Diff(tt.kinds, kinds); diff != "" {
				t.Errorf("Parse(%q) argument kinds (-want +got):\n%s", tt.in, diff)
			}
			again, err := intrinsic.Parse(c.String())
			if err != nil || again.String() != c.String() {
				t.Errorf("Parse(%q) = %v, %v; canonical form is not stable", c.String(), again, err)
			}
		})
	}
}

func TestParseStringEscapes(t *testing.T) {
	c, err := intrinsic.Parse(`States.Array('it\'s', '\{\}', '\\')`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"it's", "{}", `\`}
	for i, w := range want {
		if got := c.Args[i].String; got != w {
			t.Errorf("argument %d = %q, want %q", i+1, got, w)
		}
	}
}

func TestParseNumberLiteral(t *testing.T) {
	c := mustParse(t, "States.Array(1.50)")
	if got := c.Args[0].Number; got != json.Number("1.50") {
		t.Errorf("Parse number = %q, want the source text 1.50", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string
	}{
		{name: "not intrinsic", in: "$.a", offset: 0, msg: `starts with "States."`},
		{name: "unknown function", in: "States.Nope(1)", offset: 0,
			msg: `unknown intrinsic function "States.Nope"; valid functions are States.Array, States.ArrayContains,`},
		{name: "lists every function", in: "States.Nope()", offset: 0, msg: "States.StringToJson, States.UUID"},
		{name: "missing paren", in: "States.UUID", offset: 11, msg: "expected '(' after States.UUID"},
		{name: "unclosed", in: "States.Array(1, 2", offset: 12, msg: "missing ')' for States.Array"},
		{name: "trailing text", in: "States.UUID() x", offset: 14, msg: "unexpected text after"},
		{name: "bad separator", in: "States.Array(1 2)", offset: 15, msg: "expected ',' or ')'"},
		{name: "empty argument", in: "States.Array(1,)", offset: 15, msg: "unexpected ')'"},
		{name: "double quotes", in: `States.Array("a")`, offset: 13, msg: "single quotes"},
		{name: "unterminated string", in: "States.Array('a)", offset: 13, msg: "unterminated string"},
		{name: "open escape", in: `States.Array('a\n')`, offset: 15, msg: "open escape"},
		{name: "trailing backslash", in: `States.Array('a\`, offset: 15, msg: "open escape"},
		{name: "leading zero", in: "States.Array(01)", offset: 13, msg: "malformed literal"},
		{name: "bad number", in: "States.Array(1.)", offset: 13, msg: "malformed number"},
		{name: "glued literal", in: "States.Array(truex)", offset: 13, msg: "malformed literal"},
		{name: "bare word", in: "States.Array(foo)", offset: 13, msg: "unexpected 'f'"},
		{name: "bad path", in: "States.Array($.a[)", offset: 17, msg: `path "$.a[)": unexpected ')' in brackets`},
		{name: "bad path offset", in: "States.Array(1, $.a.)", offset: 20, msg: "must follow '.'"},
		{name: "too few", in: "States.ArrayPartition($.a)", offset: 0, msg: "States.ArrayPartition expects 2 arguments, got 1"},
		{name: "too many", in: "States.UUID(1)", offset: 0, msg: "States.UUID expects 0 arguments, got 1"},
		{name: "range of counts", in: "States.MathRandom(1)", offset: 0, msg: "expects 2 to 3 arguments, got 1"},
		{name: "at least", in: "States.Format()", offset: 0, msg: "expects at least 1 argument, got 0"},
		{name: "nested arity offset", in: "States.Array(States.ArrayLength())", offset: 13, msg: "States.ArrayLength expects 1 argument, got 0"},
		{name: "format count", in: "States.Format('{} {}', 1)", offset: 0, msg: "2 {} placeholders but 1 values"},
		{name: "format escaped braces do not count", in: `States.Format('\{\}', 1)`, offset: 0, msg: "0 {} placeholders but 1 values"},
		{name: "literal type array", in: "States.ArrayLength('abc')", offset: 0, msg: "argument 1 must be an array, got a string literal"},
		{name: "literal type number", in: "States.MathAdd(1, 'x')", offset: 0, msg: "argument 2 must be a number, got a string literal"},
		{name: "literal null", in: "States.Base64Encode(null)", offset: 0, msg: "must be a string, got a null literal"},
		{name: "json to string needs path", in: "States.JsonToString('x')", offset: 0, msg: "must be a path"},
		{name: "deep merge", in: "States.JsonMerge($.a, $.b, true)", offset: 0, msg: "deep merge is not supported"},
		{name: "hash algorithm", in: "States.Hash('x', 'SHA-3')", offset: 0, msg: `unknown algorithm "SHA-3"; use one of MD5, SHA-1`},
		{name: "too deep", in: strings.Repeat("States.Array(", 11) + strings.Repeat(")", 11), offset: 130, msg: "nest more than 10 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := intrinsic.Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error containing %q", tt.in, c, tt.msg)
			}
			var se *intrinsic.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T is not a *SyntaxError", tt.in, err)
			}
			if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("Parse(%q) = offset %d %q, want offset %d containing %q", tt.in, se.Offset, se.Msg, tt.offset, tt.msg)
			}
		})
	}
}

func TestParseNestingLimit(t *testing.T) {
	ok := strings.Repeat("States.Array(", 10) + strings.Repeat(")", 10)
	if _, err := intrinsic.Parse(ok); err != nil {
		t.Errorf("Parse(10 nested calls) = %v, want success", err)
	}
}

func TestPaths(t *testing.T) {
	c := mustParse(t, "States.Format('{} {} {}', $.a, States.ArrayGetItem($$.Map.Item.Value, $i), 'x')")
	var got []string
	for _, p := range c.Paths() {
		got = append(got, p.String())
	}
	want := []string{"$.a", "$$.Map.Item.Value", "$i"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Paths() mismatch (-want +got):\n%s", diff)
	}
}

func mustParse(t testing.TB, s string) *intrinsic.Call {
	t.Helper()
	c, err := intrinsic.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q) = %v", s, err)
	}
	return c
}
