package jsonpath_test

import (
	"testing"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

var fuzzSeeds = []string{
	"$", "$$", "$v", "$.a.b", "$['a b'][0]", "$.a[-1]", "$.*", "$..a", "$..*", "$..[0]",
	"$[0,1]", "$['a','b']", "$[1:3]", "$[::-2]", "$[?(@.price < 10 && @.x == 'y')]",
	"$[?(@.isbn)]", "$[?(!(@.a || @.b))]", `$[?(@.a != "q\"")]`, "$.abc.['def ghi']",
	"$$.Execution.Input", `$['\u00e9\n']`, "$[?(@ >= -1.5e3)]", "$[?(@.a == $.b[0])]",
	"$.a.length()", "$[?(@.a =~ /x/)]", "$[", "$['", "$[?(", "$..", "$[::0]",
}

// fuzzDoc gives evaluation something of every type to walk.
const fuzzDoc = `{"a": {"b": [1, "x", null, true, {"c": 2.5}]}, "price": 8, "x": "y", "isbn": "1", "arr": [[1], [2, 3]]}`

// FuzzParse checks that Parse never panics, that the canonical form parses
// to the same canonical form, and that evaluating any path that parses
// neither panics nor fails in an unexpected way.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	doc := decode(f, fuzzDoc)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := jsonpath.Parse(s)
		if err != nil {
			return
		}
		again, err := jsonpath.Parse(p.String())
		if err != nil {
			t.Fatalf("Parse(%q) ok but its canonical form %q fails: %v", s, p.String(), err)
		}
		if again.String() != p.String() {
			t.Fatalf("Parse(%q): canonical %q reparses as %q", s, p.String(), again.String())
		}
		if again.IsDefinite() != p.IsDefinite() || again.Root() != p.Root() {
			t.Fatalf("Parse(%q): canonical form %q changes root or definiteness", s, p.String())
		}
		got, err := p.Get(doc)
		if !p.IsDefinite() {
			if err != nil {
				t.Fatalf("Get(%q) on an indefinite path = %v, want no error", s, err)
			}
			if _, ok := got.([]any); !ok {
				t.Fatalf("Get(%q) on an indefinite path = %T, want []any", s, got)
			}
		}
		_, _ = p.Set(doc, "v")
	})
}

// FuzzParseReference checks that ParseReference never panics and accepts
// only definite paths.
func FuzzParseReference(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	doc := decode(f, fuzzDoc)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := jsonpath.ParseReference(s)
		if err != nil {
			return
		}
		if !p.IsDefinite() {
			t.Fatalf("ParseReference(%q) accepted an indefinite path", s)
		}
		_, _ = p.Get(doc)
		if p.Root() == "$" {
			if _, err := p.Set(doc, "v"); err != nil && !isCannotSet(err) {
				t.Fatalf("Set(%q) = %v, want nil or ErrCannotSet", s, err)
			}
		}
	})
}
