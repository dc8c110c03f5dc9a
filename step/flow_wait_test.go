package step_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/step"
)

// flowFields reads the Next and End a state writes in the machine's ASL.
func flowFields(t *testing.T, sm *step.StateMachine, state string) (next any, end any) {
	t.Helper()
	b, err := json.Marshal(sm)
	if err != nil {
		t.Fatalf("MarshalJSON() = %v", err)
	}
	var asl struct{ States map[string]map[string]any }
	if err := json.Unmarshal(b, &asl); err != nil {
		t.Fatal(err)
	}
	st := asl.States[state]
	return st["Next"], st["End"]
}

// TestGoBuiltStateEndsOneWay: a state built in Go without Next is written
// with End: true, never with neither (which AWS refuses), and one with Next
// is written without End; each form reads back and validates.
// See https://states-language.net/spec.html#transition.
func TestGoBuiltStateEndsOneWay(t *testing.T) {
	branch := func() *step.Branch { return step.NewBranch(step.NewPassState("Inner")) }
	states := []struct {
		name  string
		build func(t *testing.T) (s step.State, next func(step.State), end func())
	}{
		{"Pass", func(*testing.T) (step.State, func(step.State), func()) {
			s := step.NewPassState("S")
			return s, func(n step.State) { s.Next(n) }, func() { s.End() }
		}},
		{"Task", func(t *testing.T) (step.State, func(step.State), func()) {
			s := step.NewLambdaTaskState("S", rollDieLambda(t))
			return s, func(n step.State) { s.Next(n) }, func() { s.End() }
		}},
		{"Wait", func(*testing.T) (step.State, func(step.State), func()) {
			s := step.NewWaitDelayState("S", time.Second)
			return s, func(n step.State) { s.Next(n) }, func() { s.End() }
		}},
		{"Parallel", func(*testing.T) (step.State, func(step.State), func()) {
			s := step.NewParallelState("S", branch())
			return s, func(n step.State) { s.Next(n) }, func() { s.End() }
		}},
		{"Map", func(*testing.T) (step.State, func(step.State), func()) {
			s := step.NewMapState("S", branch())
			return s, func(n step.State) { s.Next(n) }, func() { s.End() }
		}},
	}
	forms := []struct {
		name     string
		apply    func(next func(step.State), end func())
		wantNext any
		wantEnd  any
	}{
		{"no Next", func(func(step.State), func()) {}, nil, true},
		{"End", func(_ func(step.State), end func()) { end() }, nil, true},
		{"Next", func(next func(step.State), _ func()) { next(step.NewSuccessState("Done")) }, "Done", nil},
		{"Next(nil)", func(next func(step.State), _ func()) { next(nil) }, nil, true},
		{"Next then End", func(next func(step.State), end func()) { next(step.NewSuccessState("Done")); end() }, nil, true},
		{"End then Next", func(next func(step.State), end func()) { end(); next(step.NewSuccessState("Done")) }, "Done", nil},
	}
	for _, st := range states {
		for _, f := range forms {
			t.Run(st.name+"/"+f.name, func(t *testing.T) {
				s, next, end := st.build(t)
				f.apply(next, end)
				sm := step.NewStateMachine("Flow", s)
				gotNext, gotEnd := flowFields(t, sm, "S")
				if gotNext != f.wantNext || gotEnd != f.wantEnd {
					t.Errorf("ASL of %s: Next = %v, End = %v; want Next = %v, End = %v", st.name, gotNext, gotEnd, f.wantNext, f.wantEnd)
				}
				if err := sm.Validate(); err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				b, _ := json.Marshal(sm)
				back, err := step.FromJSON(b)
				if err != nil {
					t.Fatalf("FromJSON(%s) = %v", b, err)
				}
				if err := back.WithName("Flow").Validate(); err != nil {
					t.Errorf("Validate() of the ASL read back = %v, want nil", err)
				}
			})
		}
	}
}

// TestReadStateEndsOneWay: a state read from ASL must say End: true or
// Next, and not both.
func TestReadStateEndsOneWay(t *testing.T) {
	tests := []struct {
		name, state, want string
	}{
		{"neither", `{"Type":"Pass"}`, "has neither Next nor End"},
		{"End false", `{"Type":"Pass","End":false}`, "has neither Next nor End"},
		{"both", `{"Type":"Pass","Next":"Done","End":true}`, "End: cannot be combined with Next"},
		{"End", `{"Type":"Pass","End":true}`, ""},
		{"Next", `{"Type":"Pass","Next":"Done"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := fromJSON(t, `{"StartAt":"S","States":{"S":`+tt.state+`,"Done":{"Type":"Succeed"}}}`)
			if tt.name == "End" {
				// Done is unreachable then; read S alone.
				sm = fromJSON(t, `{"StartAt":"S","States":{"S":`+tt.state+`}}`)
			}
			err := sm.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if !hasStateError(err, "S", tt.want) {
				t.Errorf("Validate() = %v, want an error for state \"S\" containing %q", err, tt.want)
			}
		})
	}
}

func hasStateError(err error, state, text string) bool {
	for _, ve := range step.ValidationErrors(err) {
		if ve.State == state && strings.Contains(ve.Error(), text) {
			return true
		}
	}
	return false
}

// TestWaitDurationFields: a Wait state needs exactly one of Seconds,
// SecondsPath, Timestamp and TimestampPath; each alone is valid, none or
// two are not.
// See https://states-language.net/spec.html#wait-state.
func TestWaitDurationFields(t *testing.T) {
	const exactlyOne = "exactly one of Seconds, SecondsPath, Timestamp and TimestampPath"
	tests := []struct {
		name, fields, want string
	}{
		{"Seconds", `"Seconds":10`, ""},
		{"Seconds 0", `"Seconds":0`, ""},
		{"SecondsPath", `"SecondsPath":"$.s"`, ""},
		{"Timestamp", `"Timestamp":"2016-03-14T01:59:00Z"`, ""},
		{"TimestampPath", `"TimestampPath":"$.t"`, ""},
		{"none", ``, exactlyOne + "; it has 0"},
		{"Seconds and SecondsPath", `"Seconds":1,"SecondsPath":"$.s"`, exactlyOne + "; it has 2"},
		{"Seconds and Timestamp", `"Seconds":1,"Timestamp":"2016-03-14T01:59:00Z"`, exactlyOne + "; it has 2"},
		{"Seconds and TimestampPath", `"Seconds":1,"TimestampPath":"$.t"`, exactlyOne + "; it has 2"},
		{"SecondsPath and Timestamp", `"SecondsPath":"$.s","Timestamp":"2016-03-14T01:59:00Z"`, exactlyOne + "; it has 2"},
		{"SecondsPath and TimestampPath", `"SecondsPath":"$.s","TimestampPath":"$.t"`, exactlyOne + "; it has 2"},
		{"Timestamp and TimestampPath", `"Timestamp":"2016-03-14T01:59:00Z","TimestampPath":"$.t"`, exactlyOne + "; it has 2"},
		{"all four", `"Seconds":1,"SecondsPath":"$.s","Timestamp":"2016-03-14T01:59:00Z","TimestampPath":"$.t"`, exactlyOne + "; it has 4"},
		{"Seconds negative", `"Seconds":-1`, "Seconds"},
		{"Timestamp not RFC 3339", `"Timestamp":"2016-03-14"`, "is not an RFC 3339 timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sep := ""
			if tt.fields != "" {
				sep = ","
			}
			sm := fromJSON(t, `{"StartAt":"W","States":{"W":{"Type":"Wait",`+tt.fields+sep+`"End":true}}}`)
			err := sm.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if !hasStateError(err, "W", tt.want) {
				t.Errorf("Validate() = %v, want an error for state \"W\" containing %q", err, tt.want)
			}
		})
	}
}

// TestWaitConstructorsValidate: each Go constructor sets exactly one
// duration field.
func TestWaitConstructorsValidate(t *testing.T) {
	tests := []struct {
		name  string
		state *step.WaitState
		field string
	}{
		{"NewWaitDelayState", step.NewWaitDelayState("W", 3*time.Second), "Seconds"},
		{"NewWaitDelayState zero", step.NewWaitDelayState("W", 0), "Seconds"},
		{"NewWaitUntilState", step.NewWaitUntilState("W", time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)), "Timestamp"},
		{"NewWaitDynamicState", step.NewWaitDynamicState("W", "$.delay"), "SecondsPath"},
		{"NewWaitDynamicUntilState", step.NewWaitDynamicUntilState("W", "$.until"), "TimestampPath"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := step.NewStateMachine("Waits", tt.state)
			if err := sm.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
			b, _ := json.Marshal(tt.state)
			var fields map[string]any
			_ = json.Unmarshal(b, &fields)
			n := 0
			for _, f := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
				if _, ok := fields[f]; ok {
					n++
					if f != tt.field {
						t.Errorf("%s writes %s, want only %s", tt.name, f, tt.field)
					}
				}
			}
			if n != 1 {
				t.Errorf("%s writes %d duration fields in %s, want 1", tt.name, n, b)
			}
		})
	}
}
