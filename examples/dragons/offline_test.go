//go:build !lambdabinary

package main

import (
	"context"
	"encoding/json"

	"github.com/sparta-go/sparta/step"
)

// offlineSNS records published messages instead of sending them.
func offlineSNS(published *[]string) step.TaskHandler {
	return func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
		var p struct{ Message string }
		if err := json.Unmarshal(in, &p); err != nil {
			return nil, err
		}
		*published = append(*published, p.Message)
		return json.RawMessage(`{"MessageId":"1"}`), nil
	}
}
