package lambda

import (
	"bytes"
	"errors"
	"os"
	"sync"
	"time"
)

// maxLogLine is the longest log event; longer lines are split, as
// CloudWatch Logs events are at most 256 KB.
const maxLogLine = 256 << 10

// tailSize is how much of an invocation's log X-Amz-Log-Result carries.
const tailSize = 4 << 10

// output reads a sandbox process's stdout and stderr (one pipe) and feeds
// the log buffer.
//
// An invocation's log must hold everything the function wrote before it
// answered, yet the runtime's HTTP response can arrive before the pipe is
// read. The writes happened before the response, so their bytes are in the
// pipe: sync wakes the reader (a past read deadline) and waits until it has
// read and logged everything and the pipe is empty (FIONREAD 0).
type output struct {
	f    *os.File
	feed func([]byte)

	mu      sync.Mutex
	waiters []chan struct{}
	done    chan struct{}
}

func newOutput(f *os.File, feed func([]byte)) *output {
	o := &output{f: f, feed: feed, done: make(chan struct{})}
	go o.run()
	return o
}

func (o *output) run() {
	defer close(o.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := o.f.Read(buf)
		if n > 0 {
			o.feed(buf[:n])
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			o.release()
			return
		}
		o.mu.Lock()
		switch {
		case len(o.waiters) == 0:
			// A deadline left from an answered sync: block again.
			_ = o.f.SetReadDeadline(time.Time{})
		case pipeBuffered(o.f) == 0:
			for _, w := range o.waiters {
				close(w)
			}
			o.waiters = nil
			_ = o.f.SetReadDeadline(time.Time{})
		default:
			// More bytes are waiting: read them (without blocking) first.
			_ = o.f.SetReadDeadline(time.Time{})
		}
		o.mu.Unlock()
	}
}

func (o *output) release() {
	o.mu.Lock()
	for _, w := range o.waiters {
		close(w)
	}
	o.waiters = nil
	o.mu.Unlock()
}

// sync returns once everything written to the pipe so far is logged, or
// after limit.
func (o *output) sync(limit time.Duration) {
	ch := make(chan struct{})
	o.mu.Lock()
	select {
	case <-o.done:
		o.mu.Unlock()
		return
	default:
	}
	o.waiters = append(o.waiters, ch)
	_ = o.f.SetReadDeadline(time.Unix(1, 0))
	o.mu.Unlock()
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-ch:
	case <-o.done:
	case <-t.C:
	}
}

// finish waits for the reader to drain the pipe after the process exited;
// a grandchild that escaped the process group may hold the pipe open, so
// after limit the pipe is closed under it.
func (o *output) finish(limit time.Duration) {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-o.done:
	case <-t.C:
		_ = o.f.Close()
		<-o.done
	}
	_ = o.f.Close()
}

// logBuffer collects a sandbox's log events until they are flushed to the
// LogSink, and the current invocation's log for its tail.
type logBuffer struct {
	mu      sync.Mutex
	pending []LogEvent
	partial []byte
	capture *bytes.Buffer
}

// write takes raw process output and cuts it into lines.
func (b *logBuffer) write(p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			b.partial = append(b.partial, p...)
			if len(b.partial) >= maxLogLine {
				b.emit(string(b.partial[:maxLogLine]))
				b.partial = append(b.partial[:0], b.partial[maxLogLine:]...)
			}
			return
		}
		line := p[:i]
		p = p[i+1:]
		if len(b.partial) > 0 {
			line = append(b.partial, line...)
			b.partial = b.partial[:0]
		}
		for len(line) > maxLogLine {
			b.emit(string(line[:maxLogLine]))
			line = line[maxLogLine:]
		}
		b.emit(string(line))
	}
}

// line adds a line of the platform's own (START, END, REPORT...).
func (b *logBuffer) line(s string) {
	b.mu.Lock()
	b.emit(s)
	b.mu.Unlock()
}

// flushPartial logs an unterminated last line, as Lambda does at the end
// of an invocation.
func (b *logBuffer) flushPartial() {
	b.mu.Lock()
	if len(b.partial) > 0 {
		b.emit(string(b.partial))
		b.partial = b.partial[:0]
	}
	b.mu.Unlock()
}

func (b *logBuffer) emit(s string) {
	msg := s + "\n"
	b.pending = append(b.pending, LogEvent{Timestamp: time.Now(), Message: msg})
	if b.capture != nil {
		b.capture.WriteString(msg)
		// Only the tail is ever returned; keep memory bounded.
		if b.capture.Len() > 16*tailSize {
			tail := append([]byte(nil), b.capture.Bytes()[b.capture.Len()-tailSize:]...)
			b.capture.Reset()
			b.capture.Write(tail)
		}
	}
}

// begin starts capturing an invocation's log.
func (b *logBuffer) begin() {
	b.mu.Lock()
	b.capture = &bytes.Buffer{}
	b.mu.Unlock()
}

// end stops capturing and returns the last 4 KB of the invocation's log.
func (b *logBuffer) end() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.capture == nil {
		return ""
	}
	out := b.capture.Bytes()
	if len(out) > tailSize {
		out = out[len(out)-tailSize:]
	}
	b.capture = nil
	return string(out)
}

// take returns and forgets the events not flushed yet.
func (b *logBuffer) take() []LogEvent {
	b.mu.Lock()
	defer b.mu.Unlock()
	ev := b.pending
	b.pending = nil
	return ev
}
