package engine

import (
	"strings"
	"testing"
)

// The detail AWS writes after "An error occurred while executing the state
// 'X' (entered at the event id #N). " for runtime failures (recorded AWS
// behaviour). Only the detail is compared: the prefix is the history's.
func TestRuntimeCauseDetailsAsAWSWritesThem(t *testing.T) {
	mapOf := func(fields string) string {
		return `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",` + fields +
			`,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`
	}
	waitOf := func(field string) string {
		return `{"StartAt":"W","States":{"W":{"Type":"Wait",` + field + `,"End":true}}}`
	}
	for _, tt := range []struct {
		name, def, input, detail string
	}{
		{"Pass Parameters path not found",
			`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"value.$":"$.a"},"End":true}}}`, `{"b":1}`,
			`The JSONPath '$.a' specified for the field 'value.$' could not be found in the input '{"b":1}'`},
		{"MaxConcurrencyPath not an integer", mapOf(`"MaxConcurrencyPath":"$.n"`), `{"n":"x","items":[1]}`,
			`The MaxConcurrencyPath field refers to value "x" which is not a valid integer: $.n`},
		{"MaxConcurrencyPath negative", mapOf(`"MaxConcurrencyPath":"$.n"`), `{"n":-1,"items":[1]}`,
			`Expected non-negative integer for MaxConcurrency, got '-1' instead.`},
		{"ToleratedFailureCountPath not an integer", mapOf(`"ToleratedFailureCountPath":"$.n"`), `{"n":1.5,"items":[1]}`,
			`The ToleratedFailureCountPath field refers to value "1.5" which is not a valid integer: $.n`},
		{"ToleratedFailureCountPath negative", mapOf(`"ToleratedFailureCountPath":"$.n"`), `{"n":"-2","items":[1]}`,
			`ToleratedFailureCount cannot be negative.`},
		{"ToleratedFailurePercentagePath not a number", mapOf(`"ToleratedFailurePercentagePath":"$.n"`), `{"n":true,"items":[1]}`,
			`The ToleratedFailurePercentagePath field refers to value "true" which is not a valid float: $.n`},
		{"ToleratedFailurePercentagePath out of range", mapOf(`"ToleratedFailurePercentagePath":"$.n"`), `{"n":101,"items":[1]}`,
			`ToleratedFailurePercentage must be between 0 and 100.`},
		{"SecondsPath missing", waitOf(`"SecondsPath":"$.s"`), `{}`,
			`The SecondsPath parameter does not reference an input value: $.s`},
		{"SecondsPath not an integer", waitOf(`"SecondsPath":"$.s"`), `{"s":"soon"}`,
			`The SecondsPath parameter cannot be parsed as a long value: $.s == soon`},
		{"SecondsPath negative", waitOf(`"SecondsPath":"$.s"`), `{"s":-5}`,
			`The SecondsPath parameter references a negative value: $.s == -5`},
		{"TimestampPath not a timestamp", waitOf(`"TimestampPath":"$.t"`), `{"t":"tomorrow"}`,
			`The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == tomorrow`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := execute(t, tt.def, tt.input, Options{})
			if r.Status != StatusFailed || r.Error != ErrRuntime || !strings.HasSuffix(r.Cause, tt.detail) {
				t.Errorf("got %s %s %q, want FAILED States.Runtime ending %q", r.Status, r.Error, r.Cause, tt.detail)
			}
		})
	}
}

// A JSONata expression that returns nothing fails with AWS's detail: the
// expression without its delimiters and the field as a path with "/"
// (recorded AWS behaviour: "The JSONata expression
// '$states.input.pushLocation' specified for the field
// 'Arguments/Input/pushLocation' returned nothing (undefined).").
func TestJSONataUndefinedDetailAsAWSWritesIt(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"Input":{"pushLocation":"{% $states.input.pushLocation %}"}},"End":true}}}`
	r := execute(t, def, `{}`, Options{})
	want := "The JSONata expression '$states.input.pushLocation' specified for the field 'Output/Input/pushLocation' returned nothing (undefined)."
	if r.Error != ErrQueryEvaluationError || !strings.HasSuffix(r.Cause, want) {
		t.Errorf("got %s %q, want States.QueryEvaluationError ending %q", r.Error, r.Cause, want)
	}
}
