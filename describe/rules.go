package describe

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sparta-go/sparta/step"
)

// ruleText writes a Choice comparison the way a reader would say it:
// NumericGreaterThan on $.roll with 3 becomes "$.roll > 3", Not becomes
// "not (...)", and an And inside an Or keeps its parentheses.
func ruleText(c step.Comparison) string {
	switch x := c.(type) {
	case nil:
		return "?"
	case *step.Not:
		if x == nil {
			return "?"
		}
		return "not (" + ruleText(x.Comparison) + ")"
	case *step.And:
		if x == nil {
			return "?"
		}
		return joinRules(x.Comparison, " and ")
	case *step.Or:
		if x == nil {
			return "?"
		}
		return joinRules(x.Comparison, " or ")
	case step.Condition:
		s := strings.TrimSpace(string(x))
		if strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}") {
			s = strings.TrimSpace(s[2 : len(s)-2])
		}
		return s
	}
	variable, op, value, ok := step.ComparisonOperands(c)
	if !ok {
		return fmt.Sprintf("%T", c)
	}
	return leafText(variable, op, value)
}

func joinRules(cs []step.Comparison, sep string) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = ruleText(c)
		switch c.(type) {
		case *step.And, *step.Or:
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

// typeTests are the operators that test a variable's kind or presence.
var typeTests = map[string][2]string{
	"IsNull":      {"is null", "is not null"},
	"IsPresent":   {"is present", "is absent"},
	"IsNumeric":   {"is numeric", "is not numeric"},
	"IsString":    {"is a string", "is not a string"},
	"IsBoolean":   {"is a boolean", "is not a boolean"},
	"IsTimestamp": {"is a timestamp", "is not a timestamp"},
}

// comparators are the operator name endings, longest first so that
// LessThanEquals is not read as LessThan.
var comparators = []struct{ suffix, symbol string }{
	{"GreaterThanEquals", ">="},
	{"LessThanEquals", "<="},
	{"GreaterThan", ">"},
	{"LessThan", "<"},
	{"Equals", "=="},
	{"Matches", "matches"},
}

func leafText(variable, op string, value any) string {
	if words, ok := typeTests[op]; ok {
		if b, isBool := value.(bool); isBool && !b {
			return variable + " " + words[1]
		}
		return variable + " " + words[0]
	}
	path := strings.HasSuffix(op, "Path")
	base := strings.TrimSuffix(op, "Path")
	for _, c := range comparators {
		if strings.HasSuffix(base, c.suffix) {
			return variable + " " + c.symbol + " " + valueText(value, path)
		}
	}
	return variable + " " + op + " " + valueText(value, path)
}

// valueText writes a comparison value: paths bare, strings quoted,
// timestamps in RFC 3339 as the ASL holds them.
func valueText(v any, path bool) string {
	switch x := v.(type) {
	case string:
		if path {
			return x
		}
		return strconv.Quote(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}
