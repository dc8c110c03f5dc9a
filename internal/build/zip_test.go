package build_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sparta-go/sparta/internal/build"
)

func TestZipIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.WriteFile(bin, bytes.Repeat([]byte("binary"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := build.Zip(bin, filepath.Join(dir, "a.zip"))
	if err != nil {
		t.Fatal(err)
	}
	// Touch the binary: a new mtime and mode must not change the zip.
	if err := os.Chmod(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := build.Zip(bin, filepath.Join(dir, "b.zip"))
	if err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a.Path)
	bb, _ := os.ReadFile(b.Path)
	if !bytes.Equal(ab, bb) || a.SHA256 != b.SHA256 {
		t.Fatalf("zips of the same binary differ: %s vs %s", a.SHA256, b.SHA256)
	}
	zr, err := zip.OpenReader(a.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f := zr.File[0]
	if f.Name != "bootstrap" || f.Mode().Perm() != 0o755 || f.Modified.Year() != 2000 {
		t.Errorf("entry = %s %v %v, want bootstrap 0755 at the fixed time", f.Name, f.Mode(), f.Modified)
	}
}

func TestArtifactKeyCarriesDigest(t *testing.T) {
	key := build.ArtifactKey("svc", "arm64", "abc123")
	if key != "sparta/svc/arm64-abc123.zip" {
		t.Fatalf("ArtifactKey = %q", key)
	}
}
