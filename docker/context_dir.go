package docker

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// skippedContextDirs are left out of a directory build context: version
// control, and the framework's work directory of templates and zips (its
// default name; the docker package does not import the CLI).
var skippedContextDirs = map[string]bool{".git": true, ".sparta": true}

// dirContext is the tar of dir as `docker build dir` sends it, plus the
// binary under name and the Dockerfile as "Dockerfile" (replacing dir's),
// with fixed times and owners. Symbolic links and special files are left
// out: the context is read from a developer's tree and must not follow
// links outside it.
func dirContext(dir, binary, name string, dockerfile []byte) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name string, mode int64, size int64, r io.Reader) error {
		hdr := &tar.Header{Name: name, Mode: mode, Size: size, ModTime: contextEpoch, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := io.Copy(tw, r)
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the build context %s: %w", dir, err)
	}
	defer root.Close()
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skippedContextDirs[d.Name()] && p != "." {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || p == "Dockerfile" || p == name {
			return nil
		}
		f, err := root.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		return add(filepath.ToSlash(p), int64(fi.Mode().Perm()), fi.Size(), f)
	})
	if err != nil {
		return nil, fmt.Errorf("reading the build context %s: %w", dir, err)
	}
	if err := add("Dockerfile", 0o644, int64(len(dockerfile)), bytes.NewReader(dockerfile)); err != nil {
		return nil, err
	}
	bin, err := os.Open(binary)
	if err != nil {
		return nil, fmt.Errorf("reading the service binary: %w", err)
	}
	defer bin.Close()
	fi, err := bin.Stat()
	if err != nil {
		return nil, err
	}
	if err := add(name, 0o755, fi.Size(), bin); err != nil {
		return nil, fmt.Errorf("writing the build context: %w", err)
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
