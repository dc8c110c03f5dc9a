// Package browsertest opens an HTML file in headless Chromium for tests:
// the DOM after its scripts ran, anything they reported as an error, and a
// screenshot to check that something was drawn. Tests skip, saying why,
// when no Chromium is installed (.ci/run installs Debian's chromium).
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ReadyAttribute is what a page sets on <html> when its script has run to
// the end; ErrorMarker is the id of the element its window.onerror adds.
const (
	ReadyAttribute = `data-report-ready="1"`
	ErrorMarker    = `<div id="js-error">`
)

// Page is what the browser made of a file.
type Page struct {
	// DOM is the document after scripts ran (--dump-dom).
	DOM string
	// Console is the browser's log: console messages and uncaught errors.
	Console string
	// Screenshot is the first screen of the page.
	Screenshot image.Image
}

// Binary finds Chromium, or says why there is none.
func Binary() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium on PATH: install it with apt-get install -y chromium (.ci/run does)")
}

// Open loads path in headless Chromium twice, once for the DOM and the
// console log and once for a width x height screenshot. It skips the test
// when Chromium is absent.
func Open(t testing.TB, path string, width, height int) *Page {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Skip(err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(abs)
	dir := t.TempDir()
	page := &Page{}

	var stdout, stderr bytes.Buffer
	run(t, bin, dir, &stdout, &stderr, "--dump-dom", "--enable-logging=stderr", "--v=0", url)
	page.DOM, page.Console = stdout.String(), stderr.String()

	shot := filepath.Join(dir, "screenshot.png")
	stdout.Reset()
	stderr.Reset()
	run(t, bin, dir, &stdout, &stderr, "--hide-scrollbars", "--screenshot="+shot, fmt.Sprintf("--window-size=%d,%d", width, height), url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v\n%s", err, stderr.String())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	page.Screenshot = img
	return page
}

func run(t testing.TB, bin, dir string, stdout, stderr *bytes.Buffer, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A profile of its own, so that concurrent test runs do not share one.
	base := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-extensions", "--user-data-dir=" + filepath.Join(dir, "profile")}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, stderr.String())
	}
}

// ScriptErrors lists what went wrong in the page's scripts: the error
// marker its window.onerror added, a script that never reached its end, and
// uncaught errors in the console log.
func (p *Page) ScriptErrors() []string {
	var errs []string
	if i := strings.Index(p.DOM, ErrorMarker); i >= 0 {
		errs = append(errs, "window.onerror: "+p.DOM[i:min(len(p.DOM), i+200)])
	}
	if !strings.Contains(p.DOM, ReadyAttribute) {
		errs = append(errs, "the page script did not finish (no "+ReadyAttribute+")")
	}
	for _, line := range strings.Split(p.Console, "\n") {
		if strings.Contains(line, "Uncaught") || (strings.Contains(line, "CONSOLE") && strings.Contains(line, "Error")) {
			errs = append(errs, line)
		}
	}
	return errs
}

// Ink counts the pixels of r that differ clearly from the background
// color bg: text, strokes and fills, to tell a drawn diagram from a blank
// one.
func (p *Page) Ink(r image.Rectangle, bg [3]uint8) int {
	n := 0
	r = r.Intersect(p.Screenshot.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := p.Screenshot.At(x, y).RGBA()
			d := absDiff(cr>>8, bg[0]) + absDiff(cg>>8, bg[1]) + absDiff(cb>>8, bg[2])
			if d > 24 {
				n++
			}
		}
	}
	return n
}

func absDiff(a uint32, b uint8) int {
	d := int(a) - int(b)
	if d < 0 {
		return -d
	}
	return d
}
