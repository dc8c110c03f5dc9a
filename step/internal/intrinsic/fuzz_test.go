package intrinsic_test

import (
	"errors"
	"testing"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// FuzzIntrinsicParse checks that Parse never panics, that the canonical form
// reparses to itself, and that evaluating whatever parses never panics and
// fails only with an *intrinsic.Error or a path that is not found.
func FuzzIntrinsicParse(f *testing.F) {
	for _, s := range []string{
		"States.Format('Hello, my name is {}.', $.name)",
		`States.Format('it\'s \{\} {} \\', $.a)`,
		"States.StringToJson($.s)", "States.JsonToString($.o)", "States.Array(1, 'a', true, null, $$.x, $v)",
		"States.ArrayPartition($.arr, 4)", "States.ArrayContains($.arr, 5)", "States.ArrayRange(1, 9, 2)",
		"States.ArrayGetItem($.arr, 5)", "States.ArrayLength($.arr)", "States.ArrayUnique($.arr)",
		"States.Base64Encode('x')", "States.Base64Decode('eA==')", "States.Hash('x', 'SHA-512')",
		"States.JsonMerge($.o, $.o, false)", "States.MathRandom(1, 9, 3)", "States.MathAdd(1.5, -2)",
		"States.StringSplit('a,b', ',')", "States.UUID()",
		"States.Array($.a[?(@.b == ')')], States.Array())", "States.Format('{}', States.Array(", "States.", "States.Array('",
	} {
		f.Add(s)
	}
	doc := decode(f, `{"name": "n", "a": [{"b": ")"}], "s": "{\"k\": [1]}", "o": {"k": 1}, "arr": [1, 2, 2, "x"], "x": 1}`)
	env := envFor(doc, doc, map[string]any{"v": doc})
	f.Fuzz(func(t *testing.T, s string) {
		c, err := intrinsic.Parse(s)
		if err != nil {
			var se *intrinsic.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T is not a *SyntaxError", s, err)
			}
			return
		}
		again, err := intrinsic.Parse(c.String())
		if err != nil {
			t.Fatalf("Parse(%q) ok but its canonical form %q fails: %v", s, c.String(), err)
		}
		if again.String() != c.String() {
			t.Fatalf("Parse(%q): canonical %q reparses as %q", s, c.String(), again.String())
		}
		_ = c.Paths()
		if _, err := c.Eval(env); err != nil {
			var ie *intrinsic.Error
			if !errors.As(err, &ie) && !errors.Is(err, jsonpath.ErrNotFound) {
				t.Fatalf("Eval(%q) = %v (%T), want an *intrinsic.Error or jsonpath.ErrNotFound", s, err, err)
			}
		}
	})
}
