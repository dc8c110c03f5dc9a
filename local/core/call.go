package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// Call describes the request being served. The router creates it and stores
// it in the request's context; services read it with [CallFrom] and record
// the operation they decoded with SetOperation, for the request log.
type Call struct {
	// RequestID is echoed in x-amzn-RequestId, x-amz-request-id and in
	// error bodies.
	RequestID string
	// Service is the name the request was routed by.
	Service string
	// Scope is the SigV4 credential scope of the request; zero when unsigned.
	Scope Scope
	// Principal is who signed the request; zero for anonymous requests
	// (those a [Public] service accepted) and for calls made outside the
	// router.
	Principal Principal
	// Chunks verifies the chunk signatures of a streaming-signed body
	// (S3's STREAMING-AWS4-HMAC-SHA256-PAYLOAD); nil otherwise.
	Chunks *ChunkSigner

	mu        sync.Mutex
	operation string
	faults    []error
}

func (c *Call) addFault(err error) {
	c.mu.Lock()
	c.faults = append(c.faults, err)
	c.mu.Unlock()
}

// Faults returns the causes of the server-side errors written for this
// call (kept out of responses), for the router's log.
func (c *Call) Faults() []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]error(nil), c.faults...)
}

// SetOperation records the operation name (e.g. "PutObject").
func (c *Call) SetOperation(op string) {
	c.mu.Lock()
	c.operation = op
	c.mu.Unlock()
}

// Operation returns the operation recorded by SetOperation.
func (c *Call) Operation() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.operation
}

type callKey struct{}

// WithCall returns ctx carrying c.
func WithCall(ctx context.Context, c *Call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// CallFrom returns the call of ctx. Outside the router (a service calling
// another through its Go API) it returns a fresh call with a new request ID,
// so services never need a nil check.
func CallFrom(ctx context.Context) *Call {
	if c, ok := ctx.Value(callKey{}).(*Call); ok {
		return c
	}
	return &Call{RequestID: NewRequestID()}
}

// NewRequestID returns a random UUID (version 4), the shape of AWS request
// IDs.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
