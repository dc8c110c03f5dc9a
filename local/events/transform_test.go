package events

import (
	"testing"
)

const sampleEvent = `{"version":"0","id":"1","detail-type":"Sighting","source":"dragons","account":"000000000000","time":"2026-12-07T16:00:00Z",` +
	`"region":"us-east-1","resources":["arn:aws:s3:::b"],"detail":{"kind":"dragon","size":12,"tags":["red","big"],"where":{"x":1},"quote":"a \"q\""}}`

// Input, InputPath and InputTransformer as
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
// describes them: a variable inside a JSON string goes in as text, outside
// as its JSON value.
func TestTargetInput(t *testing.T) {
	d := &delivery{event: decodeEvent([]byte(sampleEvent)), raw: []byte(sampleEvent), ruleARN: "arn:aws:events:us-east-1:000000000000:rule/r", ruleName: "r", ingested: "2026-12-07T16:00:01Z"}
	paths := map[string]string{"kind": "$.detail.kind", "size": "$.detail.size", "tags": "$.detail.tags", "where": "$.detail.where",
		"first": "$.detail.tags[0]", "missing": "$.detail.nope", "quote": "$.detail.quote", "bracket": "$['detail']['kind']"}
	tests := []struct {
		name   string
		target Target
		want   string
	}{
		{"the event", Target{}, sampleEvent},
		{"constant input", Target{Input: `{"a":1}`}, `{"a":1}`},
		{"input path", Target{InputPath: "$.detail.where"}, `{"x":1}`},
		{"input path of a leaf", Target{InputPath: "$.detail.tags[1]"}, `"big"`},
		{"missing path", Target{InputPath: "$.detail.nope"}, `null`},
		{"values outside quotes", Target{InputTransformer: &InputTransformer{InputPathsMap: paths, InputTemplate: `{"k": <kind>, "s": <size>, "t": <tags>, "w": <where>}`}},
			`{"k": "dragon", "s": 12, "t": ["red","big"], "w": {"x":1}}`},
		{"values inside quotes", Target{InputTransformer: &InputTransformer{InputPathsMap: paths, InputTemplate: `{"m": "a <kind> of <size>, first <first>, at <where>"}`}},
			`{"m": "a dragon of 12, first red, at {\"x\":1}"}`},
		{"escaping inside quotes", Target{InputTransformer: &InputTransformer{InputPathsMap: paths, InputTemplate: `"<quote>"`}}, `"a \"q\""`},
		{"missing variable", Target{InputTransformer: &InputTransformer{InputPathsMap: paths, InputTemplate: `{"a": <missing>, "b": "<missing>"}`}}, `{"a": null, "b": ""}`},
		{"bracket path", Target{InputTransformer: &InputTransformer{InputPathsMap: paths, InputTemplate: `[<bracket>]`}}, `["dragon"]`},
		{"predefined variables", Target{InputTransformer: &InputTransformer{InputTemplate: `{"rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>, "at": "<aws.events.event.ingestion-time>"}`}},
			`{"rule": "r", "arn": "arn:aws:events:us-east-1:000000000000:rule/r", "at": "2026-12-07T16:00:01Z"}`},
		{"text template", Target{InputTransformer: &InputTransformer{InputPathsMap: paths, InputTemplate: `<kind> is in state "<quote>" with <where>`}},
			`dragon is in state "a "q"" with {"x":1}`},
		{"event without detail", Target{InputTransformer: &InputTransformer{InputTemplate: `{"e": <aws.events.event>}`}},
			`{"e": {"account":"000000000000","detail-type":"Sighting","id":"1","region":"us-east-1","resources":["arn:aws:s3:::b"],"source":"dragons","time":"2026-12-07T16:00:00Z","version":"0"}}`},
		{"unknown placeholder stays", Target{InputTransformer: &InputTransformer{InputTemplate: `"<nope> <"`}}, `"<nope> <"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(d.input(tt.target)); got != tt.want {
				t.Errorf("input(%+v) = %s, want %s", tt.target, got, tt.want)
			}
		})
	}
}

func TestParsePathRefuses(t *testing.T) {
	for _, p := range []string{"", "detail", "$.", "$..a", "$[", "$[-1]", "$['a'", "$[x]", "$a"} {
		if _, err := parsePath(p); err == nil {
			t.Errorf("parsePath(%q) = nil error", p)
		}
	}
}

func FuzzTransform(f *testing.F) {
	f.Add("$.detail.kind", `{"k": <k>, "m": "<k> \" <aws.events.rule-name>"}`, sampleEvent)
	f.Add("$['detail'].tags[1]", `<k>`, `{"a":[1,{"b":2}]}`)
	f.Fuzz(func(t *testing.T, path, template, event string) {
		if _, err := parsePath(path); err != nil {
			return
		}
		d := &delivery{event: decodeEvent([]byte(event)), raw: []byte(event)}
		d.input(Target{InputPath: path})
		d.input(Target{InputTransformer: &InputTransformer{InputPathsMap: map[string]string{"k": path}, InputTemplate: template}})
	})
}
