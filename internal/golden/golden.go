// Package golden compares test output with golden files in testdata, and
// rewrites them, on purpose only, when the test runs with -update.
package golden

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files with the current output")

// Read returns the golden file at path, first writing got to it when the
// test runs with -update.
func Read(t testing.TB, path string, got []byte) []byte {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	return want
}

// JSON compares got with the golden JSON file at path as JSON values, so
// that spacing does not matter, reporting a diff; it returns the golden
// bytes for further checks.
func JSON(t testing.TB, path string, got []byte) []byte {
	t.Helper()
	want := Read(t, path, got)
	if diff := cmp.Diff(Decode(t, want), Decode(t, got)); diff != "" {
		t.Errorf("output differs from %s (-golden +got):\n%s", path, diff)
	}
	return want
}

// Text compares got with the golden file at path byte for byte.
func Text(t testing.TB, path string, got []byte) {
	t.Helper()
	want := Read(t, path, got)
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("output differs from %s (-golden +got):\n%s", path, diff)
	}
}

// Decode parses JSON for a semantic comparison.
func Decode(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}
