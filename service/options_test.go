package service_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/service"
)

func mustLambda(t *testing.T, name string) *service.LambdaAWSInfo {
	t.Helper()
	l, err := service.NewAWSLambda(name, func() error { return nil }, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func intp(i int) *int { return &i }

func TestOptionsValidation(t *testing.T) {
	tests := []struct {
		name    string
		opts    service.LambdaFunctionOptions
		wantErr string
	}{
		{"zero value is AWS defaults", service.LambdaFunctionOptions{}, ""},
		{"all valid", service.LambdaFunctionOptions{
			MemorySize: 10240, Timeout: 900, Architecture: service.ArchX86_64,
			ReservedConcurrentExecutions: intp(0), EphemeralStorage: 512, LogRetentionInDays: 14,
			Environment: map[string]string{"TABLE_NAME": "t"}, Tags: map[string]string{"team": "dice"},
		}, ""},
		{"memory too small", service.LambdaFunctionOptions{MemorySize: 64}, "MemorySize 64 MB is out of range"},
		{"memory too large", service.LambdaFunctionOptions{MemorySize: 20000}, "MemorySize 20000 MB is out of range"},
		{"timeout too long", service.LambdaFunctionOptions{Timeout: 901}, "Timeout 901 seconds is out of range"},
		{"timeout too short", service.LambdaFunctionOptions{Timeout: -1}, "Timeout -1 seconds is out of range"},
		{"architecture", service.LambdaFunctionOptions{Architecture: "riscv"}, `Architecture "riscv"`},
		{"negative concurrency", service.LambdaFunctionOptions{ReservedConcurrentExecutions: intp(-1)}, "ReservedConcurrentExecutions -1"},
		{"ephemeral storage", service.LambdaFunctionOptions{EphemeralStorage: 100}, "EphemeralStorage 100 MB"},
		{"retention", service.LambdaFunctionOptions{LogRetentionInDays: 2}, "LogRetentionInDays 2"},
		{"env key", service.LambdaFunctionOptions{Environment: map[string]string{"1X": "y"}}, `Environment key "1X" is invalid`},
		{"reserved env key", service.LambdaFunctionOptions{Environment: map[string]string{"AWS_REGION": "y"}}, "reserved by the Lambda runtime"},
		{"env size", service.LambdaFunctionOptions{Environment: map[string]string{"BIG": strings.Repeat("x", 5000)}}, "over Lambda's 4 KB limit"},
		{"aws tag", service.LambdaFunctionOptions{Tags: map[string]string{"aws:x": "y"}}, "reserved aws: prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLambda(t, "fn")
			opts := tt.opts
			l.Options = &opts
			err := l.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Validate() = %v, want error containing %q", err, tt.wantErr)
			case err != nil && !strings.Contains(err.Error(), `function "fn": options:`):
				t.Fatalf("Validate() = %v, want it to name the function", err)
			}
		})
	}
}

func TestValidateLambdasReportsEverythingTogether(t *testing.T) {
	a, b := mustLambda(t, "a"), mustLambda(t, "a")
	c := mustLambda(t, "c")
	c.Options = &service.LambdaFunctionOptions{MemorySize: 1, Timeout: 3600}
	d := mustLambda(t, "d")
	d.Role = service.IAMRoleDefinition{Privileges: []service.IAMRolePrivilege{{Actions: []string{"s3 get"}}}}
	err := service.ValidateLambdas([]*service.LambdaAWSInfo{a, b, c, d, nil})
	if err == nil {
		t.Fatal("ValidateLambdas = nil, want errors")
	}
	for _, want := range []string{
		`function "a": declared twice`,
		`function "c": options: MemorySize 1 MB`,
		`function "c": options: Timeout 3600 seconds`,
		`function "d": role: Privileges[0]: action "s3 get"`,
		`function "d": role: Privileges[0]: no Resource`,
		`lambda functions[4] is nil`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateLambdas error lacks %q; got:\n%v", want, err)
		}
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 4 {
		t.Errorf("ValidateLambdas joined %d errors, want 4 (one per faulty entry)", n)
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		t.Fatal("want a joined error")
	}
}

func TestIAMRoleValidation(t *testing.T) {
	l := mustLambda(t, "fn")
	l.Role = service.IAMRoleDefinition{ExistingRole: "arn:aws:iam::123456789012:role/my-role",
		Privileges: []service.IAMRolePrivilege{{Actions: []string{"s3:GetObject"}, Resource: "arn:aws:s3:::b/*"}}}
	if err := l.Validate(); err == nil || !strings.Contains(err.Error(), "cannot be combined") {
		t.Fatalf("Validate() = %v, want ExistingRole+Privileges refused", err)
	}
	l.Role = service.IAMRoleDefinition{ExistingRole: "my-role"}
	if err := l.Validate(); err != nil {
		t.Fatalf("Validate(existing role) = %v", err)
	}
}

func TestParseArchitecture(t *testing.T) {
	for in, want := range map[string]service.Architecture{"arm64": service.ArchARM64, "x86_64": service.ArchX86_64, "amd64": service.ArchX86_64} {
		if got, err := service.ParseArchitecture(in); err != nil || got != want {
			t.Errorf("ParseArchitecture(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	if _, err := service.ParseArchitecture("386"); err == nil {
		t.Error("ParseArchitecture(386) = nil error, want one")
	}
}
