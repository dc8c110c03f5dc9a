package sns

import (
	"testing"
	"time"
)

// FuzzFilterPolicy feeds hostile filter policies (a subscriber's input,
// from the API or a template) and message bodies to the parser and the
// matcher: each must answer, never panic.
func FuzzFilterPolicy(f *testing.F) {
	for _, seed := range [][2]string{
		{`{"color":["red",{"prefix":"gr"}]}`, `{"color":"green"}`},
		{`{"size":[{"numeric":[">",10,"<=",20]}]}`, `{"size":15}`},
		{`{"a":{"b":[{"anything-but":["x",1]}]}}`, `{"a":{"b":"y"}}`},
		{`{"k":[{"exists":false}]}`, `{}`},
		{`{"k":[{"numeric":["<"]}]}`, `[]`},
		{`{"k":[{"anything-but":{"prefix":"a"}}]}`, `{"k":["ab","c"]}`},
		{`[`, `{`},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, policy, body string) {
		if _, err := parseFilterPolicy(policy); err != nil {
			return
		}
		sub := Subscription{Protocol: protoSQS, Attributes: map[string]string{"FilterPolicy": policy, "FilterPolicyScope": "MessageBody"}}
		_, _ = matchesFilter(sub, Message{Message: body, Timestamp: time.Now()})
		sub.Attributes["FilterPolicyScope"] = "MessageAttributes"
		_, _ = matchesFilter(sub, Message{Message: body, Attributes: map[string]MessageAttribute{
			"k": {DataType: "String", StringValue: body}, "size": {DataType: "Number", StringValue: body},
			"list": {DataType: "String.Array", StringValue: body}}})
	})
}

// TestFilterPolicy checks the matcher against the examples of
// https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
func TestFilterPolicy(t *testing.T) {
	attrs := func(kv ...string) Message {
		m := Message{Attributes: map[string]MessageAttribute{}}
		for i := 0; i < len(kv); i += 3 {
			m.Attributes[kv[i]] = MessageAttribute{DataType: kv[i+1], StringValue: kv[i+2]}
		}
		return m
	}
	for _, tc := range []struct {
		name, policy string
		m            Message
		want         bool
	}{
		{"exact", `{"store":["example_corp"]}`, attrs("store", "String", "example_corp"), true},
		{"exact miss", `{"store":["example_corp"]}`, attrs("store", "String", "other"), false},
		{"missing key", `{"store":["example_corp"]}`, attrs(), false},
		{"and across keys", `{"store":["a"],"event":["b"]}`, attrs("store", "String", "a", "event", "String", "c"), false},
		{"prefix", `{"customer_interests":[{"prefix":"bas"}]}`, attrs("customer_interests", "String", "baseball"), true},
		{"anything-but", `{"customer_interests":[{"anything-but":["rugby","tennis"]}]}`, attrs("customer_interests", "String", "rugby"), false},
		{"numeric range", `{"price_usd":[{"numeric":[">",0,"<=",150]}]}`, attrs("price_usd", "Number", "100"), true},
		{"numeric out", `{"price_usd":[{"numeric":[">",0,"<=",150]}]}`, attrs("price_usd", "Number", "151"), false},
		{"exists false", `{"store":[{"exists":false}]}`, attrs(), true},
		{"array attribute", `{"interests":["soccer"]}`, attrs("interests", "String.Array", `["rugby","soccer"]`), true},
		{"body scope", `{"order":{"total":[{"numeric":[">=",10]}]}}`, Message{Message: `{"order":{"total":12}}`}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub := Subscription{Protocol: protoSQS, Attributes: map[string]string{"FilterPolicy": tc.policy}}
			if tc.name == "body scope" {
				sub.Attributes["FilterPolicyScope"] = "MessageBody"
			}
			if got, err := matchesFilter(sub, tc.m); err != nil || got != tc.want {
				t.Errorf("matchesFilter(%s) = %v, %v, want %v", tc.policy, got, err, tc.want)
			}
		})
	}
}
