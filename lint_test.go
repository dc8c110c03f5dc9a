//go:build !lambdabinary

package sparta_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cfnlint"
	"github.com/sparta-go/sparta/step"
)

// programsWithoutTemplate are the programs that make no template on
// purpose, and why; every other examples/* and testdata/* program must
// provision --noop cleanly.
var programsWithoutTemplate = map[string]string{
	"testdata/invalid": "its service has mistakes that provision reports before building",
	"testdata/broken":  "it does not compile",
}

// templatesWrongOnPurpose are testdata templates that break
// CloudFormation's rules on purpose (a test of the refusal), by path, and
// why; none today. Every other template in a testdata directory is linted.
var templatesWrongOnPurpose = map[string]string{}

// templateFile matches the names templates in a testdata directory have:
// goldens, templates written by provision, and hand-written test stacks.
var templateFile = regexp.MustCompile(`(\.golden\.json|-cftemplate\.json|\.template\.json|\.ya?ml)$`)

// TestEveryTemplateLints holds every template the framework emits to
// CloudFormation's own rules (cfn-lint with AWS's current schemas, no
// error and no warning): each example's and testdata program's, made as
// `provision --noop` makes it, and every template in a testdata directory.
// Every state machine definition in them, and every ASL golden, must pass
// step's validator and the ASL schema (see cfnlint.CheckASL). Without
// cfn-lint the template part skips, saying so, except under CI=true.
func TestEveryTemplateLints(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every example: not in -short")
	}
	var programs []string
	for _, pattern := range []string{"examples/*/main.go", "testdata/*/main.go"} {
		found, _ := filepath.Glob(pattern)
		for _, f := range found {
			programs = append(programs, filepath.ToSlash(filepath.Dir(f)))
		}
	}
	sort.Strings(programs)
	arch := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[runtime.GOARCH]
	var templates []string
	for _, p := range programs {
		if why, skip := programsWithoutTemplate[p]; skip {
			t.Logf("%s: no template (%s)", p, why)
			continue
		}
		work := t.TempDir()
		out, err := exec.Command(cliBinary(t, "./"+p), "provision", "--noop", "--s3Bucket", "artifacts", "--arch", arch, "--work-dir", work).CombinedOutput()
		if err != nil {
			t.Errorf("%s: provision --noop: %v\n%s", p, err, out)
			continue
		}
		made, _ := filepath.Glob(filepath.Join(work, "*-cftemplate.json"))
		if len(made) != 1 {
			t.Errorf("%s: provision --noop wrote templates %v, want one", p, made)
			continue
		}
		// Name the copy after the program, so that findings say whose it is.
		named := filepath.Join(t.TempDir(), strings.ReplaceAll(p, "/", "_")+"-cftemplate.json")
		if err := copyFile(made[0], named); err != nil {
			t.Fatal(err)
		}
		templates = append(templates, named)
	}
	var asl []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == ".sparta") {
			return filepath.SkipDir
		}
		slash := filepath.ToSlash(path)
		if d.IsDir() || !strings.Contains(slash, "testdata/") {
			return nil
		}
		if strings.HasSuffix(slash, ".asl.json") && strings.Contains(slash, "/golden/") {
			asl = append(asl, path)
		}
		if why, skip := templatesWrongOnPurpose[slash]; skip {
			t.Logf("%s: not linted (%s)", slash, why)
			return nil
		}
		if templateFile.MatchString(slash) && isTemplate(path) {
			templates = append(templates, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(templates) < len(programs) || len(asl) == 0 {
		t.Fatalf("found %d templates and %d ASL goldens: the walk is broken", len(templates), len(asl))
	}

	machines := 0
	for _, path := range templates {
		for id, m := range stateMachineDefinitions(t, path) {
			machines++
			checkDefinition(t, path+": "+id, m.definition, m.lambdaPlaceholders)
		}
	}
	for _, path := range asl {
		def, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkDefinition(t, path, def, nil)
	}
	t.Logf("%d templates (%d programs), %d state machines in them, %d ASL goldens", len(templates), len(programs)-len(programsWithoutTemplate), machines, len(asl))
	cfnlint.Check(t, templates...)
}

// checkDefinition runs an ASL definition through step's parser and
// validator, and then, its Task placeholders bound, through the ASL
// schema. lambdas are the placeholders the template binds to a Lambda
// function's ARN (nil: an ASL golden, whose Task placeholders are all
// functions, as the decorator writes them).
func checkDefinition(t *testing.T, where string, def []byte, lambdas map[string]bool) {
	t.Helper()
	sm, err := step.FromJSON(def)
	if err == nil {
		err = sm.WithName("Linted").Validate()
	}
	if err != nil {
		t.Errorf("%s: step validator: %v", where, err)
	}
	bound, err := bindTaskPlaceholders(def, lambdas)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	if err := cfnlint.CheckASL(bound); err != nil {
		t.Errorf("%s: %v", where, err)
	}
}

var wholePlaceholder = regexp.MustCompile(`^\$\{([A-Za-z0-9_]+)\}$`)

// bindTaskPlaceholders replaces a Task's Resource "${Name}" with the ARN
// of a function, as DefinitionSubstitutions do at deploy time: the schema
// holds a Task's Resource to an ARN's shape.
func bindTaskPlaceholders(def []byte, lambdas map[string]bool) ([]byte, error) {
	var doc any
	if err := json.Unmarshal(def, &doc); err != nil {
		return nil, err
	}
	var problem error
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["Type"] == "Task" {
				if r, ok := x["Resource"].(string); ok {
					if m := wholePlaceholder.FindStringSubmatch(r); m != nil {
						if lambdas != nil && !lambdas[m[1]] {
							problem = fmt.Errorf("Task Resource %s is not bound to a Lambda function's ARN by DefinitionSubstitutions", r)
						}
						x["Resource"] = "arn:aws:lambda:us-east-1:123456789012:function:" + m[1]
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	if problem != nil {
		return nil, problem
	}
	return json.Marshal(doc)
}

// machineDefinition is a state machine's ASL as a template holds it, and
// which of its placeholders DefinitionSubstitutions bind to a Lambda
// function's ARN.
type machineDefinition struct {
	definition         []byte
	lambdaPlaceholders map[string]bool
}

// stateMachineDefinitions returns the ASL of every
// AWS::StepFunctions::StateMachine in a template, by logical ID: its
// DefinitionString (placeholders stay, as DefinitionSubstitutions bind
// them at deploy time) or its Definition object.
func stateMachineDefinitions(t *testing.T, path string) map[string]machineDefinition {
	t.Helper()
	if !strings.HasSuffix(path, ".json") {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := cfn.Decode(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	resources, _ := doc["Resources"].(map[string]any)
	typeOf := func(id string) any {
		r, _ := resources[id].(map[string]any)
		return r["Type"]
	}
	out := map[string]machineDefinition{}
	for id, r := range resources {
		res, _ := r.(map[string]any)
		if res["Type"] != "AWS::StepFunctions::StateMachine" {
			continue
		}
		props, _ := res["Properties"].(map[string]any)
		lambdas := map[string]bool{}
		subs, _ := props["DefinitionSubstitutions"].(map[string]any)
		for name, v := range subs {
			ga, _ := v.(map[string]any)["Fn::GetAtt"].([]any)
			if len(ga) == 2 && ga[1] == "Arn" && typeOf(fmt.Sprint(ga[0])) == "AWS::Lambda::Function" {
				lambdas[name] = true
			}
		}
		var def []byte
		switch {
		case props["DefinitionString"] != nil:
			s, ok := props["DefinitionString"].(string)
			if !ok {
				t.Errorf("%s: %s: DefinitionString is %T, want the definition as a string", path, id, props["DefinitionString"])
				continue
			}
			def = []byte(s)
		case props["Definition"] != nil:
			def, _ = json.Marshal(props["Definition"])
		default:
			t.Errorf("%s: %s has neither DefinitionString nor Definition", path, id)
			continue
		}
		out[id] = machineDefinition{def, lambdas}
	}
	return out
}

// isTemplate reports whether a JSON or YAML file is a CloudFormation
// template (it has a top-level Resources section).
func isTemplate(path string) bool {
	raw, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	if strings.HasSuffix(path, ".json") {
		var doc map[string]json.RawMessage
		return json.Unmarshal(raw, &doc) == nil && doc["Resources"] != nil
	}
	return regexp.MustCompile(`(?m)^Resources:`).Match(raw)
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
