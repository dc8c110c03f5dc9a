package lambda

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipEntry is one entry of a generated zip: a file with content, or a
// symbolic link when link is set.
type zipEntry struct {
	name, content, link string
}

func makeZip(t testing.TB, entries []zipEntry) *zip.Reader {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Store}
		body := e.content
		if e.link != "" {
			h.SetMode(fs.ModeSymlink | 0o777)
			body = e.link
		} else {
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// escaped lists what exists in parent besides the extraction root, and
// the links under root that resolve outside it.
func escaped(t testing.TB, parent, root string) []string {
	var out []string
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() != filepath.Base(root) {
			out = append(out, filepath.Join(parent, e.Name()))
		}
	}
	realRoot, _ := filepath.EvalSymlinks(root)
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if real, err := filepath.EvalSymlinks(p); err == nil && !within(realRoot, real) {
			out = append(out, p+" -> "+real)
		}
		return nil
	})
	return out
}

// TestExtractRefusesChainedLinks is issue 11's zip: a chain of relative
// ".." links, each inside the code directory by name, then a file under
// the last link, which by name is inside and on disk is above it.
func TestExtractRefusesChainedLinks(t *testing.T) {
	tests := []struct {
		name    string
		entries []zipEntry
	}{
		{"two links then a file", []zipEntry{{name: "a/b", link: ".."}, {name: "a/b/c", link: ".."}, {name: "a/b/c/pwned", content: "x"}}},
		{"three links then a file", []zipEntry{{name: "a/b", link: ".."}, {name: "a/b/c", link: ".."}, {name: "a/b/c/d", link: ".."}, {name: "a/b/c/d/pwned", content: "x"}}},
		{"link to a link's parent", []zipEntry{{name: "d/b", link: ".."}, {name: "d/c", link: "b/.."}, {name: "d/c/pwned", content: "x"}}},
		{"absolute link", []zipEntry{{name: "etc", link: "/etc"}}},
		{"file through a link", []zipEntry{{name: "up", link: "."}, {name: "x", link: "up/.."}, {name: "x/pwned", content: "x"}}},
		{"dot-dot name", []zipEntry{{name: "../pwned", content: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			root := filepath.Join(parent, "code")
			if err := os.Mkdir(root, 0o755); err != nil {
				t.Fatal(err)
			}
			err := extract(makeZip(t, tt.entries), root)
			if err == nil || !strings.Contains(err.Error(), "outside") && !strings.Contains(err.Error(), "escapes") {
				t.Errorf("extract = %v, want a refusal", err)
			}
			if out := escaped(t, parent, root); len(out) > 0 {
				t.Errorf("extraction escaped: %v", out)
			}
		})
	}
}

// TestExtractKeepsLinksInside checks that links within the code directory
// still work, as zips of Lambda layers and node_modules use them.
func TestExtractKeepsLinksInside(t *testing.T) {
	root := t.TempDir()
	err := extract(makeZip(t, []zipEntry{
		{name: "lib/real/v1.txt", content: "one"}, {name: "lib/current", link: "real"},
		{name: "bin/tool", link: "../lib/current/v1.txt"}, {name: "dangling", link: "later/x"},
	}), root)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "bin", "tool")); err != nil || string(b) != "one" {
		t.Errorf("bin/tool = %q, %v", b, err)
	}
}

// FuzzExtract extracts generated zips of files, directories and links
// (names and targets from the fuzzer) and checks that nothing ever lands
// outside the root, whether extract succeeds or refuses.
func FuzzExtract(f *testing.F) {
	f.Add("a/b>..|a/b/c>..|a/b/c/x=x")
	f.Add("lib/x=1|cur>lib|cur/y=2")
	f.Add("d/b>..|d/c>b/..|d/c/p=x")
	f.Add("x>.|x/x/x/../../..>..|z=1")
	f.Fuzz(func(t *testing.T, spec string) {
		var entries []zipEntry
		for _, part := range strings.Split(spec, "|") {
			if len(entries) == 16 {
				break
			}
			if name, link, ok := strings.Cut(part, ">"); ok && name != "" {
				entries = append(entries, zipEntry{name: name, link: link})
			} else if name, content, ok := strings.Cut(part, "="); ok && name != "" {
				entries = append(entries, zipEntry{name: name, content: content})
			}
		}
		if len(entries) == 0 {
			return
		}
		parent := t.TempDir()
		root := filepath.Join(parent, "code")
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		_ = extract(makeZip(t, entries), root)
		if out := escaped(t, parent, root); len(out) > 0 {
			t.Fatalf("extracting %q escaped: %v", spec, out)
		}
	})
}
