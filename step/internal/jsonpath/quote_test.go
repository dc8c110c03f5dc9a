package jsonpath_test

import (
	"testing"

	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// A backslash before the quote that does not delimit a bracket name is
// kept: $['a\"b'] names the field a\"b (recorded AWS behaviour), while
// the delimiting quote is unescaped as usual.
func TestBracketNameKeepsTheBackslashOfTheOtherQuote(t *testing.T) {
	doc := map[string]any{`a\"b`: "kept", `a"b`: "unescaped", `a'b`: "single", `a\'b`: "kept single"}
	for _, tt := range []struct{ path, want string }{
		{`$['a\"b']`, "kept"},
		{`$["a\'b"]`, "kept single"},
		{`$['a\'b']`, "single"},
		{`$["a\"b"]`, "unescaped"},
	} {
		got, err := jsonpath.MustParse(tt.path).Get(doc)
		if err != nil || got != tt.want {
			t.Errorf("%s.Get() = %v, %v; want %q", tt.path, got, err, tt.want)
		}
	}
}
