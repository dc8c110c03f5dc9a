package browsertest_test

import (
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/sparta-go/sparta/describe/browsertest"
)

// TestDetectsFailures makes sure the checks can fail: a page whose script
// throws is reported, and a blank page has no ink.
func TestDetectsFailures(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "broken.html")
	html := `<!DOCTYPE html><html><head><script>window.onerror=function(m){var d=document.createElement("div");d.id="js-error";d.textContent=m;document.body.appendChild(d);};</script></head>` +
		`<body style="background:#fff"><script>undefinedFunction();document.documentElement.setAttribute("data-report-ready","1");</script></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	p := browsertest.Open(t, page, 400, 300)
	if errs := p.ScriptErrors(); len(errs) < 2 {
		t.Errorf("ScriptErrors() = %q, want the onerror marker and the missing ready mark", errs)
	}
	// The error message is written at the top; below it the page is blank.
	if ink := p.Ink(image.Rect(0, 100, 400, 300), [3]uint8{255, 255, 255}); ink != 0 {
		t.Errorf("Ink(blank page) = %d, want 0", ink)
	}
}
