package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteBlob stores the bytes fn writes under key, replacing any previous
// blob atomically, and returns how many bytes were written. If fn returns an
// error (a checksum that does not match, a client that went away) nothing is
// committed and the previous blob, if any, is kept.
func (c *Collection) WriteBlob(key string, fn func(w io.Writer) error) (int64, error) {
	return c.writeFile(key+blobExt, escapeKey(key)+blobExt, fn)
}

// OpenBlob opens the blob stored under key for reading. Blobs are never
// modified in place (a write replaces the file), so an open blob keeps its
// content even if the key is overwritten or deleted meanwhile. It returns an
// error wrapping [ErrNotFound] when there is no blob.
func (c *Collection) OpenBlob(key string) (*os.File, error) {
	f, err := os.Open(filepath.Join(c.dir, escapeKey(key)+blobExt))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store: %s: blob %q: %w", c, key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: %s: opening blob %q: %w", c, key, err)
	}
	return f, nil
}

// DeleteBlob removes the blob stored under key, leaving its document and log.
// Deleting a missing blob is not an error.
func (c *Collection) DeleteBlob(key string) error {
	err := os.Remove(filepath.Join(c.dir, escapeKey(key)+blobExt))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: %s: deleting blob %q: %w", c, key, err)
	}
	return nil
}

// LinkBlob makes key in c a copy of the blob srcKey in src. Blobs are
// immutable once written, so a hard link is a safe copy; it falls back to
// copying the bytes where links are not possible.
func (c *Collection) LinkBlob(key string, src *Collection, srcKey string) (int64, error) {
	from := filepath.Join(src.dir, escapeKey(srcKey)+blobExt)
	fi, err := os.Stat(from)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("store: %s: blob %q: %w", src, srcKey, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: %s: blob %q: %w", src, srcKey, err)
	}
	tmp := filepath.Join(c.s.tmp, "l-"+randomSuffix())
	if err := os.Link(from, tmp); err == nil {
		if err := c.rename(tmp, filepath.Join(c.dir, escapeKey(key)+blobExt)); err != nil {
			_ = os.Remove(tmp)
			return 0, fmt.Errorf("store: %s: linking %q: %w", c, key, err)
		}
		return fi.Size(), nil
	}
	in, err := src.OpenBlob(srcKey)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	return c.WriteBlob(key, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
