package docker

import (
	"bytes"
	"fmt"
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
	ct := newContextTar()
	add := ct.add
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
	return ct.finish(binary, name)
}
