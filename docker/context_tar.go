package docker

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
)

// contextTar writes a build context with fixed times and owners, so that
// the same inputs give the same bytes and an unchanged binary hits the
// engine's build cache. Both context shapes (the generated one and a
// user's directory) are written through it.
type contextTar struct {
	buf bytes.Buffer
	tw  *tar.Writer
}

func newContextTar() *contextTar {
	c := &contextTar{}
	c.tw = tar.NewWriter(&c.buf)
	return c
}

// add writes one regular file.
func (c *contextTar) add(name string, mode int64, size int64, r io.Reader) error {
	hdr := &tar.Header{Name: name, Mode: mode, Size: size, ModTime: contextEpoch, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := c.tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := io.Copy(c.tw, r)
	return err
}

// finish adds the service binary under name (executable) and returns the
// tar's bytes.
func (c *contextTar) finish(binary, name string) ([]byte, error) {
	f, err := os.Open(binary)
	if err != nil {
		return nil, fmt.Errorf("reading the service binary: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := c.add(name, 0o755, fi.Size(), f); err != nil {
		return nil, fmt.Errorf("writing the build context: %w", err)
	}
	if err := c.tw.Close(); err != nil {
		return nil, err
	}
	return c.buf.Bytes(), nil
}
