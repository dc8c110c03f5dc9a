package logs

import (
	"strings"
)

// compileFilter compiles the term subset of CloudWatch Logs filter pattern
// syntax: every term or "quoted phrase" must appear, ?term alternatives
// need one of them to appear, -term must not appear. Matching is
// case-sensitive, as on AWS. See
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
func compileFilter(pattern string) (func(string) bool, error) {
	p := strings.TrimSpace(pattern)
	if p == "" || p == `""` {
		return func(string) bool { return true }, nil
	}
	if strings.HasPrefix(p, "{") || strings.HasPrefix(p, "[") || strings.HasPrefix(p, "%") {
		return nil, errInvalid("filter pattern %q: JSON, space-delimited and regular-expression filter patterns are not supported by the local cloud; use terms, \"phrases\", ?alternatives and -exclusions", pattern)
	}
	var all, any, none []string
	for _, tok := range tokenize(p) {
		switch {
		case strings.HasPrefix(tok, "?"):
			any = append(any, unquote(tok[1:]))
		case strings.HasPrefix(tok, "-") && len(tok) > 1:
			none = append(none, unquote(tok[1:]))
		default:
			all = append(all, unquote(tok))
		}
	}
	return func(msg string) bool {
		for _, t := range all {
			if !strings.Contains(msg, t) {
				return false
			}
		}
		for _, t := range none {
			if strings.Contains(msg, t) {
				return false
			}
		}
		if len(any) == 0 {
			return true
		}
		for _, t := range any {
			if strings.Contains(msg, t) {
				return true
			}
		}
		return false
	}, nil
}

// tokenize splits on spaces outside double quotes.
func tokenize(p string) []string {
	var toks []string
	var cur strings.Builder
	quoted := false
	for _, r := range p {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				toks = append(toks, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		toks = append(toks, cur.String())
	}
	return toks
}

func unquote(t string) string {
	if len(t) >= 2 && strings.HasPrefix(t, `"`) && strings.HasSuffix(t, `"`) {
		return t[1 : len(t)-1]
	}
	return t
}
