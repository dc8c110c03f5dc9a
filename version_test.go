//go:build !lambdabinary

package sparta_test

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	sparta "github.com/sparta-go/sparta"
)

func TestVersion(t *testing.T) {
	out, err := runCLI(t, "./examples/rolldie", "version")
	if err != nil {
		t.Fatalf("version: %v\n%s", err, out)
	}
	for _, want := range []string{"Sparta " + sparta.Version + " (" + runtime.Version(), "main:     github.com/sparta-go/sparta/examples/rolldie", "modules:  "} {
		if !strings.Contains(out, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, "./examples/rolldie", "version", "--format", "json")
	var v struct {
		Framework, Go, Main string
		Deps                []string
	}
	if err != nil || json.Unmarshal([]byte(out), &v) != nil || v.Framework != sparta.Version || v.Go != runtime.Version() || len(v.Deps) == 0 {
		t.Errorf("version --format json = %+v (%v):\n%s", v, err, out)
	}
}
