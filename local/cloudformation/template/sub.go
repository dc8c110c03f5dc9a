package template

import (
	"fmt"
	"strings"
)

// subPart is a piece of an Fn::Sub string: literal text or a variable.
type subPart struct {
	literal string
	// variable is the name inside ${}, empty for literal parts.
	variable string
}

// parseSub splits an Fn::Sub string into literal text and ${variables}.
// "${!Literal}" is the literal text "${Literal}", as the reference says.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
func parseSub(s string) []subPart {
	var parts []subPart
	var lit strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			lit.WriteString(s)
			break
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			// No closing brace: AWS leaves the text as it is.
			lit.WriteString(s)
			break
		}
		lit.WriteString(s[:i])
		name := s[i+2 : i+end]
		if strings.HasPrefix(name, "!") {
			lit.WriteString("${" + name[1:] + "}")
		} else {
			if lit.Len() > 0 {
				parts = append(parts, subPart{literal: lit.String()})
				lit.Reset()
			}
			parts = append(parts, subPart{variable: strings.TrimSpace(name)})
		}
		s = s[i+end+1:]
	}
	if lit.Len() > 0 {
		parts = append(parts, subPart{literal: lit.String()})
	}
	return parts
}

// subArgs splits Fn::Sub's argument into its string and its variable map.
func subArgs(arg any) (string, map[string]any, error) {
	switch a := arg.(type) {
	case string:
		return a, nil, nil
	case []any:
		if len(a) == 2 {
			s, ok1 := a[0].(string)
			m, ok2 := a[1].(map[string]any)
			if ok1 && ok2 {
				return s, m, nil
			}
		}
	}
	return "", nil, fmt.Errorf("Fn::Sub takes a string or [string, {variable: value}]")
}

func (e *Evaluator) sub(arg any, path string, inCondition bool) (any, error) {
	s, vars, err := subArgs(arg)
	if err != nil {
		return nil, fmt.Errorf("Template error: %s: %w", path, err)
	}
	values := make(map[string]string, len(vars))
	for k, v := range vars {
		r, err := e.resolve(v, path+"[1]."+k, inCondition)
		if err != nil {
			return nil, err
		}
		t, ok := text(r)
		if !ok {
			return nil, fmt.Errorf("Template error: %s: Fn::Sub variable %s must be a string, got %s", path, k, kind(r))
		}
		values[k] = t
	}
	var b strings.Builder
	for _, p := range parseSub(s) {
		if p.variable == "" {
			b.WriteString(p.literal)
			continue
		}
		if v, ok := values[p.variable]; ok {
			b.WriteString(v)
			continue
		}
		var r any
		if res, attr, isAttr := strings.Cut(p.variable, "."); isAttr {
			r, err = e.getAtt(res, attr, path, inCondition)
		} else {
			r, err = e.ref(p.variable, path, inCondition)
		}
		if err != nil {
			return nil, err
		}
		t, ok := text(r)
		if !ok {
			return nil, fmt.Errorf("Template error: %s: Fn::Sub variable ${%s} is %s, not a string", path, p.variable, kind(r))
		}
		b.WriteString(t)
	}
	return b.String(), nil
}
