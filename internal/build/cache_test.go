package build_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sparta-go/sparta/internal/build"
)

// An unchanged program is not linked again; a changed one is, and the
// cache never hands back a binary of older sources.
func TestCompileReusesTheLastBinaryOfTheSameSources(t *testing.T) {
	gocache, err := exec.Command("go", "env", "GOCACHE").Output() // before moving the user's cache
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOCACHE", string(bytes.TrimSpace(gocache)))
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir()) // os.UserCacheDir on macOS
	mod := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("main.go", "package main\n\nfunc main() { println(\"one\") }\n")

	compile := func(out string) []byte {
		t.Helper()
		o := build.Options{Package: ".", Dir: mod, GOARCH: runtime.GOARCH, Output: filepath.Join(t.TempDir(), out)}
		if err := build.Compile(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(o.Output)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := compile("a")
	cached := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "sparta-go", "lambda")
	if entries, _ := os.ReadDir(cached); len(entries) != 1 {
		t.Fatalf("the cache holds %d entries after one build, want 1", len(entries))
	}
	if again := compile("b"); !bytes.Equal(first, again) {
		t.Error("an unchanged program gave another binary")
	}
	write("main.go", "package main\n\nfunc main() { println(\"two\") }\n")
	changed := compile("c")
	if bytes.Equal(first, changed) || !bytes.Contains(changed, []byte("two")) {
		t.Error("a changed program gave the binary of its old sources")
	}
	if entries, _ := os.ReadDir(cached); len(entries) != 1 {
		t.Errorf("the cache holds %d entries for one package, want 1: it must not grow with each change", len(entries))
	}
}

// Zip reuses the zip of an unchanged binary and makes a new one otherwise.
func TestZipReusesTheZipOfTheSameBinary(t *testing.T) {
	dir := t.TempDir()
	bin, zipPath := filepath.Join(dir, "bin"), filepath.Join(dir, "code.zip")
	if err := os.WriteFile(bin, bytes.Repeat([]byte("binary"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := build.Zip(bin, zipPath)
	if err != nil {
		t.Fatal(err)
	}
	b, err := build.Zip(bin, zipPath)
	if err != nil || b != a {
		t.Fatalf("Zip of the same binary = %+v, %v; want %+v", b, err, a)
	}
	if err := os.WriteFile(bin, bytes.Repeat([]byte("other!"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := build.Zip(bin, zipPath)
	if err != nil || c.SHA256 == a.SHA256 {
		t.Fatalf("Zip of a changed binary = %+v, %v; want a new digest", c, err)
	}
}
