package local

import "github.com/sparta-go/sparta/local/events"

// Events returns the EventBridge service, for its Go API (PutRule,
// PutEvents, Metrics).
func (c *Cloud) Events() *events.Service { return serviceAs[*events.Service](c, "events") }
