package describe_test

import (
	"bytes"
	"github.com/sparta-go/sparta/internal/golden"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/describe"
	"github.com/sparta-go/sparta/step"
)

// TestGolden compares the Mermaid and DOT of rolldie and of the machine
// that uses every state type with testdata/golden, and checks that a
// second rendering gives the same bytes.
func TestGolden(t *testing.T) {
	machines := map[string]func(testing.TB) *step.StateMachine{"rolldie": rollDie, "every_state": everyState}
	formats := map[string]func(*step.StateMachine) string{"mmd": describe.Mermaid, "dot": describe.DOT}
	for name, build := range machines {
		for ext, render := range formats {
			t.Run(name+"."+ext, func(t *testing.T) {
				got := render(build(t))
				if again := render(build(t)); again != got {
					t.Fatalf("two renderings differ:\n%s", cmp.Diff(got, again))
				}
				golden.Text(t, filepath.Join("testdata", "golden", name+"."+ext), []byte(got))
			})
		}
	}
}

// TestMermaidShowsTheMachine checks the parts a reader relies on, so that
// a golden update cannot silently drop them.
func TestMermaidShowsTheMachine(t *testing.T) {
	got := describe.Mermaid(everyState(t))
	for _, want := range []string{
		`s1["Start"]`,                                   // Pass: rectangle
		`s2("Charge<br/>Lambda charge<br/>`,             // Task: rounded, with its function
		`s3{"Route"}`,                                   // Choice: rhombus
		`subgraph s4 ["PARALLEL Checks"]`,               // Parallel: a group of branches
		`subgraph s4_b0 ["BRANCH 1"]`,                   //
		`{{"Cooldown<br/>wait seconds at $.cooldown"}}`, // Wait: hexagon
		`subgraph s8 ["MAP EachItem"]`,                  // Map: a group
		`(["Done"])`,                                    // Succeed: stadium
		`>"Failed<br/>OrderFailed"]`,                    // Fail: flag
		`$.items is present and ($.tier == #quot;gold#quot; or $.total #gt;= 100)`,
		`-.->|"Default"|`,
		`-.->|"Catch FraudSuspected, States.Timeout"|`,
		"retry x5: Lambda.ServiceException",
		"or $.deadline #lt; 2030-01-02T03:04:05Z", // merged rules to one target
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Mermaid lacks %q:\n%s", want, got)
		}
	}
}

// TestHighlightPath draws an execution's path: the states it entered and
// the transitions between consecutive ones are marked, nothing else.
func TestHighlightPath(t *testing.T) {
	path := []string{"lambdaRollDie", "checkRoll", "tryAgainShortly", "lambdaRollDie", "checkRoll", "success"}
	svg := string(describe.MachineSVG(rollDie(t), path))
	if !strings.Contains(svg, `class="dg has-path"`) {
		t.Errorf("the diagram is not marked as showing a path")
	}
	visited := map[string]bool{}
	for _, m := range regexp.MustCompile(`class="node [a-z ]*visited"[^>]*data-state="([^"]+)"`).FindAllStringSubmatch(svg, -1) {
		visited[m[1]] = true
	}
	want := map[string]bool{"lambdaRollDie": true, "checkRoll": true, "tryAgainShortly": true, "success": true}
	if diff := cmp.Diff(want, visited); diff != "" {
		t.Errorf("visited states (-want +got):\n%s", diff)
	}
	edges := regexp.MustCompile(`class="edge [a-z]+ visited" data-from="([a-z0-9]+)" data-to="([a-z0-9]+)"`).FindAllStringSubmatch(svg, -1)
	var got []string
	for _, e := range edges {
		got = append(got, e[1]+"->"+e[2])
	}
	// start, lambdaRollDie s1, checkRoll s2, tryAgainShortly s3, success s4.
	wantEdges := []string{"start->s1", "s1->s2", "s2->s3", "s2->s4", "s3->s1", "s4->finish"}
	if diff := cmp.Diff(wantEdges, got); diff != "" {
		t.Errorf("visited edges (-want +got):\n%s", diff)
	}
	if plain := string(describe.MachineSVG(rollDie(t), nil)); strings.Contains(plain, ` visited"`) || strings.Contains(plain, `class="dg has-path"`) {
		t.Errorf("a diagram without a path marks something visited")
	}
}

func TestWriteHTML(t *testing.T) {
	template, err := os.ReadFile(filepath.Join("testdata", "dragons.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	svc := describe.Service{Name: "Dragons", Description: "Dragon <sighting> reports", Template: template,
		StateMachines: []*step.StateMachine{rollDie(t), everyState(t)}}
	opts := describe.Options{Status: "UPDATE_COMPLETE", Executions: map[string]describe.Execution{
		"RollDie": {Name: "run-1", Status: "SUCCEEDED", Path: []string{"lambdaRollDie", "checkRoll", "success"}},
	}}
	var a, b bytes.Buffer
	if err := describe.WriteHTML(&a, svc, opts); err != nil {
		t.Fatal(err)
	}
	if err := describe.WriteHTML(&b, svc, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("two reports of the same service differ")
	}
	page := a.String()
	for _, want := range []string{
		"Dragon &lt;sighting&gt; reports", // escaped
		`<span class="status ok" title="stack status">UPDATE_COMPLETE</span>`,
		`id="sm1-RollDie"`,
		`class="dg has-path"`,
		`id="stack"`,
		"AWS::Lambda",
		"Dragons-root_addDragon", "128 MB (default)", "arm64",
		"lambda:InvokeFunction", "sns:Publish",
		`<details class="jf" open>`,
		`data-report-ready`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "<link", "src="} {
		if i := strings.Index(page, bad); i >= 0 && !strings.Contains(page[max(0, i-30):i], "xmlns") {
			t.Errorf("the report refers outside itself: %q near %q", bad, page[max(0, i-40):min(len(page), i+40)])
		}
	}
}

func TestWriteHTMLRejectsABrokenTemplate(t *testing.T) {
	err := describe.WriteHTML(&bytes.Buffer{}, describe.Service{Name: "Broken", Template: []byte("{")}, describe.Options{})
	if err == nil || !strings.Contains(err.Error(), `describe Broken: decoding the template`) {
		t.Errorf("WriteHTML(broken template) = %v, want a decoding error naming the service", err)
	}
}

// BenchmarkDescribe500 draws a machine of about 500 states, the size the
// describe goal (under a second) is stated for.
func BenchmarkDescribe500(b *testing.B) {
	sm := bigMachine(b, 500)
	count := 0
	sm.Walk(func(step.State, step.State) bool { count++; return true })
	b.ReportMetric(float64(count), "states")
	for b.Loop() {
		if err := describe.WriteHTML(&bytes.Buffer{}, describe.Service{Name: "Big", StateMachines: []*step.StateMachine{sm}}, describe.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
