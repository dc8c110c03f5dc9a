package local

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// journal writes the request log of Options.RequestLog: one JSON line per
// request, in the order responses finish.
type journal struct {
	mu  sync.Mutex
	w   io.Writer
	enc *json.Encoder
}

// JournalEntry is one line of the request log.
type JournalEntry struct {
	Time      time.Time `json:"time"`
	Service   string    `json:"service"`
	Operation string    `json:"operation"`
	Status    int       `json:"status"`
}

func newJournal(w io.Writer) *journal {
	if w == nil {
		return nil
	}
	return &journal{w: w, enc: json.NewEncoder(w)}
}

// record is a no-op on a nil journal, so the router calls it always.
func (j *journal) record(t time.Time, service, operation string, status int) {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	_ = j.enc.Encode(JournalEntry{Time: t.UTC(), Service: service, Operation: operation, Status: status})
}
