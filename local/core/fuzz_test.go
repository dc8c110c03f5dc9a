package core_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/core"
)

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		name, auth string
		want       core.Scope
		ok         bool
	}{
		{name: "sigv4", auth: "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
			want: core.Scope{AccessKeyID: "AKID", Date: "20250101", Region: "us-east-1", Service: "s3"}, ok: true},
		{name: "no spaces", auth: "AWS4-HMAC-SHA256 Credential=A/20250101/eu-west-1/logs/aws4_request,SignedHeaders=host,Signature=abc",
			want: core.Scope{AccessKeyID: "A", Date: "20250101", Region: "eu-west-1", Service: "logs"}, ok: true},
		{name: "sigv4a", auth: "AWS4-ECDSA-P256-SHA256 Credential=AKID/20250101/s3/aws4_request, SignedHeaders=host, Signature=abc",
			want: core.Scope{AccessKeyID: "AKID", Date: "20250101", Service: "s3"}, ok: true},
		{name: "sigv2", auth: "AWS AKID:signature"},
		{name: "truncated", auth: "AWS4-HMAC-SHA256 Credential=AKID/20250101"},
		{name: "empty service", auth: "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1//aws4_request"},
		{name: "empty", auth: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := core.ParseAuthorization(tt.auth)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ParseAuthorization(%q) = %+v, %v; want %+v, %v", tt.auth, got, ok, tt.want, tt.ok)
			}
		})
	}
	// Presigned URLs carry the scope in the query.
	r, _ := http.NewRequest(http.MethodGet, "http://x/b/k?X-Amz-Credential=AKID%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc", nil)
	if s, ok := core.ScopeFromRequest(r); !ok || s.Service != "s3" {
		t.Errorf("ScopeFromRequest(presigned) = %+v, %v", s, ok)
	}
}

func TestQueryHelpers(t *testing.T) {
	v, _ := url.ParseQuery("Action=CreateTopic&Name=t&Attributes.entry.2.key=B&Attributes.entry.2.value=2&Attributes.entry.1.key=A&Attributes.entry.1.value=1" +
		"&Tags.member.1.Key=k&Tags.member.1.Value=v&Names.member.2=second&Names.member.1=first&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.DataType=String")
	if m := core.QueryMap(v, "Attributes.entry", "key", "value"); m["A"] != "1" || m["B"] != "2" || len(m) != 2 {
		t.Errorf("QueryMap = %v", m)
	}
	if l := core.QueryList(v, "Names.member"); strings.Join(l, ",") != "first,second" {
		t.Errorf("QueryList = %q", l)
	}
	s := core.QueryStructs(v, "MessageAttributes.entry")
	if len(s) != 1 || s[0].Get("Name") != "n" || s[0].Get("Value.DataType") != "String" {
		t.Errorf("QueryStructs = %v", s)
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc")
	f.Add("AWS4-ECDSA-P256-SHA256 Credential=a/b/c/aws4_request")
	f.Add("AWS4- Credential=////aws4_request,Credential=")
	f.Fuzz(func(t *testing.T, auth string) {
		s, ok := core.ParseAuthorization(auth)
		if ok && s.Service == "" {
			t.Errorf("ParseAuthorization(%q) accepted an empty service", auth)
		}
		core.ParseCredential(auth)
	})
}

func FuzzParseQuery(f *testing.F) {
	f.Add("Action=Publish&TopicArn=arn&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=String", "")
	f.Add("a.1.b=%zz&&=&Tags.member.0.Key=x&Tags.member.-1=y&Tags.member.99999999999999999999=z", "x=1")
	f.Fuzz(func(t *testing.T, body, rawQuery string) {
		r, err := http.NewRequest(http.MethodPost, "http://local/?"+url.PathEscape(rawQuery), strings.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		v, err := core.ParseQuery(r)
		if err != nil {
			return
		}
		for _, prefix := range []string{"Tags.member", "Attributes.entry", "MessageAttributes.entry", "a"} {
			core.QueryStructs(v, prefix)
			core.QueryList(v, prefix)
			core.QueryMap(v, prefix, "key", "value")
		}
	})
}
