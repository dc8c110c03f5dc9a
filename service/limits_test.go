package service_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/service"
)

// validateOptions validates a function with opts and reports whether the
// error (if any) contains want; want "" means valid.
func checkOptions(t *testing.T, opts service.LambdaFunctionOptions, want string) {
	t.Helper()
	l := mustLambda(t, "fn")
	l.Options = &opts
	err := l.Validate()
	switch {
	case want == "" && err != nil:
		t.Errorf("Validate() = %v, want nil", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("Validate() = %v, want an error containing %q", err, want)
	}
}

func tags(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = "v"
	}
	return m
}

// TestOptionLimits pins every option at its limit and one past it.
// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html,
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html and
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html.
func TestOptionLimits(t *testing.T) {
	tests := []struct {
		name string
		opts service.LambdaFunctionOptions
		want string
	}{
		{"memory at minimum", service.LambdaFunctionOptions{MemorySize: 128}, ""},
		{"memory one below minimum", service.LambdaFunctionOptions{MemorySize: 127}, "MemorySize 127 MB is out of range"},
		{"memory at maximum", service.LambdaFunctionOptions{MemorySize: 10240}, ""},
		{"memory one past maximum", service.LambdaFunctionOptions{MemorySize: 10241}, "MemorySize 10241 MB is out of range"},
		{"timeout at minimum", service.LambdaFunctionOptions{Timeout: 1}, ""},
		{"timeout one second below maximum", service.LambdaFunctionOptions{Timeout: 899}, ""},
		{"timeout at maximum", service.LambdaFunctionOptions{Timeout: 900}, ""},
		{"timeout one second past maximum", service.LambdaFunctionOptions{Timeout: 901}, "out of range"},
		{"timeout negative", service.LambdaFunctionOptions{Timeout: -1}, "out of range"},
		{"ephemeral at minimum", service.LambdaFunctionOptions{EphemeralStorage: 512}, ""},
		{"ephemeral one below minimum", service.LambdaFunctionOptions{EphemeralStorage: 511}, "EphemeralStorage 511 MB"},
		{"ephemeral at maximum", service.LambdaFunctionOptions{EphemeralStorage: 10240}, ""},
		{"ephemeral one past maximum", service.LambdaFunctionOptions{EphemeralStorage: 10241}, "EphemeralStorage 10241 MB"},
		{"concurrency 0", service.LambdaFunctionOptions{ReservedConcurrentExecutions: intp(0)}, ""},
		{"retention first value", service.LambdaFunctionOptions{LogRetentionInDays: 1}, ""},
		{"retention last value", service.LambdaFunctionOptions{LogRetentionInDays: 3653}, ""},
		{"retention one past", service.LambdaFunctionOptions{LogRetentionInDays: 3654}, "LogRetentionInDays 3654"},
		{"architecture arm64", service.LambdaFunctionOptions{Architecture: service.ArchARM64}, ""},
		{"architecture Go spelling", service.LambdaFunctionOptions{Architecture: "amd64"}, `Architecture "amd64"`},

		// Environment: 4 KB of keys and values together.
		{"environment at 4 KB counting the key", service.LambdaFunctionOptions{Environment: map[string]string{"K": strings.Repeat("x", 4095)}}, ""},
		{"environment one byte past 4 KB because of the key", service.LambdaFunctionOptions{Environment: map[string]string{"KK": strings.Repeat("x", 4095)}}, "Environment is 4097 bytes, over Lambda's 4 KB limit"},
		{"environment at 4 KB over two variables", service.LambdaFunctionOptions{Environment: map[string]string{"A": strings.Repeat("x", 2047), "B": strings.Repeat("y", 2047)}}, ""},
		{"environment one past 4 KB over two variables", service.LambdaFunctionOptions{Environment: map[string]string{"A": strings.Repeat("x", 2047), "B": strings.Repeat("y", 2048)}}, "Environment is 4097 bytes"},
		{"environment key of one letter", service.LambdaFunctionOptions{Environment: map[string]string{"A": ""}}, ""},
		{"environment key with underscore and digit", service.LambdaFunctionOptions{Environment: map[string]string{"a_1": "v"}}, ""},
		{"environment key starting with underscore", service.LambdaFunctionOptions{Environment: map[string]string{"_A": "v"}}, `Environment key "_A" is invalid`},
		{"environment key with a dash", service.LambdaFunctionOptions{Environment: map[string]string{"A-B": "v"}}, `Environment key "A-B" is invalid`},
		{"environment empty key", service.LambdaFunctionOptions{Environment: map[string]string{"": "v"}}, `Environment key "" is invalid`},
		{"reserved key _HANDLER", service.LambdaFunctionOptions{Environment: map[string]string{"_HANDLER": "v"}}, `Environment key "_HANDLER"`},
		{"reserved key LAMBDA_TASK_ROOT", service.LambdaFunctionOptions{Environment: map[string]string{"LAMBDA_TASK_ROOT": "v"}}, "reserved by the Lambda runtime"},

		// Tags: 50 per function, one of them sparta:service.
		{"49 tags", service.LambdaFunctionOptions{Tags: tags(49)}, ""},
		{"50 tags", service.LambdaFunctionOptions{Tags: tags(50)}, "50 Tags is too many"},
		{"empty tag key", service.LambdaFunctionOptions{Tags: map[string]string{"": "v"}}, `Tag key "" must be 1 to 128 characters`},
		{"tag key of 128", service.LambdaFunctionOptions{Tags: map[string]string{strings.Repeat("k", 128): "v"}}, ""},
		{"tag key of 129", service.LambdaFunctionOptions{Tags: map[string]string{strings.Repeat("k", 129): "v"}}, "must be 1 to 128 characters"},
		{"tag value of 256", service.LambdaFunctionOptions{Tags: map[string]string{"k": strings.Repeat("v", 256)}}, ""},
		{"tag value of 257", service.LambdaFunctionOptions{Tags: map[string]string{"k": strings.Repeat("v", 257)}}, `Tag "k" value is 257 characters, over the 256 limit`},
		{"empty tag value", service.LambdaFunctionOptions{Tags: map[string]string{"k": ""}}, ""},
		{"aws: prefix in upper case", service.LambdaFunctionOptions{Tags: map[string]string{"AWS:x": "v"}}, "reserved aws: prefix"},
		{"aws without colon is allowed", service.LambdaFunctionOptions{Tags: map[string]string{"awsx": "v"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkOptions(t, tt.opts, tt.want) })
	}
}

// TestFunctionNameLimits: 1 to 64 letters, digits, '-' or '_'.
// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName.
func TestFunctionNameLimits(t *testing.T) {
	tests := []struct {
		name, fn string
		ok       bool
	}{
		{"one character", "a", true},
		{"64 characters", strings.Repeat("a", 64), true},
		{"65 characters", strings.Repeat("a", 65), false},
		{"empty", "", false},
		{"dash and underscore", "a-b_C9", true},
		{"dot", "a.b", false},
		{"space", "a b", false},
		{"colon", "a:b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := service.NewAWSLambda(tt.fn, func() error { return nil }, service.IAMRoleDefinition{})
			if (err == nil) != tt.ok {
				t.Errorf("NewAWSLambda(%q) = %v, want ok = %v", tt.fn, err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "invalid name: use 1 to 64 letters") {
				t.Errorf("NewAWSLambda(%q) = %v, want the name rule", tt.fn, err)
			}
			l := &service.LambdaAWSInfo{Name: tt.fn, Handler: func() error { return nil }}
			if err := l.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() of %q = %v, want ok = %v", tt.fn, err, tt.ok)
			}
		})
	}
}

// TestExistingRole accepts a role name and a role ARN in each partition
// and with a path; refuses anything else and Privileges beside it.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html.
func TestExistingRole(t *testing.T) {
	tests := []struct {
		name, role string
		isARN      bool
		want       string
	}{
		{"name", "my-role", false, ""},
		{"name with every allowed symbol", "a+=,.@_-b", false, ""},
		{"name of 64", strings.Repeat("r", 64), false, ""},
		{"name of 65", strings.Repeat("r", 65), false, "is neither a role name nor a role ARN"},
		{"name with a slash", "a/b", false, "is neither a role name nor a role ARN"},
		{"ARN", "arn:aws:iam::123456789012:role/my-role", true, ""},
		{"ARN with a path", "arn:aws:iam::123456789012:role/service-role/my-role", true, ""},
		{"ARN in aws-cn", "arn:aws-cn:iam::123456789012:role/my-role", true, ""},
		{"ARN in aws-us-gov", "arn:aws-us-gov:iam::123456789012:role/my-role", true, ""},
		{"ARN with a short account", "arn:aws:iam::12345:role/my-role", true, "is neither a role name nor a role ARN"},
		{"ARN of a user", "arn:aws:iam::123456789012:user/me", true, "is neither a role name nor a role ARN"},
		{"ARN with a region", "arn:aws:iam:us-east-1:123456789012:role/my-role", true, "is neither a role name nor a role ARN"},
		{"ARN without a name", "arn:aws:iam::123456789012:role/", true, "is neither a role name nor a role ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role := service.IAMRoleDefinition{ExistingRole: tt.role}
			arn, isARN, ok := role.ExistingRoleARN()
			if arn != tt.role || isARN != tt.isARN || !ok {
				t.Errorf("ExistingRoleARN() = %q, %v, %v; want %q, %v, true", arn, isARN, ok, tt.role, tt.isARN)
			}
			l := mustLambda(t, "fn")
			l.Role = role
			err := l.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			// Privileges beside an existing role are refused in every form.
			l.Role.Privileges = []service.IAMRolePrivilege{{Actions: []string{"s3:GetObject"}, Resource: "*"}}
			if err := l.Validate(); err == nil || !strings.Contains(err.Error(), "ExistingRole and Privileges cannot be combined") {
				t.Errorf("Validate() with Privileges = %v, want them refused", err)
			}
		})
	}
	if _, _, ok := (service.IAMRoleDefinition{}).ExistingRoleARN(); ok {
		t.Error("ExistingRoleARN() of no role reports one")
	}
}

// TestPrivilegeForms: each Resource form IAMRolePrivilege documents, and
// each malformed one.
func TestPrivilegeForms(t *testing.T) {
	tests := []struct {
		name string
		p    service.IAMRolePrivilege
		want string
	}{
		{"string ARN", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: "arn:aws:s3:::b/*"}, ""},
		{"star", service.IAMRolePrivilege{Actions: []string{"xray:PutTraceSegments"}, Resource: "*"}, ""},
		{"list of ARNs", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}, ""},
		{"intrinsic map", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: map[string]any{"Fn::GetAtt": []string{"B", "Arn"}}}, ""},
		{"action wildcard", service.IAMRolePrivilege{Actions: []string{"s3:Get*"}, Resource: "*"}, ""},
		{"action star", service.IAMRolePrivilege{Actions: []string{"*"}, Resource: "*"}, ""},
		{"empty string", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: ""}, "Privileges[0]: empty Resource"},
		{"empty list", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: []string{}}, "Privileges[0]: empty Resource list"},
		{"map of two keys", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: map[string]any{"Ref": "A", "Fn::GetAtt": "B.Arn"}}, "Resource map must be a single intrinsic"},
		{"empty map", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: map[string]any{}}, "Resource map must be a single intrinsic"},
		{"nil", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}}, "Privileges[0]: no Resource"},
		{"number", service.IAMRolePrivilege{Actions: []string{"s3:GetObject"}, Resource: 1}, "Resource of type int"},
		{"no actions", service.IAMRolePrivilege{Resource: "*"}, "Privileges[0]: no Actions"},
		{"action without service", service.IAMRolePrivilege{Actions: []string{"GetObject"}, Resource: "*"}, `action "GetObject" is not of the form service:Action`},
		{"action with a space", service.IAMRolePrivilege{Actions: []string{"s3:Get Object"}, Resource: "*"}, "is not of the form service:Action"},
		{"action with upper-case service", service.IAMRolePrivilege{Actions: []string{"S3:GetObject"}, Resource: "*"}, "is not of the form service:Action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLambda(t, "fn")
			l.Role = service.IAMRoleDefinition{Privileges: []service.IAMRolePrivilege{tt.p}}
			err := l.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
