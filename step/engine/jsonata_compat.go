package engine

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	jsonata "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
)

// JSONata 2.x compatibility: the one layer where the engine closes the
// differences between github.com/blues/jsonata-go v1.5.4 (a port of
// jsonata-js 1.5.4) and the JSONata 2.0.6 that Step Functions runs. Each
// difference the engine knows of, and what closes it:
//
//   - An expression that selects an empty array ({% $states.input.items %}
//     with "items": []) is [] on AWS; jsonata-go 1.5 makes it undefined.
//     emptyArrayPath answers [] for such a plain path (recorded AWS
//     behaviour).
//   - A sequence of one value is that value in JSONata 2: $range(1, 9, 9)
//     is 1, not [1] (recorded AWS behaviour), and so are the results of
//     $map and $filter, which jsonata-go returns as arrays. jsRange, jsMap
//     and jsFilter unwrap them.
//   - $assert, $parseInteger and $formatInteger are JSONata 1.6+/2.x
//     functions missing from the port: compatFunctions adds them
//     ($parseInteger and $formatInteger for decimal pictures such as "#0",
//     "000" and "#,##0"; other pictures fail clearly).
//   - Not closed: $number of "0x..", "0o.." and "0b.." strings (JSONata
//     2 reads them as numbers, the port refuses them); numbers are float64
//     inside expressions, so integers beyond 2^53 lose precision; error
//     messages differ from jsonata-js; $eval is refused, as Step Functions
//     refuses it.

// compatFunctions are JSONata 2.x functions jsonata-go v1.5.4 lacks.
var compatFunctions = map[string]any{
	"assert":        jsAssert,
	"parseInteger":  jsParseInteger,
	"formatInteger": jsFormatInteger,
}

// $assert(condition, message) fails with message when condition is false,
// and is undefined otherwise.
func jsAssert(cond bool, message jtypes.OptionalString) (any, error) {
	if !cond {
		if message.IsSet() {
			return nil, errors.New(message.String)
		}
		return nil, errors.New("$assert() statement failed")
	}
	return nil, jtypes.ErrUndefined
}

// decimalPicture is a decimal-digit picture string of $formatInteger and
// $parseInteger: optional "#" and "," then digits "0".
var decimalPicture = regexp.MustCompile(`^[#,]*0[0,]*$|^#+$`)

// $parseInteger(string, picture) reads an integer written with a decimal
// picture.
func jsParseInteger(s, picture string) (float64, error) {
	if !decimalPicture.MatchString(picture) {
		return 0, fmt.Errorf("$parseInteger: the picture %q is not supported here (decimal pictures such as \"#0\" or \"#,##0\" are)", picture)
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("$parseInteger: %q does not match the picture %q", s, picture)
	}
	return float64(n), nil
}

// $formatInteger(number, picture) writes an integer with a decimal
// picture: at least as many digits as the picture has zeros, grouped with
// "," every three digits when the picture groups.
func jsFormatInteger(x float64, picture string) (string, error) {
	if !decimalPicture.MatchString(picture) {
		return "", fmt.Errorf("$formatInteger: the picture %q is not supported here (decimal pictures such as \"#0\" or \"#,##0\" are)", picture)
	}
	n := int64(math.Round(x))
	neg := n < 0
	if neg {
		n = -n
	}
	digits := strconv.FormatInt(n, 10)
	if zeros := strings.Count(picture, "0"); len(digits) < zeros {
		digits = strings.Repeat("0", zeros-len(digits)) + digits
	}
	if strings.Contains(picture, ",") {
		var b strings.Builder
		for i, d := range digits {
			if i > 0 && (len(digits)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(d)
		}
		digits = b.String()
	}
	if neg {
		digits = "-" + digits
	}
	return digits, nil
}

// plainPath is an expression that only navigates: $name.field.field...
var plainPath = regexp.MustCompile(`^\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$`)

// emptyArrayPath answers [] for a plain path that selects an empty array,
// which JSONata 2.x returns and jsonata-go makes undefined. vars are the
// expression's bindings as jsonata-go sees them.
func emptyArrayPath(body string, vars map[string]any) (any, bool) {
	m := plainPath.FindStringSubmatch(strings.TrimSpace(body))
	if m == nil {
		return nil, false
	}
	v, ok := vars[m[1]]
	if !ok {
		return nil, false
	}
	if m[2] != "" {
		for _, field := range strings.Split(m[2][1:], ".") {
			obj, isObj := v.(map[string]any)
			if !isObj {
				return nil, false
			}
			if v, ok = obj[field]; !ok {
				return nil, false
			}
		}
	}
	if arr, isArr := v.([]any); isArr && len(arr) == 0 {
		return []any{}, true
	}
	return nil, false
}

var compatExtensions = func() map[string]jsonata.Extension {
	out := make(map[string]jsonata.Extension, len(compatFunctions)+2)
	for name, fn := range compatFunctions {
		out[name] = jsonata.Extension{Func: fn}
	}
	// $map and $filter replace the library's, with its undefined handling:
	// an undefined array gives undefined.
	out["map"] = jsonata.Extension{Func: jsMap, UndefinedHandler: jtypes.ArgUndefined(0)}
	out["filter"] = jsonata.Extension{Func: jsFilter, UndefinedHandler: jtypes.ArgUndefined(0)}
	return out
}()

// jsMap is the library's $map with JSONata's sequence rule: one result is
// that result.
func jsMap(v reflect.Value, f jtypes.Callable) (any, error) {
	return singleton(jlib.Map(v, f))
}

// jsFilter is the library's $filter with JSONata's sequence rule.
func jsFilter(v reflect.Value, f jtypes.Callable) (any, error) {
	return singleton(jlib.Filter(v, f))
}

func singleton(v any, err error) (any, error) {
	if arr, ok := v.([]any); ok && err == nil && len(arr) == 1 {
		return arr[0], nil
	}
	return v, err
}

// awsField names a field in a JSONata failure as AWS does: relative to the
// state, "/" before each object key and [i] for each array index
// ("Arguments/Input/pushLocation", "Choices[1]/Condition"). The expression
// itself is quoted without its {% %} delimiters (recorded AWS behaviour:
// "The JSONata expression '$states.input.pushLocation' specified for the
// field 'Arguments/Input/pushLocation' returned nothing (undefined).").
func awsField(field string) string { return strings.ReplaceAll(field, ".", "/") }
