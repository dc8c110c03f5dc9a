//go:build !lambdabinary

package sparta_test

import (
	"fmt"
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

// BenchmarkLocalRolldie times the deploy workflow on the local cloud with a
// warm build cache: a first provision (new cloud state), an unchanged
// re-provision (goal: at most 1 s; the Lambda binary and zip are reused)
// and a delete. Each is a whole CLI run, the
// in-process cloud's start and stop included.
func BenchmarkLocalRolldie(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "rolldie")
	if out, err := exec.Command("go", "build", "-o", bin, "./examples/rolldie").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	run := func(work string, args ...string) {
		cmd := exec.Command(bin, append(args, "--local", "--work-dir", work, "--level", "warn")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run(filepath.Join(dir, "warm"), "provision") // warm the build cache
	b.Run("first-provision", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			run(filepath.Join(dir, fmt.Sprint("first", i)), "provision")
		}
	})
	b.Run("unchanged-provision", func(b *testing.B) {
		for b.Loop() {
			run(filepath.Join(dir, "warm"), "provision")
		}
	})
	b.Run("provision-then-delete", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			work := filepath.Join(dir, fmt.Sprint("delete", i))
			run(work, "provision")
			run(work, "delete")
		}
	})
}
