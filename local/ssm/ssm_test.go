package ssm_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

func cliJSON(t *testing.T, c *local.Cloud, v any, args ...string) {
	t.Helper()
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, args...)), v); err != nil {
		t.Fatal(err)
	}
}

type param struct {
	Parameter struct {
		Name, Type, Value, ARN, Selector string
		Version                          int64
	}
}

// TestParameterStoreWithTheCLI drives PutParameter, GetParameter (latest,
// NAME:VERSION), GetParameters and DeleteParameter with `aws ssm`, with
// AWS's errors; the parameters survive a restart.
// See https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
func TestParameterStoreWithTheCLI(t *testing.T) {
	dir := t.TempDir()
	c := localtest.Start(t, local.Options{StateDir: dir})
	var put struct {
		Version int64
		Tier    string
	}
	cliJSON(t, c, &put, "ssm", "put-parameter", "--name", "/app/db-host", "--type", "String", "--value", "db1.internal")
	if put.Version != 1 || put.Tier != "Standard" {
		t.Errorf("put-parameter = %+v, want version 1, Standard", put)
	}
	if out, err := localtest.RunCLI(t, c, "ssm", "put-parameter", "--name", "/app/db-host", "--type", "String", "--value", "db2.internal"); err == nil ||
		!strings.Contains(out, "ParameterAlreadyExists") || !strings.Contains(out, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.") {
		t.Errorf("put-parameter without --overwrite = %v %s, want ParameterAlreadyExists", err, out)
	}
	cliJSON(t, c, &put, "ssm", "put-parameter", "--name", "/app/db-host", "--value", "db2.internal", "--overwrite")
	if put.Version != 2 {
		t.Errorf("put-parameter --overwrite = version %d, want 2", put.Version)
	}
	var got param
	cliJSON(t, c, &got, "ssm", "get-parameter", "--name", "/app/db-host")
	if got.Parameter.Value != "db2.internal" || got.Parameter.Version != 2 || got.Parameter.Type != "String" ||
		got.Parameter.ARN != "arn:aws:ssm:us-east-1:000000000000:parameter/app/db-host" {
		t.Errorf("get-parameter = %+v, want version 2 of /app/db-host", got.Parameter)
	}
	cliJSON(t, c, &got, "ssm", "get-parameter", "--name", "/app/db-host:1")
	if got.Parameter.Value != "db1.internal" || got.Parameter.Selector != ":1" {
		t.Errorf("get-parameter NAME:1 = %+v, want version 1", got.Parameter)
	}
	for _, tc := range []struct{ args, want []string }{
		{[]string{"get-parameter", "--name", "/app/nope"}, []string{"ParameterNotFound"}},
		{[]string{"get-parameter", "--name", "/app/db-host:7"}, []string{"ParameterVersionNotFound", "could not find version 7 of /app/db-host"}},
		{[]string{"put-parameter", "--name", "/aws/reserved", "--type", "String", "--value", "x"}, []string{"ValidationException", "reserved parameter name"}},
		{[]string{"put-parameter", "--name", "nested/no-slash", "--type", "String", "--value", "x"}, []string{"ValidationException", "fully qualified"}},
		{[]string{"put-parameter", "--name", "/app/secret", "--type", "SecureString", "--value", "x"}, []string{"ValidationException", "KMS"}},
		{[]string{"delete-parameter", "--name", "/app/nope"}, []string{"ParameterNotFound"}},
	} {
		out, err := localtest.RunCLI(t, c, append([]string{"ssm"}, tc.args...)...)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(out, w) {
				t.Errorf("aws ssm %s = %v %s, want %q", strings.Join(tc.args, " "), err, out, w)
			}
		}
	}
	localtest.CLI(t, c, "ssm", "put-parameter", "--name", "plain", "--type", "StringList", "--value", "a,b")
	var many struct {
		Parameters        []struct{ Name, Value string }
		InvalidParameters []string
	}
	cliJSON(t, c, &many, "ssm", "get-parameters", "--names", "plain", "/app/db-host", "/app/nope")
	if len(many.Parameters) != 2 || many.Parameters[0].Value != "a,b" || len(many.InvalidParameters) != 1 || many.InvalidParameters[0] != "/app/nope" {
		t.Errorf("get-parameters = %+v, want two found and /app/nope invalid", many)
	}
	localtest.CLI(t, c, "ssm", "delete-parameter", "--name", "plain")

	// Durable: a new cloud on the same state directory has them.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = localtest.Start(t, local.Options{StateDir: dir})
	cliJSON(t, c, &got, "ssm", "get-parameter", "--name", "/app/db-host:1")
	if got.Parameter.Value != "db1.internal" {
		t.Errorf("after a restart, get-parameter NAME:1 = %+v, want db1.internal", got.Parameter)
	}
	if out, err := localtest.RunCLI(t, c, "ssm", "get-parameter", "--name", "plain"); err == nil || !strings.Contains(out, "ParameterNotFound") {
		t.Errorf("after a restart, the deleted parameter = %v %s, want ParameterNotFound", err, out)
	}
}

// cliAs runs the AWS CLI against c signed with another key.
func cliAs(t *testing.T, c *local.Cloud, key, secret string, args ...string) (string, error) {
	t.Helper()
	return localtest.RunCLIEnv(t, c, []string{"AWS_ACCESS_KEY_ID=" + key, "AWS_SECRET_ACCESS_KEY=" + secret}, args...)
}

// TestParameterStoreIsHeldToIAM: a role may read the parameters its policy
// names and nothing else (ssm:GetParameter on the parameter's ARN).
// See https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
func TestParameterStoreIsHeldToIAM(t *testing.T) {
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{
		{AccessKeyID: "READER", SecretAccessKey: "reader-secret", Principal: "arn:aws:iam::000000000000:role/reader"},
	}})
	svc, _ := c.Service("iam")
	if _, err := svc.(*iam.Service).CreateRole(iam.RoleInput{RoleName: "reader",
		AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		Policies:                 map[string]any{"read": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/app/*"}]}`},
	}); err != nil {
		t.Fatal(err)
	}
	localtest.CLI(t, c, "ssm", "put-parameter", "--name", "/app/a", "--type", "String", "--value", "x")
	localtest.CLI(t, c, "ssm", "put-parameter", "--name", "/other/b", "--type", "String", "--value", "y")
	if out, err := cliAs(t, c, "READER", "reader-secret", "ssm", "get-parameter", "--name", "/app/a:1"); err != nil {
		t.Errorf("get-parameter /app/a:1 as reader = %v %s, want allowed", err, out)
	}
	for _, args := range [][]string{
		{"get-parameter", "--name", "/other/b"},
		{"get-parameters", "--names", "/app/a", "/other/b"},
		{"put-parameter", "--name", "/app/a", "--value", "z", "--overwrite"},
	} {
		out, err := cliAs(t, c, "READER", "reader-secret", append([]string{"ssm"}, args...)...)
		if err == nil || !strings.Contains(out, "AccessDeniedException") || !strings.Contains(out, "is not authorized to perform: ssm:") {
			t.Errorf("aws ssm %s as reader = %v %s, want AccessDeniedException", strings.Join(args, " "), err, out)
		}
	}
}
