package build_test

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/internal/build"
)

// TestCompileRequiresFields: each of Package, Output and GOARCH missing.
func TestCompileRequiresFields(t *testing.T) {
	ok := build.Options{Package: "./testdata/hello", Output: filepath.Join(t.TempDir(), "bin"), GOARCH: "amd64"}
	tests := []struct {
		name string
		edit func(*build.Options)
	}{
		{"no Package", func(o *build.Options) { o.Package = "" }},
		{"no Output", func(o *build.Options) { o.Output = "" }},
		{"no GOARCH", func(o *build.Options) { o.GOARCH = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.edit(&o)
			err := build.Compile(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), "Package, Output and GOARCH are required") {
				t.Errorf("Compile(%+v) = %v, want the required fields named", o, err)
			}
		})
	}
}

// TestCompile cross-compiles a static Linux binary for each architecture,
// with and without the Lambda tag, and with cgo off even when the
// environment turns it on.
func TestCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	t.Setenv("CGO_ENABLED", "1")
	tests := []struct {
		name    string
		goarch  string
		tags    []string
		machine elf.Machine
		marker  string
	}{
		{"amd64 without tags", "amd64", nil, elf.EM_X86_64, "marker-without-lambdabinary-tag"},
		{"arm64 with the Lambda tags", "arm64", build.LambdaTags, elf.EM_AARCH64, "marker-with-lambdabinary-tag"},
		{"the Lambda tag second of two", "amd64", []string{"othertag", build.LambdaBuildTag}, elf.EM_X86_64, "marker-with-lambdabinary-tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "bootstrap")
			err := build.Compile(context.Background(), build.Options{Package: "./testdata/hello", GOARCH: tt.goarch, Tags: tt.tags, Output: out})
			if err != nil {
				t.Fatalf("Compile = %v", err)
			}
			f, err := elf.Open(out)
			if err != nil {
				t.Fatalf("output is not an ELF binary: %v", err)
			}
			defer f.Close()
			if f.Machine != tt.machine || f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX {
				t.Errorf("binary is %v/%v, want %v for Linux", f.Machine, f.OSABI, tt.machine)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Error("binary has an ELF interpreter: it is not static (cgo on?)")
				}
			}
			if f.Section(".symtab") != nil {
				t.Error("binary keeps its symbol table: -s was not applied")
			}
			b, _ := os.ReadFile(out)
			if !bytes.Contains(b, []byte(tt.marker)) {
				t.Errorf("binary lacks %q: the tags were not applied as asked", tt.marker)
			}
			if !bytes.Contains(b, []byte("marker-cgo-disabled")) {
				t.Error("binary was built with cgo on")
			}
			if src, _ := filepath.Abs("testdata/hello"); bytes.Contains(b, []byte(src)) {
				t.Errorf("binary holds the source directory %s: -trimpath was not applied", src)
			}
		})
	}
}

// TestCompileInDir resolves a relative package from Dir, not from the
// current directory.
func TestCompileInDir(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	out := filepath.Join(t.TempDir(), "bin")
	if err := build.Compile(context.Background(), build.Options{Package: ".", Dir: "testdata/hello", GOARCH: "amd64", Output: out}); err != nil {
		t.Fatalf("Compile in Dir = %v", err)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.Contains(b, []byte("marker-without-lambdabinary-tag")) {
		t.Errorf("no binary of testdata/hello (%v): Dir was not used", err)
	}
}

// TestCompileFailure returns the compiler's own message in a
// *CompileError, and leaves no binary behind, not even a stale one.
func TestCompileFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	out := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(out, []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := build.Compile(context.Background(), build.Options{Package: "./testdata/broken", GOARCH: "amd64", Output: out})
	var ce *build.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Compile = %v (%T), want a *CompileError", err, err)
	}
	if ce.Package != "./testdata/broken" || !strings.Contains(ce.Output, "undefinedFunctionForTheTest") {
		t.Errorf("CompileError = %+v, want the package and the compiler's message", ce)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "compiling ./testdata/broken: ") || !strings.Contains(msg, "undefined: undefinedFunctionForTheTest") {
		t.Errorf("Error() = %q, want the package and the compiler's message", msg)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Errorf("Compile = %v, want it to wrap the go command's *exec.ExitError", err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Errorf("output after a failed build: %v, want it removed", statErr)
	}
}

// TestCompileCancelled stops with the context.
func TestCompileCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := build.Compile(ctx, build.Options{Package: "./testdata/hello", GOARCH: "amd64", Output: filepath.Join(t.TempDir(), "bin")})
	var ce *build.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Compile with a cancelled context = %v, want a *CompileError", err)
	}
}

// TestMainPackage runs a program that asks MainPackage about itself, once
// as a package (`go run ./dir`: its import path) and once as a file (`go run
// main.go`: command-line-arguments, so the caller's directory).
func TestMainPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run")
	}
	dir, err := filepath.Abs("testdata/whoami")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"as a package", []string{"run", "./testdata/whoami"}, []string{
			`"main.go" -> "github.com/sparta-go/sparta/internal/build/testdata/whoami" false "github.com/sparta-go/sparta/internal/build/testdata/whoami"`,
			`"." -> "github.com/sparta-go/sparta/internal/build/testdata/whoami" false`,
		}},
		{"as a file", []string{"run", "testdata/whoami/main.go"}, []string{
			`"main.go" -> "` + dir + `" false "` + dir + `"`,
			`"." -> "" true ""`,
			`"main.go" -> "" true ""`,
			`"missing.go" -> "" true ""`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("go", tt.args...)
			cmd.Env = append(os.Environ(), "GOFLAGS=")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go %v: %v\n%s", tt.args, err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("go %v printed\n%s\nwant a line containing %s", tt.args, out, w)
				}
			}
		})
	}
}
