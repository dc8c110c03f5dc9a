package cloudformation_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sparta-go/sparta/local/localtest"
)

// TestGetTemplateSummaryWithTheCLI: parameters with their types, defaults
// and allowed values, the capability a named role needs, and the resource
// types, as `aws cloudformation deploy` reads them before an update.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplateSummary.html
func TestGetTemplateSummaryWithTheCLI(t *testing.T) {
	c := localtest.Start(t)
	body := `{"AWSTemplateFormatVersion":"2010-09-09","Description":"d",
	 "Parameters":{"Stage":{"Type":"String","Default":"dev","AllowedValues":["dev","prod"]},"Secret":{"Type":"String","NoEcho":true}},
	 "Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"RoleName":"r","AssumeRolePolicyDocument":{}}},"T":{"Type":"AWS::SNS::Topic"}}}`
	var got struct {
		Parameters []struct {
			ParameterKey, DefaultValue, ParameterType string
			NoEcho                                    bool
			ParameterConstraints                      struct{ AllowedValues []string }
		}
		Description, CapabilitiesReason, Version string
		Capabilities, ResourceTypes              []string
	}
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "cloudformation", "get-template-summary", "--template-body", body)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Parameters) != 2 || got.Parameters[0].ParameterKey != "Secret" || !got.Parameters[0].NoEcho ||
		got.Parameters[1].DefaultValue != "dev" || got.Parameters[1].ParameterType != "String" ||
		!cmp.Equal(got.Parameters[1].ParameterConstraints.AllowedValues, []string{"dev", "prod"}) {
		t.Errorf("Parameters = %+v", got.Parameters)
	}
	if !cmp.Equal(got.Capabilities, []string{"CAPABILITY_NAMED_IAM"}) || !cmp.Equal(got.ResourceTypes, []string{"AWS::IAM::Role", "AWS::SNS::Topic"}) ||
		got.Version != "2010-09-09" || got.Description != "d" {
		t.Errorf("summary = %+v", got)
	}
	if out, err := localtest.RunCLI(t, c, "cloudformation", "get-template-summary", "--stack-name", "nope"); err == nil {
		t.Errorf("get-template-summary --stack-name nope = %s, want a ValidationError", out)
	}
}
