//go:build !lambdabinary

package sparta_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkProvisionNoopRolldie is the wall time of `provision --noop` for
// rolldie on a warm build cache: validate, cross-compile (cached), zip,
// decorate, render and write. Goal: at most 3 s.
func BenchmarkProvisionNoopRolldie(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "rolldie")
	if out, err := exec.Command("go", "build", "-o", bin, "./examples/rolldie").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	run := func() {
		cmd := exec.Command(bin, "provision", "--noop", "--work-dir", filepath.Join(dir, "work"), "--level", "warn")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
	run() // warm the build cache
	b.ResetTimer()
	for b.Loop() {
		run()
	}
}
