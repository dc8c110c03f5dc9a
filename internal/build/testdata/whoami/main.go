// Command whoami prints what build.MainPackage says about itself, for the
// build package's tests: run it with `go run .` and `go run main.go`.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/sparta-go/sparta/internal/build"
)

func main() {
	_, file, _, _ := runtime.Caller(0)
	for _, caller := range []string{file, "", "main.go", filepath.Join(filepath.Dir(file), "missing.go")} {
		pkg, err := build.MainPackage(caller)
		fmt.Printf("%q -> %q %v %q\n", filepath.Base(caller), pkg, err != nil, build.MainPackageOf(caller))
	}
	os.Exit(0)
}
