package lambda

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/sparta-go/sparta/local/core"
)

// storedCode is a code zip copied into the store.
type storedCode struct {
	digest string // hex SHA-256: the blob's key and the unzipped directory's name
	sha256 string // base64 SHA-256: Lambda's CodeSha256
	size   int64
	source codeSource
}

// codeInfo is the document kept beside each code blob, so that the blobs
// can be listed (for garbage collection) and described.
type codeInfo struct {
	Size   int64
	SHA256 string
}

// storeCode copies a code zip (inline bytes, or an S3 object read through
// the CodeSource) into the store under its digest and checks that it is a
// zip Lambda would accept. The digest stays pinned against garbage
// collection until unpin.
func (s *Service) storeCode(ctx context.Context, bucket, key string, inline []byte) (storedCode, error) {
	var (
		src  io.Reader
		from codeSource
	)
	switch {
	case len(inline) > 0:
		src = bytes.NewReader(inline)
	case bucket != "" && key != "":
		if s.cfg.Code == nil {
			return storedCode{}, errInvalid("the local Lambda has no S3 code source: pass the code as ZipFile")
		}
		rc, _, err := s.cfg.Code.Open(ctx, bucket, key)
		if err != nil {
			return storedCode{}, errInvalid("Error occurred while GetObject. S3 Bucket: %s, S3 Key: %s. %v", bucket, key, err)
		}
		defer rc.Close()
		src, from = rc, codeSource{Bucket: bucket, Key: key}
	default:
		return storedCode{}, errInvalid("Please provide a source for function code: S3Bucket and S3Key, or ZipFile.")
	}
	h := sha256.New()
	tmp := "incoming-" + core.NewRequestID()
	size, err := s.code.WriteBlob(tmp, func(w io.Writer) error {
		n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(src, MaxUnzippedCode+1))
		if err == nil && n > MaxUnzippedCode {
			return errInvalid("Unzipped size must be smaller than %d bytes", MaxUnzippedCode)
		}
		return err
	})
	if err != nil {
		var e *core.Error
		if errors.As(err, &e) {
			return storedCode{}, e
		}
		return storedCode{}, fmt.Errorf("copying the code of s3://%s/%s: %w", bucket, key, err)
	}
	defer func() { _ = s.code.DeleteBlob(tmp) }()
	sum := h.Sum(nil)
	out := storedCode{digest: hex.EncodeToString(sum), sha256: base64.StdEncoding.EncodeToString(sum), size: size, source: from}
	if err := s.checkZip(tmp, size); err != nil {
		return storedCode{}, err
	}
	s.pin(out.digest)
	if _, err := s.code.LinkBlob(out.digest, s.code, tmp); err != nil {
		s.unpin(out.digest)
		return storedCode{}, err
	}
	if err := s.code.Put(out.digest, codeInfo{Size: size, SHA256: out.sha256}); err != nil {
		s.unpin(out.digest)
		return storedCode{}, err
	}
	return out, nil
}

// checkZip refuses what Lambda refuses: a file that is not a zip, or one
// that unzips to more than 250 MB.
func (s *Service) checkZip(key string, size int64) error {
	f, err := s.code.OpenBlob(key)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return errInvalid("Could not unzip uploaded file. Please check your file, then try to upload again.")
	}
	var total uint64
	for _, e := range zr.File {
		total += e.UncompressedSize64
	}
	if total > MaxUnzippedCode {
		return errInvalid("Unzipped size must be smaller than %d bytes", MaxUnzippedCode)
	}
	return nil
}

func (s *Service) pin(digest string) {
	s.codeMu.Lock()
	if s.pinned == nil {
		s.pinned = map[string]int{}
	}
	s.pinned[digest]++
	s.codeMu.Unlock()
}

func (s *Service) unpin(digest string) {
	s.codeMu.Lock()
	if s.pinned[digest]--; s.pinned[digest] <= 0 {
		delete(s.pinned, digest)
	}
	s.codeMu.Unlock()
}

// gcCode deletes the code blobs and unzipped directories no function
// version refers to any more.
func (s *Service) gcCode() {
	keys, err := s.code.Keys()
	if err != nil {
		s.log.Warnf("listing code blobs: %v", err)
		return
	}
	used := map[string]bool{}
	s.mu.RLock()
	for _, f := range s.fns {
		used[f.Latest.Code] = true
		for _, v := range f.Versions {
			used[v.Code] = true
		}
	}
	s.mu.RUnlock()
	s.codeMu.Lock()
	defer s.codeMu.Unlock()
	for _, k := range keys {
		if used[k] || s.pinned[k] > 0 {
			continue
		}
		if err := s.code.Delete(k); err != nil {
			s.log.Warnf("deleting unused code %s: %v", k, err)
		}
		delete(s.codeDirs, k)
		_ = os.RemoveAll(filepath.Join(s.cfg.WorkDir, "code", k))
	}
}

// codeLocation is GetFunction's Code.Location: the S3 object the code was
// copied from, path-style on the local cloud's endpoint.
func (s *Service) codeLocation(v version) string {
	if s.cfg.Endpoint == "" || v.Source.Bucket == "" {
		return ""
	}
	return strings.TrimSuffix(s.cfg.Endpoint, "/") + "/" + v.Source.Bucket + "/" + v.Source.Key
}

// codeDir is a code zip unpacked on disk, with what its bootstrap is.
type codeDir struct {
	path string
	// format is "elf", "script", "missing" or "unknown".
	format string
	// arch is the GOARCH of an ELF bootstrap.
	arch string
}

// refusal explains why this code cannot run on this machine; "" means it
// can (as far as can be told before running it).
func (d *codeDir) refusal(function string) string {
	if d.format != "elf" {
		return ""
	}
	if runtime.GOOS != "linux" {
		return fmt.Sprintf("function %s is a Linux executable and this machine runs %s: the local Lambda runs functions on Linux only", function, runtime.GOOS)
	}
	if d.arch != runtime.GOARCH {
		return fmt.Sprintf("function %s was built for %s; this machine runs %s: provision with --local, which builds for the host", function, d.arch, runtime.GOARCH)
	}
	return ""
}

// codeDir returns the unpacked code of digest, unzipping it the first time.
func (s *Service) codeDir(digest string) (*codeDir, error) {
	s.codeMu.Lock()
	mu, ok := s.unzipping[digest]
	if !ok {
		if s.unzipping == nil {
			s.unzipping = map[string]*sync.Mutex{}
		}
		mu = &sync.Mutex{}
		s.unzipping[digest] = mu
	}
	s.codeMu.Unlock()
	// One unzip per digest at a time; other digests proceed in parallel.
	mu.Lock()
	defer mu.Unlock()
	s.codeMu.Lock()
	d, ok := s.codeDirs[digest]
	s.codeMu.Unlock()
	if ok {
		return d, nil
	}
	dir := filepath.Join(s.cfg.WorkDir, "code", digest)
	if _, err := os.Stat(dir); err != nil {
		if err := s.unzip(digest, dir); err != nil {
			return nil, err
		}
	}
	d = &codeDir{path: dir}
	d.format, d.arch = inspectBootstrap(filepath.Join(dir, "bootstrap"))
	s.codeMu.Lock()
	s.codeDirs[digest] = d
	s.codeMu.Unlock()
	return d, nil
}

// unzip unpacks the blob into a temporary directory renamed into place, so
// that a directory under its final name is always complete.
func (s *Service) unzip(digest, dir string) error {
	f, err := s.code.OpenBlob(digest)
	if err != nil {
		return fmt.Errorf("the code %s is missing from the store: %w", digest, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		return fmt.Errorf("unzipping code %s: %w", digest, err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".unzip-")
	if err != nil {
		return err
	}
	if err := extract(zr, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("unzipping code %s: %w", digest, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.RemoveAll(tmp)
		if _, serr := os.Stat(dir); serr == nil {
			return nil // unpacked meanwhile by another service on the same WorkDir
		}
		return err
	}
	return nil
}

// extract writes the zip's entries under root and nowhere else: every
// write goes through an os.Root, which resolves each path component
// (symbolic links included) inside root and fails on one that leaves it,
// and a symbolic link is refused unless what it points to, resolved on
// disk from where the link really is, stays inside root. Names alone
// cannot tell: after a/b -> .. and a/b/c -> .., the name a/b/c/x is
// inside by name but two levels up on disk.
func extract(zr *zip.Reader, root string) error {
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	defer r.Close()
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	var total int64
	for _, e := range zr.File {
		name := path.Clean(strings.ReplaceAll(e.Name, `\`, "/"))
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") || name == "." {
			return fmt.Errorf("entry %q points outside the code directory", e.Name)
		}
		local := filepath.FromSlash(name)
		mode := e.Mode()
		switch {
		case mode.IsDir():
			if err := r.MkdirAll(local, 0o755); err != nil {
				return fmt.Errorf("entry %q: %w", e.Name, err)
			}
			continue
		case mode&fs.ModeSymlink != 0:
			if err := extractSymlink(r, realRoot, e, name); err != nil {
				return err
			}
			continue
		}
		if dir := filepath.Dir(local); dir != "." {
			if err := r.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("entry %q: %w", e.Name, err)
			}
		}
		perm := mode.Perm() | 0o400
		if perm&0o111 == 0 && name == "bootstrap" {
			// Zips made on Windows carry no modes; Lambda still runs bootstrap.
			perm |= 0o755
		}
		n, err := writeEntry(r, e, local, perm, MaxUnzippedCode-total)
		if err != nil {
			return err
		}
		total += n
	}
	return nil
}

func writeEntry(r *os.Root, e *zip.File, local string, perm fs.FileMode, budget int64) (int64, error) {
	rc, err := e.Open()
	if err != nil {
		return 0, fmt.Errorf("entry %q: %w", e.Name, err)
	}
	defer rc.Close()
	// O_EXCL|O_NOFOLLOW-like: an entry never writes through an existing
	// link; a duplicate name replaces the earlier file.
	if fi, err := r.Lstat(local); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return 0, fmt.Errorf("entry %q would write through the symbolic link of the same name", e.Name)
	}
	out, err := r.OpenFile(local, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return 0, fmt.Errorf("entry %q: %w", e.Name, err)
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > budget {
		err = fmt.Errorf("the code unzips to more than %d bytes", MaxUnzippedCode)
	}
	if err != nil {
		return 0, fmt.Errorf("entry %q: %w", e.Name, err)
	}
	return n, nil
}

// extractSymlink creates the link name, refusing an absolute target and
// one that, resolved from the directory the link really lands in, leaves
// realRoot.
func extractSymlink(r *os.Root, realRoot string, e *zip.File, name string) error {
	rc, err := e.Open()
	if err != nil {
		return err
	}
	link, err := io.ReadAll(io.LimitReader(rc, 4096))
	rc.Close()
	if err != nil {
		return err
	}
	target := string(link)
	refuse := func() error {
		return fmt.Errorf("symbolic link %q -> %q points outside the code directory", e.Name, target)
	}
	if target == "" || path.IsAbs(target) || filepath.IsAbs(target) || strings.ContainsRune(target, 0) {
		return refuse()
	}
	local := filepath.FromSlash(name)
	dir := filepath.Dir(local)
	if dir != "." {
		if err := r.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("entry %q: %w", e.Name, err)
		}
	}
	// Where the link's directory really is, and where the link leads
	// from there, every link on the way followed as the kernel would.
	hops := 0
	realDir, err := resolvePath(realRoot, filepath.ToSlash(dir), &hops)
	if err != nil || !within(realRoot, realDir) {
		return refuse()
	}
	if dest, err := resolvePath(realDir, target, &hops); err != nil || !within(realRoot, dest) {
		return refuse()
	}
	if err := r.Symlink(target, local); err != nil {
		return fmt.Errorf("entry %q: %w", e.Name, err)
	}
	return nil
}

// resolvePath walks rel (slash-separated) from the real directory start
// one component at a time as the kernel does: ".." goes to the parent of
// where the walk really is, a symbolic link is followed (at most 40 in
// all), a component that does not exist yet is taken as a plain name.
func resolvePath(start, rel string, hops *int) (string, error) {
	cur := start
	for _, comp := range strings.Split(rel, "/") {
		switch comp {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, comp)
		fi, err := os.Lstat(next)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if *hops++; *hops > 40 {
			return "", errors.New("too many levels of symbolic links")
		}
		link, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		base := cur
		if filepath.IsAbs(link) {
			base = string(filepath.Separator)
		}
		if cur, err = resolvePath(base, filepath.ToSlash(link), hops); err != nil {
			return "", err
		}
	}
	return cur, nil
}

// within reports whether p is root or under it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// inspectBootstrap tells what the bootstrap file is: an ELF executable
// (with its architecture), a script, missing, or unknown.
func inspectBootstrap(p string) (format, arch string) {
	f, err := os.Open(p)
	if err != nil {
		return "missing", ""
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return "unknown", ""
	}
	switch {
	case string(magic[:2]) == "#!":
		return "script", ""
	case string(magic[:]) != elf.ELFMAG:
		return "unknown", ""
	}
	ef, err := elf.NewFile(f)
	if err != nil {
		return "unknown", ""
	}
	return "elf", goarch(ef.Machine)
}

// goarch names an ELF machine the way GOARCH does.
func goarch(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_386:
		return "386"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_RISCV:
		return "riscv64"
	case elf.EM_PPC64:
		return "ppc64le"
	case elf.EM_S390:
		return "s390x"
	}
	return strings.ToLower(strings.TrimPrefix(m.String(), "EM_"))
}
