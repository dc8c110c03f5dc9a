//go:build !lambdabinary

package sparta_test

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/describe/browsertest"
)

// TestDescribeReport writes the report of each example twice, from the
// code alone, and opens it in headless Chromium: the page's script runs
// without error and the first diagram is drawn.
func TestDescribeReport(t *testing.T) {
	for _, ex := range []struct{ pkg, machine string }{
		{"./examples/rolldie", "RollDie"},
		{"./examples/dragons", "DragonSightings"},
	} {
		t.Run(filepath.Base(ex.pkg), func(t *testing.T) {
			dir := t.TempDir()
			var reports [2][]byte
			for i := range reports {
				out := filepath.Join(dir, "report.html")
				if o, err := runCLI(t, ex.pkg, "describe", "--out", out); err != nil {
					t.Fatalf("describe: %v\n%s", err, o)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				reports[i] = b
			}
			if !bytes.Equal(reports[0], reports[1]) {
				t.Errorf("two reports of the same code differ")
			}
			page := string(reports[0])
			for _, want := range []string{"State machine " + ex.machine, `<svg xmlns="http://www.w3.org/2000/svg" id="stack"`, "AWS::Lambda::Function", "Lambda functions", "IAM roles"} {
				if !strings.Contains(page, want) {
					t.Errorf("the report lacks %q", want)
				}
			}

			p := browsertest.Open(t, filepath.Join(dir, "report.html"), 1400, 1000)
			for _, e := range p.ScriptErrors() {
				t.Errorf("script error: %s", e)
			}
			// The first diagram sits below the header, title, legend and
			// toolbar (about 290 px down) in a white box; on a blank one
			// only the box's border would show.
			diagram := image.Rect(60, 300, 950, 1000)
			if ink := p.Ink(diagram, [3]uint8{255, 255, 255}); ink < 5000 {
				t.Errorf("the diagram area %v of the screenshot is blank: %d drawn pixels, want at least 5000", diagram, ink)
			}
		})
	}
}

func TestDescribeFormats(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"describe", "--format", "mermaid"}, []string{"flowchart TD", `s2{"checkRoll"}`, `s2 -->|"not ($.roll #gt; 3)"| s3`, `s2 -.->|"Default"| s4`}},
		{[]string{"describe", "--format", "dot"}, []string{`digraph "RollDie" {`, `s2 -> s3 [label="not ($.roll > 3)"`}},
		{[]string{"describe", "--format", "asl", "--state-machine", "RollDie"}, []string{`"StartAt": "lambdaRollDie"`, `"NumericGreaterThan": 3`}},
	}
	for _, tt := range tests {
		out, err := runCLI(t, "./examples/rolldie", tt.args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", tt.args, err, out)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
	}
}

func TestDescribeFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"describe", "--format", "png"}, `--format "png": describe writes html (the default), mermaid, dot or asl`},
		{[]string{"describe", "--format", "dot", "--state-machine", "Nope"}, `--state-machine "Nope": service`},
		{[]string{"describe", "--format", "dot", "--out", "x.dot"}, "--out writes the HTML report"},
	}
	for _, tt := range tests {
		out, err := runCLI(t, "./examples/rolldie", tt.args...)
		if err == nil || !strings.Contains(out, tt.want) {
			t.Errorf("%v = %v:\n%s\nwant %q", tt.args, err, out, tt.want)
		}
	}
}

// TestDescribeDefaultOut writes the report under the work directory when
// --out is not given.
func TestDescribeDefaultOut(t *testing.T) {
	work := t.TempDir()
	out, err := runCLI(t, "./examples/rolldie", "describe", "--work-dir", work)
	if err != nil {
		t.Fatalf("describe: %v\n%s", err, out)
	}
	matches, _ := filepath.Glob(filepath.Join(work, "*-describe.html"))
	if len(matches) != 1 || !strings.Contains(out, "file://") {
		t.Errorf("describe wrote %v and said:\n%s\nwant one <service>-describe.html in --work-dir and where to open it", matches, out)
	}
}
