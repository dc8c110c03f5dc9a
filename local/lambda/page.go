package lambda

import (
	"net/url"
	"strconv"
)

// page reads the Marker and MaxItems of a Lambda List call and returns the
// [start, end) window of n items, and the NextMarker to return ("" on the
// last page). Markers are offsets: opaque to clients, as AWS's are.
// https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
func page(q url.Values, n, defaultMax int) (start, end int, next string, err error) {
	max := defaultMax
	if m := q.Get("Marker"); m != "" {
		v, err := strconv.Atoi(m)
		if err != nil || v < 0 || v > n {
			return 0, 0, "", errInvalid("Invalid Marker %q: pass the NextMarker of the previous page", m)
		}
		start = v
	}
	if m := q.Get("MaxItems"); m != "" {
		v, err := strconv.Atoi(m)
		if err != nil || v < 1 || v > 10000 {
			return 0, 0, "", errValidation("1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000", m)
		}
		max = v
	}
	end = min(start+max, n)
	if end < n {
		next = strconv.Itoa(end)
	}
	return start, end, next, nil
}

// nextMarker is the NextMarker field: absent on the last page.
func nextMarker(next string) *string {
	if next == "" {
		return nil
	}
	return &next
}
