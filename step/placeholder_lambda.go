//go:build lambdabinary

package step

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
)

// functionARNSubstitution computes cfn.FunctionARNSubstitution without
// importing the cfn package, which links goformation: the Lambda binary must
// not, and placeholders must not depend on the build. A test run under both
// tags pins the result to the same value (TestFunctionPlaceholderStable).
func functionARNSubstitution(function string) string {
	return logicalID(function, "Lambda") + "Arn"
}

// logicalID mirrors cfn.LogicalID.
func logicalID(parts ...string) string {
	h := sha256.New()
	var prefix strings.Builder
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
		upper := true
		for _, r := range p {
			if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				if upper {
					r = unicode.ToUpper(r)
				}
				prefix.WriteRune(r)
				upper = false
			} else {
				upper = true
			}
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))[:8]
	p := prefix.String()
	if p == "" || !unicode.IsLetter(rune(p[0])) {
		p = "R" + p
	}
	if max := 255 - len(sum); len(p) > max {
		p = p[:max]
	}
	return p + sum
}
