package jsonvalue_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step/internal/jsonvalue"
)

// stdDecode is what Decode must agree with: encoding/json with UseNumber,
// nothing but white space after the value.
func stdDecode(data []byte) (any, bool) {
	if !json.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

var decodeSeeds = []string{
	`{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"n":1.5e3},"End":true}}}`,
	`[1,-0,0.5,-1e-7,2E+10,true,false,null,"",[],{}]`,
	`"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \ud800 \udc00x \ud83d\u0041"`,
	"\"caf\xc3\xa9 \xff\xfe bad utf8\"",
	`{"a":1,"a":2}`,
	`  {"a" : [ 1 , { "b" : null } ] }  `,
	`{"a":1}{}`, `{"a":}`, `[1,]`, `01`, `1.`, `-`, `1e`, `tru`, `nul`, `"\x"`, `"\u12"`,
	"\"tab\tinside\"", `{"a" 1}`, `{1:2}`, ``, ` `, `[`, `{"a":1`, `"abc`,
}

func TestDecodeAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecode(t, []byte(s))
	}
	checkDecode(t, []byte(strings.Repeat("[", 10001)+strings.Repeat("]", 10001)))
	checkDecode(t, []byte(strings.Repeat("[", 9999)+strings.Repeat("]", 9999)))
}

func checkDecode(t *testing.T, data []byte) {
	t.Helper()
	want, ok := stdDecode(data)
	got, err := jsonvalue.Decode(data)
	if !ok {
		if err == nil {
			t.Errorf("Decode(%.80q) = %v, want an error as encoding/json gives", data, got)
		}
		return
	}
	if err != nil {
		t.Errorf("Decode(%.80q): %v, want %v", data, err, want)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode(%.80q) = %#v, want %#v", data, got, want)
	}
}

func TestDecodeKeepingOrder(t *testing.T) {
	v, order, err := jsonvalue.DecodeKeepingOrder(`{"States":{"B":{},"A":{"States":{}},"B":{"x":1}},"P":{"States":{"Z":1,"Y":2}}}`, "States")
	if err != nil {
		t.Fatal(err)
	}
	top := v.(map[string]any)
	states := top["States"].(map[string]any)
	if keys, ok := order.Keys(states); !ok || strings.Join(keys, ",") != "B,A,B" {
		t.Errorf("Keys(States) = %q, %v; want B,A,B", keys, ok)
	}
	if keys, ok := order.Keys(states["A"].(map[string]any)["States"].(map[string]any)); !ok || len(keys) != 0 {
		t.Errorf("Keys(nested empty States) = %q, %v", keys, ok)
	}
	if keys, ok := order.Keys(top["P"].(map[string]any)["States"].(map[string]any)); !ok || strings.Join(keys, ",") != "Z,Y" {
		t.Errorf("Keys(P.States) = %q, %v", keys, ok)
	}
	if _, ok := order.Keys(top); ok {
		t.Error("Keys(top) is watched, want only the values of States members")
	}
	if states["B"].(map[string]any)["x"] != json.Number("1") {
		t.Errorf("the last of duplicate members should win: %v", states["B"])
	}
}

// FuzzDecode checks Decode against encoding/json on any input: the same
// value, or an error where encoding/json finds one.
func FuzzDecode(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data)
	})
}

func BenchmarkDecodeDefinition(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"StartAt":"S0","States":{`)
	for i := range 100 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`"S` + string(rune('a'+i%26)) + `":{"Type":"Pass","Result":{"n":1},"ResultPath":"$.a","Next":"x"}`)
	}
	sb.WriteString(`}}`)
	data := []byte(sb.String())
	b.Run("jsonvalue", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jsonvalue.Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := stdDecode(data); !ok {
				b.Fatal("invalid")
			}
		}
	})
}
