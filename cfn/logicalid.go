package cfn

import (
	"crypto/sha256"
	"encoding/hex"
	"os/user"
	"regexp"
	"strings"
	"unicode"
)

// maxLogicalIDLength is CloudFormation's limit on logical IDs.
const maxLogicalIDLength = 255

// LogicalID derives a logical resource ID from the parts that identify a
// resource: a readable prefix of the sanitized parts, then 8 hex digits of a
// SHA-256 over the parts joined with a separator. The hash keeps IDs unique
// where sanitizing makes two names alike ("a-b" and "ab"), and the separator
// keeps ("ab","c") apart from ("a","bc"). It never depends on map order or
// on anything random, so an unchanged service keeps its IDs.
func LogicalID(parts ...string) string {
	h := sha256.New()
	var prefix strings.Builder
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
		prefix.WriteString(alphanumericTitle(p))
	}
	sum := hex.EncodeToString(h.Sum(nil))[:8]
	p := prefix.String()
	if p == "" || !unicode.IsLetter(rune(p[0])) {
		p = "R" + p
	}
	if max := maxLogicalIDLength - len(sum); len(p) > max {
		p = p[:max]
	}
	return p + sum
}

// alphanumericTitle keeps letters and digits, upper-casing the first letter of
// each word so "roll-die" becomes "RollDie".
func alphanumericTitle(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

var stackNameInvalid = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// maxStackNameLength is CloudFormation's limit on stack names.
const maxStackNameLength = 128

// SanitizeStackName turns s into a valid stack name: letters, digits and
// hyphens, starting with a letter, at most 128 characters.
func SanitizeStackName(s string) string {
	s = strings.Trim(stackNameInvalid.ReplaceAllString(s, "-"), "-")
	if s == "" || !unicode.IsLetter(rune(s[0])) {
		s = "S" + s
	}
	if len(s) > maxStackNameLength {
		s = s[:maxStackNameLength]
	}
	return s
}

// UserScopedStackName returns base followed by the sanitized name of the
// current OS user, so that teammates deploying the same service into one
// account get separate stacks ("MyService-alice").
func UserScopedStackName(base string) string {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	// Domain accounts look like DOMAIN\user; keep the user part.
	if i := strings.LastIndexAny(name, `\/`); i >= 0 {
		name = name[i+1:]
	}
	return SanitizeStackName(base + "-" + name)
}

var functionNameInvalid = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// FunctionName is the physical Lambda function name for a function of a
// service: "<service>_<function>", within Lambda's 64 characters. Long names
// are cut and given a hash suffix so that they stay unique.
func FunctionName(service, function string) string {
	full := functionNameInvalid.ReplaceAllString(service+"_"+function, "-")
	if len(full) <= 64 {
		return full
	}
	sum := sha256.Sum256([]byte(service + "\x00" + function))
	return full[:55] + "-" + hex.EncodeToString(sum[:])[:8]
}

// FunctionLogicalID is the logical ID of a function's AWS::Lambda::Function;
// other resources refer to the function through it (GetAtt ... Arn).
func FunctionLogicalID(function string) string { return LogicalID(function, "Lambda") }

// FunctionARNSubstitution is the DefinitionSubstitutions key under which a
// state machine definition refers to a function's ARN, as ${Key}.
func FunctionARNSubstitution(function string) string { return FunctionLogicalID(function) + "Arn" }
