package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		def  string
		want string // a substring of the joined error
	}{
		{"not JSON", `{`, "not JSON"},
		{"no StartAt", `{"States":{"A":{"Type":"Succeed"}}}`, "StartAt: is required"},
		{"unknown StartAt", `{"StartAt":"B","States":{"A":{"Type":"Succeed"}}}`, `names "B"`},
		{"unknown type", `{"StartAt":"A","States":{"A":{"Type":"Nope"}}}`, `state "A": Type: "Nope" is not a state type`},
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Bogus":1}}}`, `state "A": Bogus: field is not supported`},
		{"missing Next", `{"StartAt":"A","States":{"A":{"Type":"Pass"}}}`, `state "A": Next: a Pass state needs Next`},
		{"bad Next", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Z"}}}`, `state "A": Next: names "Z"`},
		{"unreachable", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}`, `state "B": the state is not reachable`},
		{"bad path", `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.[","End":true}}}`, `state "A": InputPath:`},
		{"bad ResultPath", `{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$..a","End":true}}}`, `state "A": ResultPath:`},
		{"bad intrinsic", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"States.Nope(1)"},"End":true}}}`, `state "A": Parameters.x.$:`},
		{"States.ALL not last", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],"End":true}}}`, `state "A": Retry[0].ErrorEquals: a retrier with States.ALL must be the last one`},
		{"States.ALL not alone", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["States.ALL","X"],"Next":"A"}],"End":true}}}`, `Catch[0].ErrorEquals: States.ALL must appear alone`},
		{"choice without operator", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","Next":"S"}]},"S":{"Type":"Succeed"}}}`, `state "C": Choices[0].: a rule needs one comparison operator`},
		{"choice operand type", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":"1","Next":"S"}]},"S":{"Type":"Succeed"}}}`, `NumericEquals: must be a number`},
		{"bad timestamp", `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"tomorrow","End":true}}}`, `state "W": Timestamp:`},
		{"two waits", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Timestamp":"2016-03-14T01:59:00Z","End":true}}}`, `exactly one of`},
		{"JSONPath field in JSONata", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a","End":true}}}`, `state "A": InputPath: field is not supported`},
		{"JSONPath state in JSONata machine", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}`, `cannot use JSONPath`},
		{"bad JSONata", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input. %}","End":true}}}`, `state "A": Output:`},
		{"$eval", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $eval('1') %}","End":true}}}`, `$eval is not available`},
		{"bad variable name", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"1x":1},"End":true}}}`, `is not a valid variable name`},
		{"inner assigns outer variable", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x":2},"End":true}}}],"End":true}}}`, `variable "x" is assigned in an outer scope`},
		{"duplicate state names across branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}],"End":true}}}`, `state names must be unique`},
		{"Next out of a branch", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"Q"}}}],"Next":"Q"},"Q":{"Type":"Succeed"}}}`, `state "B": Next: names "Q"`},
		{"heartbeat not below timeout", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"r","TimeoutSeconds":5,"HeartbeatSeconds":5,"End":true}}}`, `HeartbeatSeconds: must be smaller`},
		{"ResultWriter", `{"StartAt":"M","States":{"M":{"Type":"Map","ResultWriter":{},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`, `ResultWriter: is not supported`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile([]byte(tc.def))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Compile(%s) = %v, want an error containing %q", tc.def, err, tc.want)
			}
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Errorf("Compile error %T does not contain a *CompileError", err)
			}
		})
	}
}

// TestCompileReportsAllProblems checks that problems are joined, not
// reported one at a time.
func TestCompileReportsAllProblems(t *testing.T) {
	_, err := Compile([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Bogus":1,"InputPath":"x","End":true}}}`))
	if err == nil || strings.Count(err.Error(), "\n") < 1 {
		t.Fatalf("Compile = %v, want two problems", err)
	}
}

// TestProgramIsReusable runs a compiled program twice: retry counters and
// variables belong to the execution, so the second run behaves as the first.
func TestProgramIsReusable(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"t","Assign":{"seen.$":"$"},"Retry":[{"ErrorEquals":["Flaky"],"MaxAttempts":1}],"End":true}}}`
	p, err := Compile([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		calls := 0
		e, _ := p.Start(context.Background(), nil, Options{Clock: NewVirtualClock(testStart), Invoke: func(context.Context, *TaskRequest) (any, error) {
			calls++
			if calls == 1 {
				return nil, &TaskError{Name: "Flaky"}
			}
			return "ok", nil
		}})
		if r := e.Wait(); r.Status != StatusSucceeded {
			t.Fatalf("run %d: %s %s %s", run, r.Status, r.Error, r.Cause)
		}
	}
}

func FuzzCompile(f *testing.F) {
	files, _ := filepath.Glob("testdata/conformance/*.json")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		var cf conformanceFile
		_ = json.Unmarshal(data, &cf)
		for _, tc := range cf.Cases {
			f.Add([]byte(tc.Definition))
		}
	}
	f.Add([]byte(passChain(3)))
	f.Add([]byte(`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $x %}","End":true}}}`))
	f.Add([]byte(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[{"Not":{"Variable":"$.a","StringMatches":"*\\*"}}],"Next":"C"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		watchdog := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer watchdog.Stop()
		p, err := Compile(data)
		if err != nil || p == nil {
			return
		}
		// A program that compiles must also run without panicking.
		e, err := p.Start(context.Background(), []byte(`{"a":1,"items":[1,2]}`), Options{
			Clock: NewVirtualClock(testStart), MaxTransitions: 50,
			Invoke: func(context.Context, *TaskRequest) (any, error) { return map[string]any{"ok": true}, nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := e.Wait(); strings.Contains(r.Cause, "internal error in the execution engine") {
			t.Fatalf("engine panic: %s", r.Cause)
		}
	})
}
