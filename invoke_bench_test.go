//go:build !lambdabinary

package sparta_test

import (
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkInvokeWarmLocal is the wall time of `invoke rollDie --local` as
// a process, with `local serve` running on the work directory's state so
// that the function is warm: the CLI's start, the STS check, Invoke and
// the print. Goal: at most 50 ms.
func BenchmarkInvokeWarmLocal(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "rolldie")
	if out, err := exec.Command("go", "build", "-o", bin, "./examples/rolldie").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	work := filepath.Join(dir, "work")
	port := 45000 + time.Now().Nanosecond()%10000
	serve := exec.Command(bin, "local", "serve", "--port", fmt.Sprint(port), "--state-dir", filepath.Join(work, "local"), "--level", "warn")
	if err := serve.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = serve.Process.Signal(syscall.SIGTERM); _ = serve.Wait() }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d", port)); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("local serve did not come up")
		}
	}
	run := func(args ...string) {
		cmd := exec.Command(bin, append(args, "--local", "--work-dir", work, "--level", "warn")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run("provision")
	run("invoke", "rollDie") // the cold start
	b.ResetTimer()
	for b.Loop() {
		run("invoke", "rollDie")
	}
}

// BenchmarkInvokeOffline is the wall time of `invoke rollDie --offline` as
// a process: the CLI's start and the handler called in-process.
func BenchmarkInvokeOffline(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "rolldie")
	if out, err := exec.Command("go", "build", "-o", bin, "./examples/rolldie").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for b.Loop() {
		if out, err := exec.Command(bin, "invoke", "rollDie", "--offline").CombinedOutput(); err != nil {
			b.Fatalf("invoke --offline: %v\n%s", err, out)
		}
	}
}
