package iam_test

import (
	"testing"

	"github.com/sparta-go/sparta/local/iam"
)

// An explicit Deny wins over any Allow whatever the order of the
// statements in a policy and of the policies in a request.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
func TestEvaluateDenyWinsInEveryOrder(t *testing.T) {
	invoke := iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN}
	const (
		allow = `{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}`
		deny  = `{"Effect":"Deny","Action":"lambda:*","Resource":"` + fnARN + `"}`
		other = `{"Effect":"Deny","Action":"sns:Publish","Resource":"*"}`
	)
	tests := []struct {
		name     string
		policies []string
		want     iam.Decision
	}{
		{"allow then deny in one policy", []string{`{"Statement":[` + allow + `,` + deny + `]}`}, iam.ExplicitDeny},
		{"deny then allow in one policy", []string{`{"Statement":[` + deny + `,` + allow + `]}`}, iam.ExplicitDeny},
		{"allow policy then deny policy", []string{`{"Statement":[` + allow + `]}`, `{"Statement":[` + deny + `]}`}, iam.ExplicitDeny},
		{"deny policy then allow policy", []string{`{"Statement":[` + deny + `]}`, `{"Statement":[` + allow + `]}`}, iam.ExplicitDeny},
		{"deny alone is explicit", []string{`{"Statement":[` + deny + `]}`}, iam.ExplicitDeny},
		{"a deny that does not apply, before the allow", []string{`{"Statement":[` + other + `,` + allow + `]}`}, iam.Allow},
		{"a deny that does not apply, after the allow", []string{`{"Statement":[` + allow + `,` + other + `]}`}, iam.Allow},
		{"a deny that does not apply, alone", []string{`{"Statement":[` + other + `]}`}, iam.ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps []*iam.Policy
			for _, d := range tt.policies {
				ps = append(ps, mustParse(t, d))
			}
			if got := iam.Evaluate(invoke, ps...); got != tt.want {
				t.Errorf("Evaluate(%+v) = %v, want %v", invoke, got, tt.want)
			}
			// A nil policy (a role without an inline policy) changes nothing.
			if got := iam.Evaluate(invoke, append([]*iam.Policy{nil}, ps...)...); got != tt.want {
				t.Errorf("Evaluate(%+v, nil, ...) = %v, want %v", invoke, got, tt.want)
			}
		})
	}
}

// Each condition operator at its edges: the exact value, the value in
// another case, a value one character off, and the key missing.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
func TestEvaluateConditionOperators(t *testing.T) {
	policy := func(op, key, values string) string {
		return `{"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"` + op + `":{"` + key + `":` + values + `}}}]}`
	}
	req := func(ctx map[string]string) iam.Request {
		return iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: ctx}
	}
	arn := map[string]string{"aws:SourceArn": smARN}
	acct := map[string]string{"aws:SourceAccount": "000000000000"}
	upper := map[string]string{"aws:SourceArn": "ARN:AWS:STATES:US-EAST-1:000000000000:STATEMACHINE:ROLLDIE"}
	tests := []struct {
		name string
		doc  string
		ctx  map[string]string
		want iam.Decision
	}{
		{"StringEquals is case-sensitive", policy("StringEquals", "aws:SourceArn", `"`+smARN+`"`), upper, iam.ImplicitDeny},
		{"StringEqualsIgnoreCase matches another case", policy("StringEqualsIgnoreCase", "aws:SourceArn", `"`+smARN+`"`), upper, iam.Allow},
		{"StringEqualsIgnoreCase matches the same case", policy("StringEqualsIgnoreCase", "aws:SourceArn", `"`+smARN+`"`), arn, iam.Allow},
		{"StringEqualsIgnoreCase fails one character off", policy("StringEqualsIgnoreCase", "aws:SourceArn", `"`+smARN+`x"`), upper, iam.ImplicitDeny},
		{"StringEqualsIgnoreCase fails on a missing key", policy("StringEqualsIgnoreCase", "aws:SourceArn", `"`+smARN+`"`), nil, iam.ImplicitDeny},
		{"StringEqualsIgnoreCase any value of a list", policy("StringEqualsIgnoreCase", "aws:SourceArn", `["x","`+smARN+`"]`), upper, iam.Allow},
		{"StringEqualsIgnoreCaseIfExists holds on a missing key", policy("StringEqualsIgnoreCaseIfExists", "aws:SourceArn", `"x"`), nil, iam.Allow},
		{"StringEqualsIgnoreCaseIfExists still compares a present key", policy("StringEqualsIgnoreCaseIfExists", "aws:SourceArn", `"x"`), arn, iam.ImplicitDeny},
		{"StringNotEqualsIgnoreCase fails on another case", policy("StringNotEqualsIgnoreCase", "aws:SourceArn", `"`+smARN+`"`), upper, iam.ImplicitDeny},
		{"StringNotEqualsIgnoreCase holds on another value", policy("StringNotEqualsIgnoreCase", "aws:SourceArn", `"x"`), upper, iam.Allow},
		{"StringNotEqualsIgnoreCase holds on a missing key", policy("StringNotEqualsIgnoreCase", "aws:SourceArn", `"x"`), nil, iam.Allow},
		{"StringNotEquals fails on the value", policy("StringNotEquals", "aws:SourceAccount", `"000000000000"`), acct, iam.ImplicitDeny},
		{"StringNotEquals fails when any value of the list matches", policy("StringNotEquals", "aws:SourceAccount", `["1","000000000000"]`), acct, iam.ImplicitDeny},
		{"StringNotEquals holds when none matches", policy("StringNotEquals", "aws:SourceAccount", `["1","2"]`), acct, iam.Allow},
		{"StringLike is case-sensitive", policy("StringLike", "aws:SourceArn", `"arn:aws:states:*:rolldie"`), arn, iam.ImplicitDeny},
		{"StringLike star spans colons", policy("StringLike", "aws:SourceArn", `"arn:aws:states:*:RollDie"`), arn, iam.Allow},
		{"StringLike question is one character", policy("StringLike", "aws:SourceArn", `"`+smARN[:len(smARN)-1]+`?"`), arn, iam.Allow},
		{"StringLike question is not zero characters", policy("StringLike", "aws:SourceArn", `"`+smARN+`?"`), arn, iam.ImplicitDeny},
		{"StringNotLike fails on a match", policy("StringNotLike", "aws:SourceArn", `"arn:aws:states:*"`), arn, iam.ImplicitDeny},
		{"StringNotLike holds without a match", policy("StringNotLike", "aws:SourceArn", `"arn:aws:sns:*"`), arn, iam.Allow},
		{"StringNotLike holds on a missing key", policy("StringNotLike", "aws:SourceArn", `"arn:aws:sns:*"`), nil, iam.Allow},
		{"ArnLike is case-sensitive", policy("ArnLike", "aws:SourceArn", `"arn:aws:states:*:*:stateMachine:rolldie"`), arn, iam.ImplicitDeny},
		{"ArnLike question in a part", policy("ArnLike", "aws:SourceArn", `"arn:aws:states:us-east-?:*:stateMachine:RollDie"`), arn, iam.Allow},
		{"ArnLike fails on an ARN of five parts", policy("ArnLike", "aws:SourceArn", `"arn:aws:states:*:*:*"`), map[string]string{"aws:SourceArn": "arn:aws:states:us-east-1:000000000000"}, iam.ImplicitDeny},
		{"ArnLike fails on a pattern of five parts", policy("ArnLike", "aws:SourceArn", `"arn:aws:states:*:*"`), arn, iam.ImplicitDeny},
		{"ArnLike fails on a missing key", policy("ArnLike", "aws:SourceArn", `"*"`), nil, iam.ImplicitDeny},
		{"ArnLike star resource part spans the rest", policy("ArnLike", "aws:SourceArn", `"arn:aws:states:*:*:*"`), arn, iam.Allow},
		{"ArnNotEquals fails on the same ARN", policy("ArnNotEquals", "aws:SourceArn", `"`+smARN+`"`), arn, iam.ImplicitDeny},
		{"ArnNotEquals holds on another ARN", policy("ArnNotEquals", "aws:SourceArn", `"arn:aws:states:us-east-1:000000000000:stateMachine:Other"`), arn, iam.Allow},
		{"ArnNotLike fails on a match", policy("ArnNotLike", "aws:SourceArn", `"arn:aws:states:*:*:*"`), arn, iam.ImplicitDeny},
		{"ArnNotLike holds on a missing key", policy("ArnNotLike", "aws:SourceArn", `"arn:aws:states:*:*:*"`), nil, iam.Allow},
		{"every key of an operator must hold", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000","aws:SourceArn":"x"}}}]}`,
			map[string]string{"aws:SourceAccount": "000000000000", "aws:SourceArn": smARN}, iam.ImplicitDeny},
		{"every key of an operator holds", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000","aws:SourceArn":"` + smARN + `"}}}]}`,
			map[string]string{"aws:SourceAccount": "000000000000", "aws:SourceArn": smARN}, iam.Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req(tt.ctx)
			if got := iam.Evaluate(r, mustParse(t, tt.doc)); got != tt.want {
				t.Errorf("Evaluate(%+v) under %s = %v, want %v", r, tt.doc, got, tt.want)
			}
		})
	}
}

// A condition in a Deny statement: the Deny applies only when it holds.
func TestEvaluateConditionalDeny(t *testing.T) {
	const doc = `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"000000000000"}}},{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	tests := []struct {
		name string
		ctx  map[string]string
		want iam.Decision
	}{
		{"own account is allowed", map[string]string{"aws:SourceAccount": "000000000000"}, iam.Allow},
		{"another account is denied", map[string]string{"aws:SourceAccount": "111111111111"}, iam.ExplicitDeny},
		{"no account is denied", nil, iam.ExplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN, Context: tt.ctx}
			if got := iam.Evaluate(r, mustParse(t, doc)); got != tt.want {
				t.Errorf("Evaluate(%+v) = %v, want %v", r, got, tt.want)
			}
		})
	}
}
