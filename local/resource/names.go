package resource

import (
	"crypto/rand"
	"fmt"
	"math"
	"strconv"
)

// PhysicalName generates a name the way CloudFormation does for resources
// whose name property is left out: "<stack>-<logicalID>-<RANDOM>", cut to
// max characters with both parts kept recognizable.
func PhysicalName(stack, logicalID string, max int) string {
	suffix := RandomSuffix(12)
	budget := max - len(suffix) - 2
	if budget < 2 {
		return suffix[:min(max, len(suffix))]
	}
	if len(stack)+len(logicalID) > budget {
		half := budget / 2
		switch {
		case len(logicalID) > half && len(stack) > budget-half:
			stack, logicalID = stack[:budget-half], logicalID[:half]
		case len(logicalID) > half:
			logicalID = logicalID[:budget-len(stack)]
		default:
			stack = stack[:budget-len(logicalID)]
		}
	}
	return stack + "-" + logicalID + "-" + suffix
}

// RandomSuffix returns n random upper-case letters and digits.
func RandomSuffix(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// String reads a string property; missing is "".
func String(props map[string]any, name string) string {
	s, _ := props[name].(string)
	return s
}

// Int reads a numeric property written as a JSON number or a string, as
// templates allow both.
func Int(props map[string]any, name string) (int, bool, error) {
	switch v := props[name].(type) {
	case nil:
		return 0, false, nil
	case float64:
		if v != math.Trunc(v) {
			return 0, true, fmt.Errorf("property %s: %v is not an integer", name, v)
		}
		return int(v), true, nil
	case int:
		return v, true, nil
	case string:
		i, err := strconv.Atoi(v)
		if err != nil {
			return 0, true, fmt.Errorf("property %s: %q is not an integer", name, v)
		}
		return i, true, nil
	case interface{ String() string }:
		i, err := strconv.Atoi(v.String())
		if err != nil {
			return 0, true, fmt.Errorf("property %s: %q is not an integer", name, v.String())
		}
		return i, true, nil
	}
	return 0, true, fmt.Errorf("property %s: %T is not an integer", name, props[name])
}
