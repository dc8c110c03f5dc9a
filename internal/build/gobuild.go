package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// LambdaBuildTag selects the Lambda side of the user's program: the binary
// that serves handlers and links no provisioning code.
const LambdaBuildTag = "lambdabinary"

// LambdaTags are the tags of a Lambda binary. lambda.norpc drops
// aws-lambda-go's net/rpc mode, which only the retired go1.x runtime used,
// and with it encoding/gob and text/template: about 0.7 MB of the zip.
var LambdaTags = []string{LambdaBuildTag, "lambda.norpc"}

// Options describe one cross-compilation.
type Options struct {
	// Package is the import path or directory of the main package.
	Package string
	// Dir is where `go build` runs; "" means the current directory.
	Dir string
	// GOARCH is the target architecture (arm64 or amd64).
	GOARCH string
	// GOOS is the target system; empty is linux, Lambda's. execute
	// --offline builds the Lambda build for the host to run a container's
	// command.
	GOOS string
	// Tags are build tags, such as LambdaBuildTag.
	Tags []string
	// Output is the path of the binary to write.
	Output string
}

// CompileError is a failed `go build`, carrying the compiler's output so the
// user sees exactly what the toolchain said.
type CompileError struct {
	Package string
	Output  string
	Err     error
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("compiling %s: %v\n%s", e.Package, e.Err, strings.TrimSpace(e.Output))
}

func (e *CompileError) Unwrap() error { return e.Err }

// Compile cross-compiles a static binary (Linux unless o.GOOS): CGO off, -trimpath and
// -buildvcs=false so that the bytes depend on the source only, and -s -w to
// drop symbol tables and DWARF, which Lambda never reads.
func Compile(ctx context.Context, o Options) error {
	if o.Package == "" || o.Output == "" || o.GOARCH == "" {
		return errors.New("build: Package, Output and GOARCH are required")
	}
	args := []string{"build", "-trimpath", "-buildvcs=false", "-ldflags", "-s -w", "-o", o.Output}
	if len(o.Tags) > 0 {
		args = append(args, "-tags", strings.Join(o.Tags, ","))
	}
	args = append(args, o.Package)
	env := append(os.Environ(), "GOOS="+o.goos(), "GOARCH="+o.GOARCH, "CGO_ENABLED=0", "GOFLAGS=")
	key := cacheKey(ctx, o, args, env)
	if fromCache(o, key) {
		return nil
	}
	cmd := exec.CommandContext(ctx, goTool(), args...)
	cmd.Dir = o.Dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		_ = os.Remove(o.Output)
		return &CompileError{Package: o.Package, Output: out.String(), Err: err}
	}
	toCache(o, key)
	return nil
}

func (o Options) goos() string {
	if o.GOOS == "" {
		return "linux"
	}
	return o.GOOS
}

// goTool is the go command of the toolchain that built this program when it
// can be found, so that the Lambda binary is built with the same Go version.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// MainPackage finds the main package of the running program. It prefers the
// import path recorded in the binary's build information; for `go run
// main.go` (recorded as command-line-arguments) it falls back to the
// directory of callerFile, the file that called MainEx.
func MainPackage(callerFile string) (string, error) {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Path != "" && bi.Path != "command-line-arguments" {
		return bi.Path, nil
	}
	if callerFile != "" && filepath.IsAbs(callerFile) && fileExists(callerFile) {
		return filepath.Dir(callerFile), nil
	}
	return "", errors.New("cannot tell which package to build: run the service with `go run .` (or `go run ./path/to/service`) from inside its module")
}
