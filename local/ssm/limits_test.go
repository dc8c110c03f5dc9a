package ssm_test

import (
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/local/ssm"
)

// TestParameterLimits checks Parameter Store's limits at the limit and one
// past it.
// See https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html#sysman-parameter-name-constraints
// and https://docs.aws.amazon.com/general/latest/gr/ssm.html#limits_ssm
func TestParameterLimits(t *testing.T) {
	c := localtest.Start(t)
	svc, _ := c.Service("ssm")
	s := svc.(*ssm.Service)
	levels := func(n int) string { return strings.Repeat("/a", n) }
	for _, tc := range []struct {
		name    string
		in      ssm.PutInput
		wantErr string
	}{
		{"name of 2048 characters", ssm.PutInput{Name: strings.Repeat("n", 2048), Value: "v", Type: "String"}, ""},
		{"name of 2049 characters", ssm.PutInput{Name: strings.Repeat("n", 2049), Value: "v", Type: "String"}, "length between 1 and 2048"},
		{"15 levels", ssm.PutInput{Name: levels(15), Value: "v", Type: "String"}, ""},
		{"16 levels", ssm.PutInput{Name: levels(16), Value: "v", Type: "String"}, "more than 15 levels"},
		{"value of 4096 characters", ssm.PutInput{Name: "big", Value: strings.Repeat("v", 4096), Type: "String"}, ""},
		{"value of 4097 characters", ssm.PutInput{Name: "bigger", Value: strings.Repeat("v", 4097), Type: "String"}, "length between 1 and 4096"},
		{"empty value", ssm.PutInput{Name: "empty", Value: "", Type: "String"}, "length between 1 and 4096"},
		{"reserved aws prefix", ssm.PutInput{Name: "AWSthing", Value: "v", Type: "String"}, "reserved parameter name"},
		{"reserved ssm prefix under a slash", ssm.PutInput{Name: "/ssm/x", Value: "v", Type: "String"}, "reserved parameter name"},
		{"allowed pattern met", ssm.PutInput{Name: "p1", Value: "123", Type: "String", AllowedPattern: "^[0-9]+$"}, ""},
		{"allowed pattern missed", ssm.PutInput{Name: "p2", Value: "12a", Type: "String", AllowedPattern: "^[0-9]+$"}, "cannot be validated against allowedPattern"},
		{"no type on create", ssm.PutInput{Name: "untyped", Value: "v"}, "A parameter type is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Put(tc.in)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("Put(%.40q) = %v, want %q", tc.in.Name, err, tc.wantErr)
			}
		})
	}

	// AWS keeps 100 versions: the 101st drops version 1, version 2 stays.
	for i := range 101 {
		if _, err := s.Put(ssm.PutInput{Name: "/hist", Value: "v", Type: "String", Overwrite: i > 0}); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := s.Parameter("/hist", 1); ok {
		t.Error("version 1 of /hist is kept after 101 puts, want it dropped")
	}
	if _, ok := s.Parameter("/hist", 2); !ok {
		t.Error("version 2 of /hist is gone after 101 puts, want it kept")
	}
	if _, ok := s.Parameter("/hist", 101); !ok {
		t.Error("version 101 of /hist is missing")
	}
}
