package step_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sparta-go/sparta/step"
)

// FuzzFromJSON feeds arbitrary bytes to FromJSON, and whatever parses to
// Validate, MarshalJSON and FromJSON again: none may panic, and a parsed
// definition must marshal.
func FuzzFromJSON(f *testing.F) {
	for _, dir := range []string{"testdata/aws", "testdata/golden"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"And":[]},"Next":"A"}]}}}`))
	f.Add([]byte(`{"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"X","States":{}},"End":true}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, err := step.FromJSON(data)
		if err != nil {
			return
		}
		_ = sm.Validate()
		out, err := sm.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of a parsed definition: %v\n%s", err, data)
		}
		if _, err := step.FromJSON(out); err != nil {
			t.Fatalf("FromJSON(MarshalJSON()) = %v\nin:  %s\nout: %s", err, data, out)
		}
	})
}
