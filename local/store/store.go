package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ErrNotFound is returned (wrapped) by [Collection.Get] and
// [Collection.OpenBlob] when the key has no document or blob.
var ErrNotFound = errors.New("not found")

// Options tune a [Store]. The zero value is the default.
type Options struct {
	// Sync makes every write fsync the file (and its directory) before it
	// returns, so that state survives a power loss and not only a killed
	// process. It costs milliseconds per write on most disks.
	Sync bool
}

// Store is a directory of collections. Open one with [Open]; it is safe for
// concurrent use by many goroutines (not by many processes).
type Store struct {
	dir   string
	tmp   string
	opts  Options
	lock  *os.File
	locks [64]sync.Mutex // striped per-file locks for appends
}

const (
	tmpDirName   = ".tmp"
	lockFileName = ".lock"
	docExt       = ".json"
	blobExt      = ".blob"
	logExt       = ".log"
)

// Open opens (creating it if needed) the store in dir, takes the directory's
// lock and removes the temporary files a killed process may have left.
func Open(dir string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: empty directory: pass the state directory, e.g. .sparta/local")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("store: state directory %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("store: creating state directory %s: %w", abs, err)
	}
	lock, err := lockDir(filepath.Join(abs, lockFileName))
	if err != nil {
		return nil, fmt.Errorf("store: state directory %s: %w", abs, err)
	}
	s := &Store{dir: abs, tmp: filepath.Join(abs, tmpDirName), opts: opts, lock: lock}
	// Every write goes through .tmp, so whatever is there now is debris from
	// a process that died mid-write.
	if err := os.RemoveAll(s.tmp); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: cleaning %s: %w", s.tmp, err)
	}
	if err := os.MkdirAll(s.tmp, 0o755); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: creating %s: %w", s.tmp, err)
	}
	return s, nil
}

// Dir returns the absolute path of the store's directory.
func (s *Store) Dir() string { return s.dir }

// Close releases the directory lock. The store must not be used afterwards.
func (s *Store) Close() error {
	if s.lock == nil {
		return nil
	}
	err := unlockDir(s.lock)
	s.lock = nil
	return err
}

// Collection returns the collection at path (each element is escaped, so any
// string is allowed, including bucket and log group names with slashes).
// Collections exist implicitly: the directory is created on first write.
func (s *Store) Collection(path ...string) *Collection {
	parts := make([]string, 0, len(path)+1)
	parts = append(parts, s.dir)
	for _, p := range path {
		parts = append(parts, escapeKey(p))
	}
	return &Collection{s: s, dir: filepath.Join(parts...), path: append([]string(nil), path...)}
}

// Collection is a set of keyed documents, blobs and logs in one directory.
type Collection struct {
	s    *Store
	dir  string
	path []string
}

// Sub returns the collection nested under c at path.
func (c *Collection) Sub(path ...string) *Collection {
	return c.s.Collection(append(append([]string(nil), c.path...), path...)...)
}

// String names the collection in error messages.
func (c *Collection) String() string { return strings.Join(c.path, "/") }

// envelope keeps a document's key beside its value, so that keys whose
// escaped form is too long for a file name (stored under a hash) can still be
// listed.
type envelope struct {
	Key   string          `json:"k"`
	Value json.RawMessage `json:"v"`
}

// Put stores v, marshalled as JSON, under key, replacing any previous
// document atomically.
func (c *Collection) Put(key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: %s: encoding %q: %w", c, key, err)
	}
	data, err := json.Marshal(envelope{Key: key, Value: raw})
	if err != nil {
		return fmt.Errorf("store: %s: encoding %q: %w", c, key, err)
	}
	_, err = c.writeFile(key+docExt, escapeKey(key)+docExt, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	return err
}

// Get decodes the document stored under key into v. It returns an error
// wrapping [ErrNotFound] when there is none.
func (c *Collection) Get(key string, v any) error {
	data, err := os.ReadFile(filepath.Join(c.dir, escapeKey(key)+docExt))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: %s: %q: %w", c, key, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: %s: reading %q: %w", c, key, err)
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("store: %s: decoding %q: %w", c, key, err)
	}
	if err := json.Unmarshal(env.Value, v); err != nil {
		return fmt.Errorf("store: %s: decoding %q: %w", c, key, err)
	}
	return nil
}

// Delete removes the document, the blob and the log stored under key.
// Deleting a key that has none of them is not an error.
func (c *Collection) Delete(key string) error {
	base := filepath.Join(c.dir, escapeKey(key))
	var errs []error
	for _, ext := range []string{docExt, blobExt, logExt} {
		if err := os.Remove(base + ext); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: %s: deleting %q: %w", c, key, err)
	}
	return nil
}

// Scan calls fn for every document of the collection, in key order. The raw
// message is the document as stored by Put. A missing collection is empty.
func (c *Collection) Scan(fn func(key string, raw json.RawMessage) error) error {
	entries, err := os.ReadDir(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: %s: listing: %w", c, err)
	}
	docs := make([]envelope, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, docExt) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(c.dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted while we listed
		}
		if err != nil {
			return fmt.Errorf("store: %s: reading %s: %w", c, name, err)
		}
		var env envelope
		if err := json.Unmarshal(data, &env); err != nil {
			return fmt.Errorf("store: %s: decoding %s: %w", c, name, err)
		}
		docs = append(docs, env)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Key < docs[j].Key })
	for _, d := range docs {
		if err := fn(d.Key, d.Value); err != nil {
			return err
		}
	}
	return nil
}

// ScanAs is Scan with each document decoded into a T. A document that does
// not decode stops the scan with an error naming it: "<what> <key>: ...".
func ScanAs[T any](c *Collection, what string, fn func(key string, v T) error) error {
	return c.Scan(func(key string, raw json.RawMessage) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("%s %s: %w", what, key, err)
		}
		return fn(key, v)
	})
}

// Keys returns the keys of the collection's documents, sorted.
func (c *Collection) Keys() ([]string, error) {
	var keys []string
	err := c.Scan(func(key string, _ json.RawMessage) error {
		keys = append(keys, key)
		return nil
	})
	return keys, err
}

// Children returns the names of the collections nested directly under c,
// sorted.
func (c *Collection) Children() ([]string, error) {
	entries, err := os.ReadDir(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: %s: listing: %w", c, err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		name, ok := unescapeKey(e.Name())
		if !ok {
			continue // not ours
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

// Drop removes the collection with everything in it, nested collections
// included.
func (c *Collection) Drop() error {
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("store: dropping %s: %w", c, err)
	}
	return nil
}

// writeFile writes name (escaped as file) through a temporary file renamed
// into place. fn writes the content; if it fails nothing is committed.
func (c *Collection) writeFile(name, file string, fn func(w io.Writer) error) (int64, error) {
	tmp, err := os.CreateTemp(c.s.tmp, "w-*")
	if err != nil {
		return 0, fmt.Errorf("store: %s: writing %q: %w", c, name, err)
	}
	cw := &countingWriter{w: tmp}
	err = fn(cw)
	if err == nil && c.s.opts.Sync {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = c.rename(tmp.Name(), filepath.Join(c.dir, file))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return 0, fmt.Errorf("store: %s: writing %q: %w", c, name, err)
	}
	return cw.n, nil
}

// rename moves a finished temporary file into the collection, creating the
// collection's directory on first use.
func (c *Collection) rename(from, to string) error {
	err := os.Rename(from, to)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(c.dir, 0o755); err != nil {
			return err
		}
		err = os.Rename(from, to)
	}
	if err == nil && c.s.opts.Sync {
		err = syncDir(c.dir)
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// fileLock returns the striped mutex guarding appends to path.
func (s *Store) fileLock(path string) *sync.Mutex {
	h := fnv.New32a()
	_, _ = h.Write([]byte(path))
	return &s.locks[h.Sum32()%uint32(len(s.locks))]
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
