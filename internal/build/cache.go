package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A Lambda binary is a deterministic function of its packages' compiled
// archives, the link flags and the toolchain; `go build -o` links again on
// every run (seconds for a service CLI's dependencies) even when nothing
// changed. So Compile asks `go list -export` for the archives' content
// addresses in the build cache (fast once they are compiled), and keeps the
// last binary linked for each package and architecture beside its key.
// Any doubt (go list fails, the cache is unreadable) falls back to a build.

// cacheKey is the digest of everything the linked binary depends on, or ""
// when it cannot be told.
func cacheKey(ctx context.Context, o Options, args []string, env []string) string {
	list := []string{"list", "-deps", "-export", "-trimpath", "-buildvcs=false"}
	if len(o.Tags) > 0 {
		list = append(list, "-tags", strings.Join(o.Tags, ","))
	}
	list = append(list, "-f", "{{if .Error}}ERROR{{end}}{{.ImportPath}} {{.Export}}", o.Package)
	cmd := exec.CommandContext(ctx, goTool(), list...)
	cmd.Dir, cmd.Env = o.Dir, env
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return ""
	}
	h := sha256.New()
	version, err := exec.CommandContext(ctx, goTool(), "env", "GOVERSION").Output()
	if err != nil {
		return ""
	}
	var flags []string // the build's flags without its output path
	for i := 0; i < len(args); i++ {
		if args[i] == "-o" {
			i++
			continue
		}
		flags = append(flags, args[i])
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", version, strings.Join(flags, " "), strings.Join(env[len(env)-4:], " "))
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		path, export, ok := strings.Cut(line, " ")
		if path == "unsafe" {
			continue // built into the compiler: no archive
		}
		if !ok || export == "" || strings.HasPrefix(path, "ERROR") {
			return "" // a package without an archive: let go build say why
		}
		fmt.Fprintf(h, "%s=%s\n", path, filepath.Base(export))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cacheDir holds the last binary of one package and architecture.
func cacheDir(o Options) string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	id := o.Dir + "\x00" + o.Package + "\x00" + o.GOARCH + "\x00" + strings.Join(o.Tags, ",")
	if o.goos() != "linux" { // linux keeps the directory it always had
		id += "\x00" + o.goos()
	}
	sum := sha256.Sum256([]byte(id))
	return filepath.Join(base, "sparta-go", "lambda", hex.EncodeToString(sum[:8]))
}

// fromCache copies the cached binary to o.Output when its key matches.
func fromCache(o Options, key string) bool {
	dir := cacheDir(o)
	if key == "" || dir == "" {
		return false
	}
	if k, err := os.ReadFile(filepath.Join(dir, "key")); err != nil || string(k) != key {
		return false
	}
	return copyFile(filepath.Join(dir, "bootstrap"), o.Output) == nil
}

// toCache keeps the binary just linked under its key. The binary is
// written before the key, so a key never names a half-written binary.
func toCache(o Options, key string) {
	dir := cacheDir(o)
	if key == "" || dir == "" || os.MkdirAll(dir, 0o755) != nil {
		return
	}
	_ = os.Remove(filepath.Join(dir, "key"))
	if copyFile(o.Output, filepath.Join(dir, "bootstrap")) == nil {
		_ = WriteFileAtomic(filepath.Join(dir, "key"), []byte(key), 0o644)
	}
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	tmp := to + ".tmp"
	dst, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, to)
}
