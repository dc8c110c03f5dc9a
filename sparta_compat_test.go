package sparta_test

import (
	"context"
	"strings"
	"testing"

	sparta "github.com/sparta-go/sparta"
)

func TestNewAWSLambdaTakesSpartasRoleArgument(t *testing.T) {
	handler := func(context.Context) error { return nil }
	named, err := sparta.NewAWSLambda("named", handler, "existing-role")
	if err != nil || named.Role.ExistingRole != "existing-role" {
		t.Errorf("NewAWSLambda(role name) = %+v, %v; want the existing role", named, err)
	}
	defined, err := sparta.NewAWSLambda("defined", handler, sparta.IAMRoleDefinition{})
	if err != nil || defined.Options == nil || defined.Options.MemorySize != 128 || defined.Options.Timeout != 3 {
		t.Errorf("NewAWSLambda(definition).Options = %+v, %v; want Sparta's defaults 128 MB and 3 seconds", defined.Options, err)
	}
	if _, err := sparta.NewAWSLambda("bad", handler, 42); err == nil || !strings.Contains(err.Error(), `function "bad": role of type int`) {
		t.Errorf("NewAWSLambda(role 42) = %v, want an error naming the function and the type", err)
	}
}

func TestHandleAWSLambdaPanicsWithTheError(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), `function "bad name!"`) {
			t.Errorf("HandleAWSLambda(bad name) panicked with %v, want NewAWSLambda's error", r)
		}
	}()
	sparta.HandleAWSLambda("bad name!", func() {}, sparta.IAMRoleDefinition{})
}

func TestCloudFormationResourceNameIsStable(t *testing.T) {
	a := sparta.CloudFormationResourceName("ECSCluster", "ECSCluster")
	if a != sparta.CloudFormationResourceName("ECSCluster", "ECSCluster") || !strings.HasPrefix(a, "ECSCluster") {
		t.Errorf("CloudFormationResourceName = %q, want the same ID every time, starting with the prefix", a)
	}
	if a == sparta.CloudFormationResourceName("ECSCluster", "Other") {
		t.Errorf("CloudFormationResourceName gave %q for different parts", a)
	}
}
