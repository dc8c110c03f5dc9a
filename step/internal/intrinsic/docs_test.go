package intrinsic_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
	"github.com/sparta-go/sparta/step/internal/jsonpath"
)

// devGuide is the page every example below comes from; the anchor after it
// names the section.
const devGuide = "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html"

func decode(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode(%q): %v", s, err)
	}
	return v
}

// envFor resolves "$" paths against input, "$$" against ctx and "$name"
// against vars, as the engine does.
func envFor(input, ctx any, vars map[string]any) intrinsic.Env {
	return intrinsic.Env{Resolve: func(p *jsonpath.Path) (any, error) {
		switch p.Root() {
		case "$":
			return p.Get(input)
		case "$$":
			return p.Get(ctx)
		}
		return p.Get(vars[strings.TrimPrefix(p.Root(), "$")])
	}}
}

// TestDocumentedExamples runs every example of the AWS Step Functions
// Developer Guide's intrinsic functions page with its documented input and
// output. Where the page's printed output is wrong, the case says so and
// expects the correct value.
func TestDocumentedExamples(t *testing.T) {
	tests := []struct {
		name   string
		source string // section of devGuide
		input  string
		expr   string
		want   string // JSON
		env    func(*intrinsic.Env)
	}{
		{
			name: "Array", source: "#asl-intrsc-func-arrays (States.Array)",
			input: `{"Id": 123456}`, expr: "States.Array($.Id)", want: `[123456]`,
		},
		{
			name: "ArrayPartition", source: "#asl-intrsc-func-arrays (States.ArrayPartition)",
			input: `{"inputArray": [1,2,3,4,5,6,7,8,9]}`, expr: "States.ArrayPartition($.inputArray,4)",
			want: `[[1,2,3,4],[5,6,7,8],[9]]`,
		},
		{
			name: "ArrayContains", source: "#asl-intrsc-func-arrays (States.ArrayContains)",
			input: `{"inputArray": [1,2,3,4,5,6,7,8,9], "lookingFor": 5}`,
			expr:  "States.ArrayContains($.inputArray, $.lookingFor)", want: `true`,
		},
		{
			name: "ArrayRange", source: "#asl-intrsc-func-arrays (States.ArrayRange)",
			input: `{}`, expr: "States.ArrayRange(1, 9, 2)", want: `[1,3,5,7,9]`,
		},
		{
			name: "ArrayGetItem", source: "#asl-intrsc-func-arrays (States.ArrayGetItem)",
			input: `{"inputArray": [1,2,3,4,5,6,7,8,9], "index": 5}`,
			expr:  "States.ArrayGetItem($.inputArray, $.index)", want: `6`,
		},
		{
			name: "ArrayLength", source: "#asl-intrsc-func-arrays (States.ArrayLength)",
			input: `{"inputArray": [1,2,3,4,5,6,7,8,9]}`, expr: "States.ArrayLength($.inputArray)", want: `9`,
		},
		{
			name: "ArrayUnique", source: "#asl-intrsc-func-arrays (States.ArrayUnique)",
			input: `{"inputArray": [1,2,3,3,3,3,3,3,4]}`, expr: "States.ArrayUnique($.inputArray)", want: `[1,2,3,4]`,
		},
		{
			name: "Base64Encode", source: "#asl-intrsc-func-data-encode-decode (States.Base64Encode)",
			input: `{"input": "Data to encode"}`, expr: "States.Base64Encode($.input)", want: `"RGF0YSB0byBlbmNvZGU="`,
		},
		{
			// The page prints "Decoded data", but its input is the encoding
			// of "Data to encode" from the States.Base64Encode example.
			name: "Base64Decode", source: "#asl-intrsc-func-data-encode-decode (States.Base64Decode)",
			input: `{"base64": "RGF0YSB0byBlbmNvZGU="}`, expr: "States.Base64Decode($.base64)", want: `"Data to encode"`,
		},
		{
			// The page prints "aaff4a450a104cd177d28d18d7485e8cae074b7", 39
			// hex digits: a "4" is missing from the real SHA-1 digest.
			name: "Hash", source: "#asl-intrsc-func-hash-calc (States.Hash)",
			input: `{"Data": "input data", "Algorithm": "SHA-1"}`, expr: "States.Hash($.Data, $.Algorithm)",
			want: `"aaff4a450a104cd177d28d18d74485e8cae074b7"`,
		},
		{
			name: "JsonMerge", source: "#asl-intrsc-func-json-manipulate (States.JsonMerge)",
			input: `{"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}`,
			expr:  "States.JsonMerge($.json1, $.json2, false)",
			want:  `{"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}`,
		},
		{
			name: "StringToJson", source: "#asl-intrsc-func-json-manipulate (States.StringToJson)",
			input: `{"escapedJsonString": "{\"foo\": \"bar\"}"}`, expr: "States.StringToJson($.escapedJsonString)",
			want: `{"foo": "bar"}`,
		},
		{
			// The page shows the result escaped inside JSON; the string itself
			// is compact JSON.
			name: "JsonToString", source: "#asl-intrsc-func-json-manipulate (States.JsonToString)",
			input: `{"unescapedJson": {"foo": "bar"}}`, expr: "States.JsonToString($.unescapedJson)",
			want: `"{\"foo\":\"bar\"}"`,
		},
		{
			// The result is random; Rand is fixed to the value that yields
			// the page's 456.
			name: "MathRandom", source: "#asl-intrsc-func-math-operation (States.MathRandom)",
			input: `{"start": 1, "end": 999}`, expr: "States.MathRandom($.start, $.end)", want: `456`,
			env: func(e *intrinsic.Env) { e.Rand = func() float64 { return 455.5 / 998 } },
		},
		{
			name: "MathAdd", source: "#asl-intrsc-func-math-operation (States.MathAdd)",
			input: `{"value1": 111, "step": -1}`, expr: "States.MathAdd($.value1, $.step)", want: `110`,
		},
		{
			name: "StringSplit single delimiter", source: "#asl-intrsc-func-string-operation (States.StringSplit)",
			input: `{"inputString": "1,2,3,4,5", "splitter": ","}`,
			expr:  "States.StringSplit($.inputString, $.splitter)", want: `["1","2","3","4","5"]`,
		},
		{
			name: "StringSplit multiple delimiters", source: "#asl-intrsc-func-string-operation (States.StringSplit)",
			input: `{"inputString": "This.is+a,test=string", "splitter": ".+,="}`,
			expr:  "States.StringSplit($.inputString, $.splitter)", want: `["This","is","a","test","string"]`,
		},
		{
			name: "UUID", source: "#asl-intrsc-func-uuid-generate (States.UUID)",
			input: `{}`, expr: "States.UUID()", want: `"ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8"`,
			env: func(e *intrinsic.Env) { e.UUID = func() string { return "ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8" } },
		},
		{
			name: "Format literal template", source: "#asl-intrsc-func-generic (States.Format)",
			input: `{"name": "Arnav", "template": "Hello, my name is {}."}`,
			expr:  "States.Format('Hello, my name is {}.', $.name)", want: `"Hello, my name is Arnav."`,
		},
		{
			name: "Format path template", source: "#asl-intrsc-func-generic (States.Format)",
			input: `{"name": "Arnav", "template": "Hello, my name is {}."}`,
			expr:  "States.Format($.template, $.name)", want: `"Hello, my name is Arnav."`,
		},
		{
			// The page's nine-function myArn example passes two values to a
			// three-placeholder template (see TestDocumentedNestingExample);
			// this is the same nesting with the template matching.
			name: "nested calls", source: "#intrinsic-functions (myArn example, corrected)",
			input: `{"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.0"}}`,
			expr: "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), " +
				"States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
			want: `"1.0"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := intrinsic.Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q) = %v (%s%s)", tt.expr, err, devGuide, tt.source)
			}
			env := envFor(decode(t, tt.input), nil, nil)
			if tt.env != nil {
				tt.env(&env)
			}
			got, err := c.Eval(env)
			if err != nil {
				t.Fatalf("Eval(%q) = %v (%s%s)", tt.expr, err, devGuide, tt.source)
			}
			if diff := cmp.Diff(decode(t, tt.want), got); diff != "" {
				t.Errorf("Eval(%q) mismatch (-want +got), documented at %s%s:\n%s", tt.expr, devGuide, tt.source, diff)
			}
		})
	}
}

// TestDocumentedNestingExample: the guide's myArn example has three {} but
// two values, which the guide's own States.Format rule forbids, so Parse
// rejects it.
func TestDocumentedNestingExample(t *testing.T) {
	const expr = "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), " +
		"States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))"
	_, err := intrinsic.Parse(expr)
	if err == nil || !strings.Contains(err.Error(), "3 {} placeholders but 2 values") {
		t.Errorf("Parse(myArn example) = %v, want a placeholder count error", err)
	}
}
