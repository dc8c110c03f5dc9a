package engine

import (
	"context"
	"strings"
	"testing"
)

func TestJSONSizeIsTheMarshaledLength(t *testing.T) {
	for _, doc := range []string{`null`, `true`, `false`, `"a<b>&\"\\\n\u0001é\u2028"`, `12.5e3`, `[]`, `{}`, `[1,"x",{"k":[null,{}]}]`, `{"a":1,"b":{"c":"d"}}`} {
		v, err := decodeJSON([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonSize(v, MaxPayloadBytes), len(marshalValue(v)); got != want {
			t.Errorf("jsonSize(%s) = %d, want %d", doc, got, want)
		}
	}
}

// A state output over 256 KiB fails the execution with
// States.DataLimitExceeded, which States.ALL does not catch
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
func TestStateOutputOverTheLimitIsDataLimitExceeded(t *testing.T) {
	def := `{"StartAt":"Big","States":{"Big":{"Type":"Task","Resource":"big","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
	  "Caught":{"Type":"Succeed"}}}`
	for _, tt := range []struct {
		size int
		want string
	}{{MaxPayloadBytes, StatusSucceeded}, {MaxPayloadBytes + 1, StatusFailed}} {
		big := strings.Repeat("x", tt.size-2) // a JSON string of tt.size bytes
		invoke := func(ctx context.Context, req *TaskRequest) (any, error) { return big, nil }
		r := execute(t, def, `{}`, Options{Invoke: invoke})
		if r.Status != tt.want {
			t.Fatalf("output of %d bytes: %s %s %s, want %s", tt.size, r.Status, r.Error, r.Cause, tt.want)
		}
		if tt.want == StatusFailed && r.Error != ErrDataLimitExceeded {
			t.Errorf("Error = %q, want %s", r.Error, ErrDataLimitExceeded)
		}
	}
}

// Pass states with a Result skip walking their output while a bound on its
// size is within the limit; past it, the output is measured, so a chain
// that grows its document still fails where it goes over, and one that
// only replaces a field does not.
func TestPassChainDataLimitUsesExactSizePastTheBound(t *testing.T) {
	big := `"` + strings.Repeat("x", 100000) + `"`
	chain := func(paths ...string) string {
		var b strings.Builder
		b.WriteString(`{"StartAt":"P0","States":{`)
		for i, p := range paths {
			if i > 0 {
				b.WriteByte(',')
			}
			next := `"Next":"P` + string(rune('0'+i+1)) + `"`
			if i == len(paths)-1 {
				next = `"End":true`
			}
			b.WriteString(`"P` + string(rune('0'+i)) + `":{"Type":"Pass","Result":` + big + `,"ResultPath":"` + p + `",` + next + `}`)
		}
		b.WriteString(`}}`)
		return b.String()
	}
	r := execute(t, chain("$.a", "$.a", "$.a", "$.a"), `{}`, Options{})
	if r.Status != StatusSucceeded {
		t.Fatalf("replacing a field: %s %s %s", r.Status, r.Error, r.Cause)
	}
	r = execute(t, chain("$.a", "$.b", "$.c"), `{}`, Options{})
	if r.Status != StatusFailed || r.Error != ErrDataLimitExceeded || !strings.Contains(r.Cause, "'P2'") {
		t.Fatalf("adding fields: %s %s %s, want %s in P2", r.Status, r.Error, r.Cause, ErrDataLimitExceeded)
	}
}
