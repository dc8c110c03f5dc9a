package step_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step"
)

// semantic decodes JSON for comparison: key order and number formatting do
// not matter, values do.
func semantic(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, b)
	}
	return v
}

func TestRoundTripAWSExamples(t *testing.T) {
	files, err := filepath.Glob("testdata/aws/*.asl.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sm, err := step.FromJSON(in)
			if err != nil {
				t.Fatalf("FromJSON: %v", err)
			}
			out, err := sm.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			if diff := cmp.Diff(semantic(t, in), semantic(t, out)); diff != "" {
				t.Errorf("round trip changed the definition (-in +out):\n%s", diff)
			}
			if err := sm.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
			again, err := step.FromJSON(out)
			if err != nil {
				t.Fatalf("FromJSON(MarshalJSON()): %v", err)
			}
			out2, _ := again.MarshalJSON()
			if string(out) != string(out2) {
				t.Errorf("second round trip gave different bytes:\n%s\n%s", out, out2)
			}
		})
	}
}

func TestFromJSONRejects(t *testing.T) {
	tests := []struct {
		name, asl, want string
	}{
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Bogus":1}}}`, `unknown field "Bogus"`},
		{"field of another type", `{"StartAt":"A","States":{"A":{"Type":"Succeed","Next":"B"}}}`, `state machine: state "A" (Succeed): Next: a Succeed state has no field Next`},
		{"unknown type", `{"StartAt":"A","States":{"A":{"Type":"Loop"}}}`, `unknown state type "Loop"`},
		{"duplicate state", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"A":{"Type":"Succeed"}}}`, `state "A" is defined twice`},
		{"two operators", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x","NumericEquals":1,"Next":"C"}]}}}`, `want exactly one operator`},
		{"wrong value type", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":"1","Next":"C"}]}}}`, `NumericEquals: must be a number`},
		{"bad timestamp", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","TimestampEquals":"yesterday","Next":"C"}]}}}`, `must be an RFC 3339 timestamp`},
		{"nested Next", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.a","IsNull":true,"Next":"C"},"Next":"C"}]}}}`, `Choices[0].Not.Next: is allowed only in top-level choice rules`},
		{"not JSON", `{"StartAt":`, `reading the definition`},
		{"trailing data", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}} {}`, `unexpected data`},
		// Field names match exactly, as AWS matches them (encoding/json
		// would have read "type" as Type).
		{"field name in another case", `{"StartAt":"A","States":{"A":{"type":"Pass","End":true}}}`, `state "A": unknown field "type"`},
		{"field of the wrong JSON type", `{"StartAt":"A","States":{"A":{"Type":5}}}`, `state "A": Type: must be a string, not a number`},
		{"null branch", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[null],"End":true}}}`, `state "P": Branches[0]: must be an object, not null`},
		{"fractional retry interval", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1.5}],"End":true}}}`, `Retry[0].IntervalSeconds: must be an integer, not 1.5`},
		{"not an object", `["StartAt"]`, `must be a JSON object with StartAt and States`},
		{"state not an object", `{"StartAt":"A","States":{"A":5}}`, `reading the definition: state "A": must be an object, not a number`},
		{"States not an object", `{"StartAt":"A","States":[]}`, `States: must be an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := step.FromJSON([]byte(tt.asl))
			if err == nil || !contains(err.Error(), tt.want) {
				t.Errorf("FromJSON(%s) = %v, want an error containing %q", tt.asl, err, tt.want)
			}
		})
	}
}
