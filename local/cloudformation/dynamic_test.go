package cloudformation_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
)

// TestDynamicReferencesWithTheCLI deploys templates with dynamic
// references through `aws cloudformation`: {{resolve:ssm:NAME}} takes the
// latest value and NAME:VERSION a pinned one, inside longer strings and
// Fn::Sub; a parameter that does not exist fails the operation with AWS's
// ValidationError; a secretsmanager reference is refused naming the
// resource and property.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html
func TestDynamicReferencesWithTheCLI(t *testing.T) {
	c := localtest.Start(t)
	localtest.CLI(t, c, "ssm", "put-parameter", "--name", "/app/topic-name", "--type", "String", "--value", "alerts-v1")
	localtest.CLI(t, c, "ssm", "put-parameter", "--name", "/app/topic-name", "--value", "alerts-v2", "--overwrite")

	localtest.CLI(t, c, "cloudformation", "create-stack", "--stack-name", "dyn", "--template-body", "file://testdata/dynamic/dynamic.yaml")
	localtest.CLI(t, c, "cloudformation", "wait", "stack-create-complete", "--stack-name", "dyn")
	var desc struct {
		Stacks []struct {
			Outputs []struct{ OutputKey, OutputValue string }
		}
	}
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "cloudformation", "describe-stacks", "--stack-name", "dyn")), &desc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range desc.Stacks[0].Outputs {
		out[o.OutputKey] = o.OutputValue
	}
	if want := "arn:aws:sns:us-east-1:000000000000:alerts-v2"; out["TopicArn"] != want {
		t.Errorf("TopicArn = %q, want %q (the latest version)", out["TopicArn"], want)
	}
	attrs := localtest.CLI(t, c, "sns", "get-topic-attributes", "--topic-arn", out["TopicArn"])
	if !strings.Contains(attrs, `"DisplayName": "first alerts-v1 of us-east-1"`) {
		t.Errorf("topic attributes = %s, want DisplayName from version 1 inside Fn::Sub", attrs)
	}
	copied := localtest.CLI(t, c, "ssm", "get-parameter", "--name", out["CopyName"])
	if !strings.Contains(copied, `"Value": "alerts-v2"`) {
		t.Errorf("get-parameter /app/copy = %s, want the resolved value", copied)
	}
	if !strings.HasPrefix(out["GeneratedName"], "CFN-Generated-") || out["GeneratedValue"] != "a,b" {
		t.Errorf("Generated = %q, %q; want CFN-Generated-RANDOM holding a,b", out["GeneratedName"], out["GeneratedValue"])
	}

	for _, tc := range []struct{ file, want string }{
		{"missing.yaml", "Parameters: [ssm:/app/nowhere] cannot be found."},
		{"secret.yaml", "Resources.Alerts.Properties.DisplayName: dynamic reference {{resolve:secretsmanager:MySecret:SecretString:password}}: the local cloud has no Secrets Manager"},
	} {
		res, err := localtest.RunCLI(t, c, "cloudformation", "create-stack", "--stack-name", "bad", "--template-body", "file://testdata/dynamic/"+tc.file)
		if err == nil || !strings.Contains(res, "(ValidationError)") || !strings.Contains(res, tc.want) {
			t.Errorf("create-stack %s = %v %s, want ValidationError %q", tc.file, err, res, tc.want)
		}
		res, err = localtest.RunCLI(t, c, "cloudformation", "deploy", "--stack-name", "bad", "--template-file", "testdata/dynamic/"+tc.file)
		if err == nil || !strings.Contains(res, tc.want) {
			t.Errorf("deploy %s = %v %s, want %q", tc.file, err, res, tc.want)
		}
	}

	localtest.CLI(t, c, "cloudformation", "delete-stack", "--stack-name", "dyn")
	localtest.CLI(t, c, "cloudformation", "wait", "stack-delete-complete", "--stack-name", "dyn")
	if res, err := localtest.RunCLI(t, c, "ssm", "get-parameter", "--name", "/app/copy"); err == nil || !strings.Contains(res, "ParameterNotFound") {
		t.Errorf("get-parameter /app/copy after delete-stack = %v %s, want ParameterNotFound", err, res)
	}
}

// TestSSMParameterTypesWithTheCLI: a parameter of type
// AWS::SSM::Parameter::Value<T> is given a Parameter Store name and stands
// for its value (a list for List<String>); DescribeStacks keeps the name;
// a name the store does not have fails with AWS's ValidationError.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types
func TestSSMParameterTypesWithTheCLI(t *testing.T) {
	c := localtest.Start(t)
	localtest.CLI(t, c, "ssm", "put-parameter", "--name", "/app/topic-name", "--type", "String", "--value", "from-ssm")
	localtest.CLI(t, c, "ssm", "put-parameter", "--name", "/app/regions", "--type", "StringList", "--value", "eu-west-1,us-east-1")
	localtest.CLI(t, c, "cloudformation", "create-stack", "--stack-name", "typed", "--template-body", "file://testdata/dynamic/ssm-parameters.yaml")
	localtest.CLI(t, c, "cloudformation", "wait", "stack-create-complete", "--stack-name", "typed")
	var desc struct {
		Stacks []struct {
			Outputs    []struct{ OutputKey, OutputValue string }
			Parameters []struct{ ParameterKey, ParameterValue string }
		}
	}
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "cloudformation", "describe-stacks", "--stack-name", "typed")), &desc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range desc.Stacks[0].Outputs {
		out[o.OutputKey] = o.OutputValue
	}
	if out["TopicArn"] != "arn:aws:sns:us-east-1:000000000000:from-ssm" || out["FirstRegion"] != "eu-west-1" {
		t.Errorf("outputs = %v, want the topic named from SSM and the first region of the list", out)
	}
	for _, p := range desc.Stacks[0].Parameters {
		if p.ParameterKey == "TopicName" && p.ParameterValue != "/app/topic-name" {
			t.Errorf("ParameterValue of TopicName = %q, want the parameter's name", p.ParameterValue)
		}
	}
	res, err := localtest.RunCLI(t, c, "cloudformation", "create-stack", "--stack-name", "typo", "--template-body", "file://testdata/dynamic/ssm-parameters.yaml",
		"--parameters", "ParameterKey=TopicName,ParameterValue=/app/nope")
	if err == nil || !strings.Contains(res, "(ValidationError)") || !strings.Contains(res, "Unable to fetch parameters [/app/nope] from parameter store for this account.") {
		t.Errorf("create-stack with a missing SSM parameter = %v %s, want AWS's ValidationError", err, res)
	}
}
