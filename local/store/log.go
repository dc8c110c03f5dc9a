package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Append adds v, marshalled as one JSON line, to the log stored under key.
// Logs suit data that only grows (log events, stack events, execution
// history): an append costs one small write whatever the log's length,
// where rewriting a document would cost its whole size.
func (c *Collection) Append(key string, v ...any) error {
	var buf bytes.Buffer
	for _, x := range v {
		line, err := json.Marshal(x)
		if err != nil {
			return fmt.Errorf("store: %s: encoding log entry for %q: %w", c, key, err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	path := filepath.Join(c.dir, escapeKey(key)+logExt)
	mu := c.s.fileLock(path)
	mu.Lock()
	defer mu.Unlock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(c.dir, 0o755); err == nil {
			f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		}
	}
	if err != nil {
		return fmt.Errorf("store: %s: appending to %q: %w", c, key, err)
	}
	_, err = f.Write(buf.Bytes())
	if err == nil && c.s.opts.Sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: %s: appending to %q: %w", c, key, err)
	}
	return nil
}

// ReadLog calls fn with every entry of the log stored under key, oldest
// first. A missing log is empty. A last line without its newline (torn by a
// kill during an append) is skipped.
func (c *Collection) ReadLog(key string, fn func(raw json.RawMessage) error) error {
	f, err := os.Open(filepath.Join(c.dir, escapeKey(key)+logExt))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: %s: reading log %q: %w", c, key, err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			if ferr := fn(json.RawMessage(line[:len(line)-1])); ferr != nil {
				return ferr
			}
		}
		if err != nil {
			// io.EOF, possibly after a torn line that we skip.
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("store: %s: reading log %q: %w", c, key, err)
		}
	}
}
