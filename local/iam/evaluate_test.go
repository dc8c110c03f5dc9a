package iam_test

import (
	"testing"

	"github.com/sparta-go/sparta/local/iam"
)

const (
	fnARN    = "arn:aws:lambda:us-east-1:000000000000:function:RollDie-root_rollDie"
	topicARN = "arn:aws:sns:us-east-1:000000000000:alerts"
	smARN    = "arn:aws:states:us-east-1:000000000000:stateMachine:RollDie"
)

func mustParse(t *testing.T, doc string) *iam.Policy {
	t.Helper()
	p, err := iam.ParsePolicy(doc)
	if err != nil {
		t.Fatalf("ParsePolicy(%s) = %v", doc, err)
	}
	return p
}

func TestEvaluate(t *testing.T) {
	invoke := iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN}
	tests := []struct {
		name     string
		policies []string
		req      iam.Request
		want     iam.Decision
	}{
		{"no policy is an implicit deny", nil, invoke, iam.ImplicitDeny},
		{"exact action and resource", []string{`{"Statement":{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"` + fnARN + `"}}`}, invoke, iam.Allow},
		{"action list", []string{`{"Statement":[{"Effect":"Allow","Action":["sns:Publish","lambda:InvokeFunction"],"Resource":"*"}]}`}, invoke, iam.Allow},
		{"action is case-insensitive", []string{`{"Statement":[{"Effect":"Allow","Action":"LAMBDA:invokefunction","Resource":"*"}]}`}, invoke, iam.Allow},
		{"action star wildcard", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:Invoke*","Resource":"*"}]}`}, invoke, iam.Allow},
		{"action question wildcard", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunctio?","Resource":"*"}]}`}, invoke, iam.Allow},
		{"action star alone", []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}, invoke, iam.Allow},
		{"other action", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:GetFunction","Resource":"*"}]}`}, invoke, iam.ImplicitDeny},
		{"other resource", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"` + fnARN + `x"}]}`}, invoke, iam.ImplicitDeny},
		{"resource is case-sensitive", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:000000000000:function:rolldie-root_rolldie"}]}`}, invoke, iam.ImplicitDeny},
		{"resource wildcard", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:*:*:function:RollDie-*"}]}`}, invoke, iam.Allow},
		{"unqualified ARN does not cover a qualified invoke", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"` + fnARN + `"}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN + ":live"}, iam.ImplicitDeny},
		{"ARN:* covers a qualified invoke", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["` + fnARN + `","` + fnARN + `:*"]}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN + ":live"}, iam.Allow},
		{"NotAction allows the rest", []string{`{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`}, invoke, iam.Allow},
		{"NotAction excludes its own", []string{`{"Statement":[{"Effect":"Allow","NotAction":"lambda:*","Resource":"*"}]}`}, invoke, iam.ImplicitDeny},
		{"NotResource allows the rest", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:*","NotResource":"` + topicARN + `"}]}`}, invoke, iam.Allow},
		{"NotResource excludes its own", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:*","NotResource":"arn:aws:lambda:*"}]}`}, invoke, iam.ImplicitDeny},
		{"explicit deny wins in the same policy", []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"lambda:InvokeFunction","Resource":"*"}]}`}, invoke, iam.ExplicitDeny},
		{"explicit deny wins across policies", []string{
			`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}]}`,
			`{"Statement":[{"Effect":"Deny","Action":"lambda:*","Resource":"` + fnARN + `"}]}`}, invoke, iam.ExplicitDeny},
		{"deny on another resource does not apply", []string{
			`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"` + topicARN + `"}]}`}, invoke, iam.Allow},
		{"StringEquals SourceAccount holds", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceAccount": "000000000000"}}, iam.Allow},
		{"StringEquals with a numeric account", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":123456789012}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceAccount": "123456789012"}}, iam.Allow},
		{"StringEquals fails on another account", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceAccount": "000000000000"}}, iam.ImplicitDeny},
		{"StringEquals fails on a missing key", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}}}]}`},
			invoke, iam.ImplicitDeny},
		{"condition key names are case-insensitive", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"AWS:sourceaccount":"000000000000"}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceAccount": "000000000000"}}, iam.Allow},
		{"StringLike with a list of values", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringLike":{"aws:SourceArn":["arn:aws:states:*:*:stateMachine:Other","arn:aws:states:*:*:stateMachine:Roll*"]}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceArn": smARN}}, iam.Allow},
		{"ArnLike matches part by part", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:states:*:000000000000:stateMachine:*"}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceArn": smARN}}, iam.Allow},
		{"ArnLike does not let a region star swallow the account", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:states:*:stateMachine:RollDie"}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceArn": smARN}}, iam.ImplicitDeny},
		{"ArnEquals exact", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"` + smARN + `"}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceArn": smARN}}, iam.Allow},
		{"all operators must hold", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"` + smARN + `"},"StringEquals":{"aws:SourceAccount":"1"}}}]}`},
			iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: map[string]string{"aws:SourceArn": smARN, "aws:SourceAccount": "000000000000"}}, iam.ImplicitDeny},
		{"StringNotEquals holds on a missing key", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"1"}}}]}`},
			invoke, iam.Allow},
		{"IfExists holds on a missing key", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"1"}}}]}`},
			invoke, iam.Allow},
		{"unsupported operator never makes an Allow apply", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`},
			invoke, iam.ImplicitDeny},
		{"unsupported operator always lets a Deny apply", []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"lambda:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`},
			invoke, iam.ExplicitDeny},
		{"unmodeled key never makes an Allow apply", []string{`{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}]}`},
			invoke, iam.ImplicitDeny},
		{"unmodeled key lets a Deny apply", []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}]}`},
			invoke, iam.ExplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps []*iam.Policy
			for _, d := range tt.policies {
				ps = append(ps, mustParse(t, d))
			}
			if got := iam.Evaluate(tt.req, ps...); got != tt.want {
				t.Errorf("Evaluate(%+v) = %v, want %v", tt.req, got, tt.want)
			}
		})
	}
}

func TestEvaluateTrust(t *testing.T) {
	assume := func(principal string, ctx map[string]string) iam.Request {
		return iam.Request{Action: "sts:AssumeRole", Principal: map[string]string{"Service": principal}, Context: ctx}
	}
	states := map[string]string{"aws:SourceAccount": "000000000000", "aws:SourceArn": smARN}
	tests := []struct {
		name string
		doc  string
		req  iam.Request
		want iam.Decision
	}{
		{"service principal", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, assume("states.amazonaws.com", nil), iam.Allow},
		{"service list", `{"Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","states.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`, assume("states.amazonaws.com", nil), iam.Allow},
		{"other service", `{"Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`, assume("states.amazonaws.com", nil), iam.ImplicitDeny},
		{"everyone", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`, assume("states.amazonaws.com", nil), iam.Allow},
		{"AWS star", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`, assume("states.amazonaws.com", nil), iam.Allow},
		{"NotPrincipal", `{"Statement":[{"Effect":"Allow","NotPrincipal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, assume("states.amazonaws.com", nil), iam.Allow},
		{"framework trust policy with SourceAccount", `{"Statement":[{"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}},"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"}}],"Version":"2012-10-17"}`,
			assume("states.amazonaws.com", states), iam.Allow},
		{"SourceAccount of another account", `{"Statement":[{"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}},"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"}}]}`,
			assume("states.amazonaws.com", states), iam.ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := iam.Evaluate(tt.req, mustParse(t, tt.doc)); got != tt.want {
				t.Errorf("Evaluate(%+v) = %v, want %v", tt.req, got, tt.want)
			}
		})
	}
}

func TestParsePolicyRejects(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"not JSON", `{`},
		{"no statement", `{"Version":"2012-10-17"}`},
		{"bad effect", `{"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}`},
		{"no action", `{"Statement":{"Effect":"Allow","Resource":"*"}}`},
		{"both action forms", `{"Statement":{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}}`},
		{"both resource forms", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}`},
		{"action without service", `{"Statement":{"Effect":"Allow","Action":"InvokeFunction","Resource":"*"}}`},
		{"unknown field", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Actions":"x"}}`},
		{"empty list", `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := iam.ParsePolicy(tt.doc); err == nil {
				t.Errorf("ParsePolicy(%s) = nil error, want MalformedPolicyDocument", tt.doc)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, value string
		want           bool
	}{
		{"*", "", true},
		{"*", "anything:at/all", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbb", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*:*:*", "a:b:c", true},
		{"**a", "bbba", true},
		{"a*b*c*d", "aXbYcZd", true},
		{"a*b*c*d", "aXbYcZ", false},
	}
	for _, tt := range tests {
		if got := iam.Glob(tt.pattern, tt.value); got != tt.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.want)
		}
	}
}

func FuzzParseAndEvaluate(f *testing.F) {
	f.Add(`{"Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*","Condition":{"StringLike":{"aws:SourceArn":"a*"}}}]}`, "lambda:InvokeFunction", fnARN)
	f.Fuzz(func(t *testing.T, doc, action, res string) {
		p, err := iam.ParsePolicy(doc)
		if err != nil {
			return
		}
		_ = iam.Evaluate(iam.Request{Action: action, Resource: res, Context: map[string]string{"aws:SourceArn": res}}, p)
	})
}
