package build_test

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/internal/build"
)

// TestZipFailures: a missing binary and an unwritable destination are
// errors naming the file; neither leaves a zip behind.
func TestZipFailures(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.WriteFile(bin, []byte("binary"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, bin, zip, want string
	}{
		{"missing binary", filepath.Join(dir, "nope"), filepath.Join(dir, "a.zip"), "packaging: open " + filepath.Join(dir, "nope")},
		{"destination directory missing", bin, filepath.Join(dir, "no", "such", "a.zip"), "writing " + filepath.Join(dir, "no", "such", "a.zip")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build.Zip(tt.bin, tt.zip)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Zip(%s, %s) = %v, want an error containing %q", tt.bin, tt.zip, err, tt.want)
			}
			if _, statErr := os.Stat(tt.zip); !os.IsNotExist(statErr) {
				t.Errorf("zip exists after a failure: %v", statErr)
			}
		})
	}
}

// TestZipPackage: Size and SHA256 describe the bytes written, the entry
// holds the binary unchanged, and a relative zip path works.
func TestZipPackage(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	content := []byte(strings.Repeat("lambda binary ", 500))
	if err := os.WriteFile("bin", content, 0o600); err != nil {
		t.Fatal(err)
	}
	pkg, err := build.Zip("bin", "code.zip")
	if err != nil {
		t.Fatalf("Zip = %v", err)
	}
	b, err := os.ReadFile("code.zip")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if pkg.Path != "code.zip" || pkg.Size != int64(len(b)) || pkg.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("Zip = %+v, want code.zip of %d bytes with SHA-256 %x", pkg, len(b), sum)
	}
	if pkg.Size >= int64(len(content)) {
		t.Errorf("zip of %d bytes for %d bytes of repetitive input: not compressed", pkg.Size, len(content))
	}
	zr, err := zip.OpenReader("code.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 {
		t.Fatalf("zip holds %d entries, want 1", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, _ := io.ReadAll(rc)
	if string(got) != string(content) {
		t.Error("the zip entry differs from the binary")
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestWriteFileAtomic replaces a file whole with the asked mode, and keeps
// the old file when the write fails.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := build.WriteFileAtomic(path, []byte("new"), 0o640); err != nil {
		t.Fatalf("WriteFileAtomic = %v", err)
	}
	b, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(b) != "new" || st.Mode().Perm() != 0o640 {
		t.Errorf("file = %q %v, want \"new\" 0640", b, st.Mode().Perm())
	}
	// A directory in the way: the rename fails and the directory stays.
	blocked := filepath.Join(dir, "d")
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := build.WriteFileAtomic(blocked, []byte("new"), 0o644); err == nil || !strings.Contains(err.Error(), "writing "+blocked) {
		t.Errorf("WriteFileAtomic over a directory = %v, want an error naming it", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
