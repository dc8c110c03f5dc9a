package resource

import (
	"encoding/json"
	"reflect"
)

// Equal compares two property values as JSON, so that 1 and 1.0, or a
// json.Number and a float64, are the same property value.
func Equal(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	var va, vb any
	if json.Unmarshal(ja, &va) != nil || json.Unmarshal(jb, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}
