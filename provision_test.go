//go:build !lambdabinary

package sparta_test

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cfnlint"
)

// cliBinary builds the CLI side of a main package once per test run.
var cliBinaries sync.Map

func cliBinary(t *testing.T, pkg string) string {
	t.Helper()
	if p, ok := cliBinaries.Load(pkg); ok {
		return p.(string)
	}
	out := filepath.Join(testTempDir, strings.ReplaceAll(pkg, "/", "_"))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	cliBinaries.Store(pkg, out)
	return out
}

var testTempDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sparta-test-")
	if err != nil {
		panic(err)
	}
	testTempDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCLI runs a service's CLI from the module root, as a user would.
func runCLI(t *testing.T, pkg string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(cliBinary(t, pkg), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func TestProvisionNoopRolldie(t *testing.T) {
	work1, work2 := t.TempDir(), t.TempDir()
	for _, w := range []string{work1, work2} {
		if out, err := runCLI(t, "./examples/rolldie", "provision", "--noop", "--work-dir", w, "--s3Bucket", "artifacts"); err != nil {
			t.Fatalf("provision --noop: %v\n%s", err, out)
		}
	}
	templates, _ := filepath.Glob(filepath.Join(work1, "*-cftemplate.json"))
	zips, _ := filepath.Glob(filepath.Join(work1, "*-arm64.zip"))
	if len(templates) != 1 || len(zips) != 1 {
		t.Fatalf("work dir holds templates %v and zips %v, want one of each", templates, zips)
	}
	for _, f := range []string{templates[0], zips[0]} {
		a, _ := os.ReadFile(f)
		b, _ := os.ReadFile(filepath.Join(work2, filepath.Base(f)))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two provisions of the same code", filepath.Base(f))
		}
	}

	// CloudFormation's own rules, not only ours: cfn-lint with AWS's schemas.
	cfnlint.Check(t, templates[0])
	tmpl, _ := os.ReadFile(templates[0])
	doc, err := cfn.Decode(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	resources := doc["Resources"].(map[string]any)
	for _, id := range []string{cfn.FunctionLogicalID("rollDie"), cfn.LogicalID("rollDie", "Role"), cfn.LogicalID("rollDie", "LogGroup")} {
		if _, ok := resources[id]; !ok {
			t.Errorf("template lacks resource %s; has %v", id, keys(resources))
		}
	}
	fn := resources[cfn.FunctionLogicalID("rollDie")].(map[string]any)["Properties"].(map[string]any)
	key := fn["Code"].(map[string]any)["S3Key"].(string)
	if !strings.HasPrefix(key, "sparta/") || !strings.Contains(key, "arm64-") || len(key) < 64 {
		t.Errorf("S3Key = %q, want it to carry the zip's SHA-256", key)
	}

	checkBootstrap(t, zips[0], elf.EM_AARCH64)
}

// checkBootstrap asserts the zip holds one executable Linux ELF for the
// architecture, and that the binary links no provisioning code.
func checkBootstrap(t *testing.T, zipPath string, machine elf.Machine) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" {
		t.Fatalf("zip entries = %v, want just bootstrap", zr.File)
	}
	f := zr.File[0]
	if f.Mode().Perm() != 0o755 {
		t.Errorf("bootstrap mode = %v, want 0755", f.Mode())
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	rc.Close()
	ef, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("bootstrap is not an ELF: %v", err)
	}
	if ef.Machine != machine || ef.OSABI != elf.ELFOSABI_NONE && ef.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("bootstrap is %v/%v, want %v Linux", ef.Machine, ef.OSABI, machine)
	}
	// The build info lists every module linked into the binary, even in a
	// stripped one, so it is the honest check of what the binary contains.
	bin := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	// cobra and logrus are linked on purpose, as in Sparta: outside Lambda
	// the binary runs the program's own commands (a Fargate task's), and
	// sparta.OptionsGlobal.Logger exists in both builds.
	for _, banned := range []string{"goformation", "aws-sdk-go-v2", "docker"} {
		if strings.Contains(string(out), banned) {
			t.Errorf("the Lambda binary links %s:\n%s", banned, out)
		}
	}
}

func TestProvisionReportsAllProblemsBeforeBuilding(t *testing.T) {
	work := t.TempDir()
	out, err := runCLI(t, "./testdata/invalid", "provision", "--noop", "--work-dir", work)
	if err == nil {
		t.Fatalf("provision of an invalid service succeeded:\n%s", out)
	}
	for _, want := range []string{
		`function "twice": declared twice`,
		`function "big": options: MemorySize 64 MB is out of range`,
		`function "big": options: Timeout 1200 seconds is out of range`,
		`function "shape": handler func(string)`,
		`service decorator 0 (state machine "Broken"): state machine "Broken": state "pick" (Choice)`,
		`service decorator 0 (state machine "Broken"): state machine "Broken": state "call" (Task): Catch[0].ErrorEquals: States.ALL`,
		`state machine "Lonely": state "callOrphan" (Task): function "orphan" is not one of the service's functions; add it to the lambdas you pass to sparta.MainEx`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// describe and execute --offline run the same validation first.
	for _, args := range [][]string{{"describe"}, {"execute", "--offline", "--state-machine", "Lonely"}} {
		out, err := runCLI(t, "./testdata/invalid", append(args, "--work-dir", work)...)
		if err == nil || !strings.Contains(out, `function "orphan" is not one of the service's functions; add it to the lambdas you pass to sparta.MainEx`) ||
			!strings.Contains(out, `function "big": options: Timeout 1200 seconds is out of range: use 1 to 900 seconds`) {
			t.Errorf("%v of an invalid service = %v, want the validation errors:\n%s", args, err, out)
		}
	}
	if strings.Contains(out, "Compiling") {
		t.Errorf("provision compiled an invalid service:\n%s", out)
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("work dir holds %v after a failed validation, want nothing", entries)
	}
}

func TestProvisionShowsCompilerOutput(t *testing.T) {
	work := t.TempDir()
	out, err := runCLI(t, "./testdata/broken", "provision", "--noop", "--work-dir", work)
	if err == nil {
		t.Fatalf("provision of a service that does not compile succeeded:\n%s", out)
	}
	if !strings.Contains(out, "lambda_only.go") || !strings.Contains(out, "cannot use") {
		t.Errorf("output lacks the compiler's message:\n%s", out)
	}
	if zips, _ := filepath.Glob(filepath.Join(work, "*.zip")); len(zips) != 0 {
		t.Errorf("a failed build left %v behind", zips)
	}
}

func TestProvisionRejectsBadFlags(t *testing.T) {
	out, err := runCLI(t, "./examples/rolldie", "provision", "--noop", "--arch", "sparc", "--work-dir", t.TempDir())
	if err == nil || !strings.Contains(out, `--arch: architecture "sparc"`) {
		t.Fatalf("provision --arch sparc = %v:\n%s", err, out)
	}
	out, err = runCLI(t, "./examples/rolldie", "provision", "--noop", "--format", "xml")
	if err == nil || !strings.Contains(out, `--format "xml"`) {
		t.Fatalf("--format xml = %v:\n%s", err, out)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var _ = context.Background
