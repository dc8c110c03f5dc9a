package dynamodb

import (
	"strings"

	"github.com/truora/minidyn/server"
)

// MaxItemBytes is DynamoDB's item size limit, attribute names included.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
const MaxItemBytes = 400 * 1024

// itemSize is an item's size as DynamoDB counts it: the UTF-8 bytes of
// names and strings, binary lengths, about one byte per two digits of a
// number, one byte for booleans and nulls, three bytes of overhead per
// list or map and one per element.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
func itemSize(item Item) int {
	n := 0
	for name, v := range item {
		n += len(name) + valueSize(v)
	}
	return n
}

func valueSize(v *server.AttributeValue) int {
	if v == nil {
		return 0
	}
	switch {
	case v.S != nil:
		return len(*v.S)
	case v.N != nil:
		return numberSize(*v.N)
	case v.B != nil:
		return len(v.B)
	case v.BOOL != nil, v.NULL != nil:
		return 1
	case v.SS != nil:
		n := 0
		for _, s := range v.SS {
			if s != nil {
				n += len(*s)
			}
		}
		return n
	case v.NS != nil:
		n := 0
		for _, s := range v.NS {
			if s != nil {
				n += numberSize(*s)
			}
		}
		return n
	case v.BS != nil:
		n := 0
		for _, b := range v.BS {
			n += len(b)
		}
		return n
	case v.L != nil:
		n := 3
		for _, e := range v.L {
			n += 1 + valueSize(e)
		}
		return n
	case v.M != nil:
		n := 3
		for k, e := range v.M {
			n += 1 + len(k) + valueSize(e)
		}
		return n
	}
	return 0
}

func numberSize(s string) int {
	digits := len(strings.TrimLeft(strings.TrimLeft(s, "-"), "0."))
	return (digits+1)/2 + 1
}

func checkItemSize(item Item) error {
	if itemSize(item) > MaxItemBytes {
		return errValidation("Item size has exceeded the maximum allowed size")
	}
	return nil
}
