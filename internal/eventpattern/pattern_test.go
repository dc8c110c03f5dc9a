package eventpattern_test

import (
	"errors"
	"testing"

	"github.com/sparta-go/sparta/internal/eventpattern"
)

// event is the example of
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
// with fields for the operators of
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html.
const event = `{
  "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2", "account": "111122223333", "time": "2017-12-22T18:43:48Z", "region": "us-west-1",
  "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  "detail": {
    "instance-id": "i-1234567890abcdef0", "state": "terminated",
    "c-count": 5, "d-count": 3.5, "x-limit": 301.8,
    "source-ip": "10.0.0.123", "FileName": "image.PNG", "empty": "", "nothing": null, "flag": true,
    "tags": ["red", "green"], "nested": {"deep": {"name": "dragon"}},
    "items": [{"kind": "a"}, {"kind": "b"}]
  }
}`

func TestMatch(t *testing.T) {
	tests := []struct {
		name, pattern string
		want          bool
	}{
		{"exact source", `{"source": ["aws.ec2"]}`, true},
		{"exact is case-sensitive", `{"source": ["AWS.EC2"]}`, false},
		{"array is OR", `{"source": ["aws.s3", "aws.ec2"]}`, true},
		{"fields are AND", `{"source": ["aws.ec2"], "detail-type": ["nope"]}`, false},
		{"nested field", `{"detail": {"state": ["terminated"]}}`, true},
		{"deeply nested", `{"detail": {"nested": {"deep": {"name": ["dragon"]}}}}`, true},
		{"event array: any element", `{"detail": {"tags": ["green"]}}`, true},
		{"event array: none", `{"detail": {"tags": ["blue"]}}`, false},
		{"array of objects", `{"detail": {"items": {"kind": ["b"]}}}`, true},
		{"missing field", `{"detail": {"absent": ["x"]}}`, false},
		{"number equal by value", `{"detail": {"c-count": [5.0]}}`, true},
		{"string is not a number", `{"detail": {"c-count": ["5"]}}`, false},
		{"boolean", `{"detail": {"flag": [true]}}`, true},
		{"null matches null", `{"detail": {"nothing": [null]}}`, true},
		{"null does not match absent", `{"detail": {"absent": [null]}}`, false},
		{"empty string", `{"detail": {"empty": [""]}}`, true},
		{"prefix", `{"time": [{"prefix": "2017-12-22"}]}`, true},
		{"prefix misses", `{"time": [{"prefix": "2018"}]}`, false},
		{"prefix ignore case", `{"detail": {"FileName": [{"prefix": {"equals-ignore-case": "IMAGE"}}]}}`, true},
		{"suffix", `{"detail": {"FileName": [{"suffix": ".PNG"}]}}`, true},
		{"suffix is case-sensitive", `{"detail": {"FileName": [{"suffix": ".png"}]}}`, false},
		{"suffix ignore case", `{"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}`, true},
		{"equals-ignore-case", `{"detail": {"state": [{"equals-ignore-case": "TERMINATED"}]}}`, true},
		{"anything-but value", `{"detail": {"state": [{"anything-but": "initializing"}]}}`, true},
		{"anything-but same value", `{"detail": {"state": [{"anything-but": "terminated"}]}}`, false},
		{"anything-but list", `{"detail": {"state": [{"anything-but": ["stopped", "terminated"]}]}}`, false},
		{"anything-but number", `{"detail": {"c-count": [{"anything-but": 5}]}}`, false},
		{"anything-but number list", `{"detail": {"c-count": [{"anything-but": [1, 2]}]}}`, true},
		{"anything-but prefix", `{"region": [{"anything-but": {"prefix": "us-"}}]}`, false},
		{"anything-but prefix other", `{"region": [{"anything-but": {"prefix": "eu-"}}]}`, true},
		{"anything-but suffix", `{"detail": {"FileName": [{"anything-but": {"suffix": ".PNG"}}]}}`, false},
		{"anything-but ignore case", `{"detail": {"state": [{"anything-but": {"equals-ignore-case": ["TERMINATED", "x"]}}]}}`, false},
		{"anything-but wildcard", `{"detail": {"FileName": [{"anything-but": {"wildcard": "*.txt"}}]}}`, true},
		{"anything-but needs a value", `{"detail": {"absent": [{"anything-but": "x"}]}}`, false},
		{"numeric range", `{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}`, true},
		{"numeric out of range", `{"detail": {"d-count": [{"numeric": ["<", 3]}]}}`, false},
		{"numeric equal", `{"detail": {"x-limit": [{"numeric": ["=", 301.8]}]}}`, true},
		{"numeric ignores strings", `{"detail": {"state": [{"numeric": [">", 0]}]}}`, false},
		{"exists true", `{"detail": {"c-count": [{"exists": true}]}}`, true},
		{"exists false on a present field", `{"detail": {"c-count": [{"exists": false}]}}`, false},
		{"exists false on an absent field", `{"detail": {"absent": [{"exists": false}]}}`, true},
		{"exists false without the parent", `{"nope": {"absent": [{"exists": false}]}}`, true},
		{"exists works on leaves only", `{"detail": {"nested": [{"exists": true}]}}`, false},
		{"cidr", `{"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}`, true},
		{"cidr outside", `{"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}`, false},
		{"wildcard", `{"resources": [{"wildcard": "arn:aws:ec2:*:instance/*"}]}`, true},
		{"wildcard misses", `{"resources": [{"wildcard": "arn:aws:s3:*"}]}`, false},
		{"wildcard escaped star", `{"detail": {"state": [{"wildcard": "term\\*"}]}}`, false},
		{"$or one side", `{"source": ["aws.ec2"], "$or": [{"detail": {"c-count": [{"numeric": [">", 10]}]}}, {"detail": {"d-count": [{"numeric": ["<", 10]}]}}]}`, true},
		{"$or neither side", `{"$or": [{"detail": {"c-count": [0]}}, {"detail": {"d-count": [0]}}]}`, false},
		{"mixed alternatives", `{"detail": {"state": [{"prefix": "run"}, "terminated"]}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := eventpattern.Compile(tt.pattern)
			if err != nil {
				t.Fatalf("Compile(%s) = %v", tt.pattern, err)
			}
			if got := p.Match([]byte(event)); got != tt.want {
				t.Errorf("Compile(%s).Match(event) = %v, want %v", tt.pattern, got, tt.want)
			}
		})
	}
}

// Patterns EventBridge refuses with InvalidEventPatternException.
func TestCompileRefuses(t *testing.T) {
	for _, p := range []string{
		``, `[]`, `"x"`, `{}`, `{"source": "aws.ec2"}`, `{"source": []}`, `{"detail": {}}`, `{"source": [["x"]]}`,
		`{"a": [{"prefix": 1}]}`, `{"a": [{"nope": "x"}]}`, `{"a": [{"numeric": [">"]}]}`, `{"a": [{"numeric": ["<", 1, ">", 0]}]}`,
		`{"a": [{"numeric": [">", 5, "<", 1]}]}`, `{"a": [{"numeric": ["!", 1]}]}`, `{"a": [{"numeric": [">", "1"]}]}`,
		`{"a": [{"exists": "yes"}]}`, `{"a": [{"exists": true}, "x"]}`, `{"a": [{"anything-but": ["x", 1]}]}`,
		`{"a": [{"anything-but": true}]}`, `{"a": [{"wildcard": "a**b"}]}`, `{"a": [{"cidr": "10.0.0.1/99"}]}`,
		`{"$or": [{"a": ["x"]}]}`, `{"$or": "x"}`, `{"a": [{"prefix": "x", "suffix": "y"}]}`, `{"a": ["x"]} {}`,
	} {
		_, err := eventpattern.Compile(p)
		var pe *eventpattern.Error
		if !errors.As(err, &pe) {
			t.Errorf("Compile(%s) = %v, want an *eventpattern.Error", p, err)
		}
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{`{"source": ["aws.ec2"]}`, `{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}`,
		`{"$or": [{"a": [{"prefix": "x"}]}, {"b": [{"anything-but": {"suffix": "y"}}]}]}`, `{"a": [{"wildcard": "*a\\*b*"}]}`,
		`{"a": [{"exists": false}], "b": [null, true, 1.5, {"cidr": "10.0.0.0/8"}]}`} {
		f.Add(s, event)
	}
	f.Fuzz(func(t *testing.T, pattern, ev string) {
		p, err := eventpattern.Compile(pattern)
		if err != nil {
			return
		}
		p.Match([]byte(ev))
	})
}
