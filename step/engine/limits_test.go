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
