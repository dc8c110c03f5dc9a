package step

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

// TestWirePresentIsWhatIsNotZero checks the reader's present bits against
// what they stand for: the wire fields whose value is not the zero value,
// which is what the parser refuses on a state type that lacks the field.
func TestWirePresentIsWhatIsNotZero(t *testing.T) {
	defs := []string{
		`{"StartAt":"A","States":{"A":{"Type":"Pass","Comment":"","Next":null,"End":false,"Result":false,"InputPath":null,"Retry":[],"Catch":null,"Branches":[],"ItemProcessor":null,"Parameters":{},"Seconds":0}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"ResultPath":"$.x","Iterator":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"Choices":[]}}}`,
	}
	for _, dir := range []string{"testdata/aws", "testdata/golden"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			defs = append(defs, string(b))
		}
	}
	for _, def := range defs {
		v, order, err := jsonvalue.DecodeKeepingOrder(def, "States")
		if err != nil {
			t.Fatal(err)
		}
		r := &wireReader{order: order}
		var check func(sr statesRead)
		check = func(sr statesRead) {
			for _, name := range sr.names {
				w := r.state(name, sr.m[name], 0)
				fields := reflect.ValueOf(w).Elem()
				var want uint64
				for i := range wireFieldNames {
					if !fields.Field(i).IsZero() {
						want |= 1 << i
					}
				}
				if w.present != want {
					t.Errorf("state %q: present %b, want %b", name, w.present, want)
				}
				var nested []statesRead
				for _, b := range w.Branches {
					nested = append(nested, b.read)
				}
				if w.ItemProcessor != nil {
					nested = append(nested, w.ItemProcessor.read)
				}
				if w.Iterator != nil {
					nested = append(nested, w.Iterator.read)
				}
				for _, n := range nested {
					check(n)
				}
			}
		}
		check(r.machine(v).read)
	}
}
