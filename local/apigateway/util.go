package apigateway

import "encoding/json"

// deepCopy copies src into dst through JSON: snapshots must not share maps
// with the live API.
func deepCopy(src, dst any) error {
	b, err := json.Marshal(src)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}
