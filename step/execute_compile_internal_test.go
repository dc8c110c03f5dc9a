//go:build !lambdabinary

package step

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func mustExecute(t *testing.T, sm *StateMachine, input string) *Execution {
	t.Helper()
	ex, err := sm.Execute(context.Background(), json.RawMessage(input), WithVirtualClock())
	if err != nil {
		t.Fatalf("Execute() = %v", err)
	}
	return ex
}

func compiledOf(sm *StateMachine) *compiledProgram {
	c, _ := sm.compiled.Load().(*compiledProgram)
	return c
}

// Execute compiles once; unchanged machines reuse the program even when
// other machines are built in between, and a builder call on any part of
// the machine makes the next Execute see the change.
func TestExecuteCompilesOnceAndAgainOnlyAfterAChange(t *testing.T) {
	pass := NewPassState("P").WithResult(map[string]any{"v": 1})
	sm := NewStateMachine("M", pass)
	if got := string(mustExecute(t, sm, `{}`).Output); got != `{"v":1}` {
		t.Fatalf("first run output = %s", got)
	}
	first := compiledOf(sm).program

	mustExecute(t, sm, `{}`)
	NewPassState("Elsewhere").WithResult(2) // another machine's builder
	mustExecute(t, sm, `{}`)
	if compiledOf(sm).program != first {
		t.Fatal("an unchanged machine was compiled again")
	}

	pass.WithResult(map[string]any{"v": 2})
	if got := string(mustExecute(t, sm, `{}`).Output); got != `{"v":2}` {
		t.Fatalf("output after WithResult = %s, want the changed result", got)
	}
	if compiledOf(sm).program == first {
		t.Fatal("a changed machine was not compiled again")
	}
}

// A value changed in place after it was handed to a builder is invisible
// to Execute until Compile.
func TestCompilePicksUpInPlaceChanges(t *testing.T) {
	result := map[string]any{"v": 1}
	sm := NewStateMachine("M", NewPassState("P").WithResult(result))
	mustExecute(t, sm, `{}`)
	result["v"] = 3
	if err := sm.Compile(); err != nil {
		t.Fatal(err)
	}
	if got := string(mustExecute(t, sm, `{}`).Output); got != `{"v":3}` {
		t.Fatalf("output after Compile = %s, want {\"v\":3}", got)
	}
}

// A definition read by FromJSON runs as written, not as the typed model
// marshals it back; once a builder changes it, the model is what runs.
func TestFromJSONRunsTheDefinitionAsWritten(t *testing.T) {
	sm, err := FromJSON([]byte(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"Next":"E"},"E":{"Type":"Succeed"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	sm.WithName("M")
	mustExecute(t, sm, `{}`)
	if c := compiledOf(sm); c == nil || c.rev > sm.sourceRev {
		t.Fatalf("compiled = %+v, want the source (revision <= %d)", c, sm.sourceRev)
	}
	sm.States()[0].(*PassState).WithResult(map[string]any{"a": 2})
	if got := string(mustExecute(t, sm, `{}`).Output); got != `{"a":2}` {
		t.Fatalf("output after WithResult = %s, want {\"a\":2}", got)
	}
}

// An input over 262,144 bytes cannot start an execution, as StartExecution
// refuses it (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
func TestExecuteRefusesAnInputOverTheLimit(t *testing.T) {
	sm := NewStateMachine("M", NewPassState("P"))
	big := json.RawMessage(`"` + strings.Repeat("x", 262144) + `"`)
	if _, err := sm.Execute(context.Background(), big); err == nil || !strings.Contains(err.Error(), "262144") {
		t.Errorf("Execute(%d bytes) = %v, want an error naming the limit", len(big), err)
	}
}
