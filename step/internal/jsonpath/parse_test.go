package jsonpath_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// decode parses JSON the way the engine does, with json.Number for numbers.
func decode(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode(%q): %v", s, err)
	}
	return v
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string // canonical String()
		root     string
		definite bool
	}{
		{name: "root", in: "$", want: "$", root: "$", definite: true},
		{name: "context", in: "$$", want: "$$", root: "$$", definite: true},
		{name: "context field", in: "$$.Execution.Id", want: "$$.Execution.Id", root: "$$", definite: true},
		{name: "variable", in: "$myVar", want: "$myVar", root: "$myVar", definite: true},
		{name: "variable field", in: "$my_var.x[0]", want: "$my_var.x[0]", root: "$my_var", definite: true},
		{name: "dot child", in: "$.a.b", want: "$.a.b", root: "$", definite: true},
		{name: "single quoted", in: "$['a']['b']", want: "$.a.b", root: "$", definite: true},
		{name: "double quoted", in: `$["a"]`, want: "$.a", root: "$", definite: true},
		{name: "quoted needs quotes", in: "$['a b']", want: "$['a b']", root: "$", definite: true},
		{name: "dot then bracket as in AWS docs", in: "$.abc.['def ghi']", want: "$.abc['def ghi']", root: "$", definite: true},
		{name: "quote escapes", in: `$['it\'s', "say \"hi\""]`, want: `$['it\'s','say "hi"']`, root: "$"},
		{name: "unicode escape", in: `$['\u00e9']`, want: "$.é", root: "$", definite: true},
		{name: "dash in dot name", in: "$.detail-type", want: "$.detail-type", root: "$", definite: true},
		{name: "digit dot name", in: "$.0", want: "$.0", root: "$", definite: true},
		{name: "index", in: "$.a[0]", want: "$.a[0]", root: "$", definite: true},
		{name: "negative index", in: "$.a[-1]", want: "$.a[-1]", root: "$", definite: true},
		{name: "spaces in brackets", in: "$[ 'a' ][ 2 ]", want: "$.a[2]", root: "$", definite: true},
		{name: "dot wildcard", in: "$.*", want: "$[*]", root: "$"},
		{name: "bracket wildcard", in: "$.a[*].b", want: "$.a[*].b", root: "$"},
		{name: "descent name", in: "$..price", want: "$..price", root: "$"},
		{name: "descent wildcard", in: "$..*", want: "$..*", root: "$"},
		{name: "descent bracket", in: "$..['a b'][0]", want: "$..['a b'][0]", root: "$"},
		{name: "descent index", in: "$..[0]", want: "$..[0]", root: "$"},
		{name: "index union", in: "$.a[0, 1]", want: "$.a[0,1]", root: "$"},
		{name: "name union", in: "$['a','b']", want: "$['a','b']", root: "$"},
		{name: "slice", in: "$.a[1:3]", want: "$.a[1:3]", root: "$"},
		{name: "slice step", in: "$.a[::2]", want: "$.a[::2]", root: "$"},
		{name: "slice open end", in: "$.a[-2:]", want: "$.a[-2:]", root: "$"},
		{name: "slice open start", in: "$.a[:2]", want: "$.a[:2]", root: "$"},
		{name: "slice negative step", in: "$.a[::-1]", want: "$.a[::-1]", root: "$"},
		{name: "filter", in: "$.a[?(@.price < 10 && @.x == 'y')]", want: "$.a[?(@.price < 10 && @.x == 'y')]", root: "$"},
		{name: "filter compact", in: "$.a[?(@.price<10)]", want: "$.a[?(@.price < 10)]", root: "$"},
		{name: "filter exists", in: "$..book[?(@.isbn)]", want: "$..book[?(@.isbn)]", root: "$"},
		{name: "filter RFC form", in: "$.a[?@.b]", want: "$.a[?(@.b)]", root: "$"},
		{name: "filter or and parens", in: "$[?((@.a || @.b) && !@.c)]", want: "$[?((@.a || @.b) && !@.c)]", root: "$"},
		{name: "filter not group", in: "$[?(!(@.a == 1))]", want: "$[?(!(@.a == 1))]", root: "$"},
		{name: "filter literals", in: `$[?(@.a != null || @.b == true || @.c >= -1.5e3 || @.d == "q")]`,
			want: `$[?(@.a != null || @.b == true || @.c >= -1.5e3 || @.d == 'q')]`, root: "$"},
		{name: "filter root operand", in: "$.a[?(@.p <= $.max)]", want: "$.a[?(@.p <= $.max)]", root: "$"},
		{name: "filter bracket operand", in: "$.a[?(@['x y'][0] > 1)]", want: "$.a[?(@['x y'][0] > 1)]", root: "$"},
		{name: "filter current node", in: "$.a[?(@ > 1)]", want: "$.a[?(@ > 1)]", root: "$"},
		{name: "control char quoted", in: "$['a\\nb']", want: `$['a\nb']`, root: "$", definite: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := jsonpath.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) = %v, want success", tt.in, err)
			}
			if got := p.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			if got := p.Root(); got != tt.root {
				t.Errorf("Parse(%q).Root() = %q, want %q", tt.in, got, tt.root)
			}
			if got := p.IsDefinite(); got != tt.definite {
				t.Errorf("Parse(%q).IsDefinite() = %v, want %v", tt.in, got, tt.definite)
			}
			again, err := jsonpath.Parse(p.String())
			if err != nil {
				t.Fatalf("Parse(%q) of canonical form = %v", p.String(), err)
			}
			if again.String() != p.String() {
				t.Errorf("canonical form is not stable: %q then %q", p.String(), again.String())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string // substring of the message
	}{
		{name: "empty", in: "", offset: 0, msg: "must start with $"},
		{name: "no root", in: "a.b", offset: 0, msg: "must start with $"},
		{name: "variable starts with digit", in: "$1", offset: 1, msg: "variable name"},
		{name: "trailing dot", in: "$.a.", offset: 4, msg: "must follow '.'"},
		{name: "bad char after dot", in: "$.a.%", offset: 4, msg: "after '.'"},
		{name: "trailing garbage", in: "$.a b", offset: 3, msg: "unexpected ' '"},
		{name: "unterminated bracket", in: "$.a[0", offset: 3, msg: "unterminated '['"},
		{name: "unterminated string", in: "$['a", offset: 2, msg: "unterminated string"},
		{name: "unquoted bracket name", in: "$[a]", offset: 2, msg: "in brackets"},
		{name: "empty brackets", in: "$[]", offset: 2, msg: "in brackets"},
		{name: "bad unicode escape", in: `$['\uzz']`, offset: 3, msg: `\u must`},
		{name: "huge index", in: "$[99999999999999999999]", offset: 2, msg: "out of range"},
		{name: "slice step zero", in: "$[::0]", offset: 4, msg: "step must not be 0"},
		{name: "function", in: "$.a.length()", offset: 4, msg: "length() is not supported"},
		{name: "regex", in: "$[?(@.a =~ /x/)]", offset: 8, msg: "'=~' is not supported"},
		{name: "single equals", in: "$[?(@.a = 1)]", offset: 8, msg: "use '=='"},
		{name: "in operator", in: "$[?(@.a in ['x'])]", offset: 8, msg: "'in' is not supported"},
		{name: "literal alone", in: "$[?(1)]", offset: 4, msg: "must be a path"},
		{name: "unclosed paren", in: "$[?(@.a", offset: 3, msg: "unclosed '('"},
		{name: "wildcard in filter", in: "$[?(@.*)]", offset: 6, msg: "wildcard"},
		{name: "descent in filter", in: "$[?(@..a)]", offset: 5, msg: "recursive descent"},
		{name: "nested filter", in: "$[?(@[?(@.a)])]", offset: 6, msg: "another filter"},
		{name: "context in filter", in: "$[?($$.a)]", offset: 4, msg: "only @ and $"},
		{name: "bad number", in: "$[?(@.a > -)]", offset: 10, msg: "malformed number"},
		{name: "filter ends early", in: "$[?(@.a == ", offset: 11, msg: "ends early"},
		{name: "union trailing comma", in: "$['a',]", offset: 6, msg: "expected 'name' or an index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := jsonpath.Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error containing %q", tt.in, p, tt.msg)
			}
			var se *jsonpath.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T is not a *SyntaxError", tt.in, err)
			}
			if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("Parse(%q) = offset %d %q, want offset %d containing %q", tt.in, se.Offset, se.Msg, tt.offset, tt.msg)
			}
			if !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
				t.Errorf("Parse(%q) error %q does not quote the input", tt.in, err)
			}
		})
	}
}

func TestParseFilterDepthLimit(t *testing.T) {
	in := "$[?(" + strings.Repeat("(", 10000) + "@.a" + strings.Repeat(")", 10000) + ")]"
	if _, err := jsonpath.Parse(in); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("Parse(deeply nested) = %v, want a nesting error", err)
	}
}

func TestParseReference(t *testing.T) {
	tests := []struct {
		name string
		in   string
		msg  string // "" for success
	}{
		{name: "root", in: "$"},
		{name: "fields", in: "$.a.b"},
		{name: "quoted", in: "$['a b'].c"},
		{name: "index", in: "$.a[0]"},
		{name: "negative index", in: "$.a[-1]"},
		{name: "context", in: "$$.Execution.Input"},
		{name: "variable", in: "$x.y"},
		{name: "wildcard", in: "$.a[*]", msg: "offset 3: wildcard '*' is not allowed in a reference path"},
		{name: "dot wildcard", in: "$.*", msg: "wildcard '*'"},
		{name: "descent", in: "$..a", msg: "offset 1: recursive descent '..'"},
		{name: "union", in: "$.a[0,1]", msg: "union ','"},
		{name: "slice", in: "$.a[1:2]", msg: "slice ':'"},
		{name: "filter", in: "$.a[?(@.b)]", msg: "filter '?(...)'"},
		{name: "syntax", in: "$.a[", msg: "unterminated '['"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := jsonpath.ParseReference(tt.in)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("ParseReference(%q) = %v, want success", tt.in, err)
				}
				if !p.IsDefinite() {
					t.Errorf("ParseReference(%q).IsDefinite() = false, want true", tt.in)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("ParseReference(%q) = %v, want error containing %q", tt.in, err, tt.msg)
			}
			if err != nil && tt.name != "syntax" && !strings.Contains(err.Error(), "single node") {
				t.Errorf("ParseReference(%q) = %v, want the reason explained", tt.in, err)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"a\") did not panic")
		}
	}()
	jsonpath.MustParse("a")
}
