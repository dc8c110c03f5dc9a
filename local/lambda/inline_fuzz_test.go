package lambda

import (
	"archive/zip"
	"bytes"
	"testing"
)

// FuzzInlineZip feeds runtimes and sources, as templates carry them, to
// InlineZip: it never panics, and for a managed runtime it makes a zip
// holding the source as index.py or index.js.
func FuzzInlineZip(f *testing.F) {
	f.Add("python3.13", "import cfnresponse\ndef handler(e, c): pass\n")
	f.Add("nodejs22.x", "const r = require('cfn-response');")
	f.Add("provided.al2023", "")
	f.Add("python3.", "x")
	f.Add("nodejs.x", "x")
	f.Add("nodejs-1.x", "x")
	f.Fuzz(func(t *testing.T, runtime, source string) {
		b, err := InlineZip(runtime, source)
		m, managed := parseManaged(runtime)
		if !managed {
			if err == nil {
				t.Errorf("InlineZip(%q) accepted a runtime that takes no inline code", runtime)
			}
			return
		}
		if err != nil {
			t.Fatalf("InlineZip(%q) = %v", runtime, err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		want := "index.js"
		if m.language == langPython {
			want = "index.py"
		}
		if zr.File[0].Name != want {
			t.Errorf("InlineZip(%q) first entry %s, want %s", runtime, zr.File[0].Name, want)
		}
	})
}
