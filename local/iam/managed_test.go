package iam_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

// TestAWSManagedPolicySnapshot checks the embedded snapshot: every
// document parses (a policy our parser refused would grant nothing), and
// AWSXrayWriteOnlyAccess grants what AWS publishes.
// See https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSXrayWriteOnlyAccess.html
func TestAWSManagedPolicySnapshot(t *testing.T) {
	source, commit, date, n := iam.ManagedSnapshot()
	if source != "https://github.com/zoph-io/MAMIP" || len(commit) != 40 || date == "" || n < 1000 {
		t.Fatalf("ManagedSnapshot() = %q, %q, %q, %d; want MAMIP's, a commit, a date and over 1000 policies", source, commit, date, n)
	}
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
		"arn:aws:iam::aws:policy/AdministratorAccess",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
	} {
		if _, ok := iam.AWSManagedPolicy(arn); !ok {
			t.Errorf("AWSManagedPolicy(%q) = false, want the published document", arn)
		}
	}
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccessTypo",
		"arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole", // lives under service-role/
		"arn:aws:iam::000000000000:policy/AWSXrayWriteOnlyAccess",
	} {
		if _, ok := iam.AWSManagedPolicy(arn); ok {
			t.Errorf("AWSManagedPolicy(%q) = true, want false", arn)
		}
	}
	xray, _ := iam.AWSManagedPolicy("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess")
	for action, want := range map[string]iam.Decision{
		"xray:PutTraceSegments": iam.Allow, "xray:GetSamplingTargets": iam.Allow,
		"xray:GetTraceSummaries": iam.ImplicitDeny, "s3:GetObject": iam.ImplicitDeny,
	} {
		if got := iam.Evaluate(iam.Request{Action: action, Resource: "*"}, xray); got != want {
			t.Errorf("AWSXrayWriteOnlyAccess: Evaluate(%s) = %v, want %v", action, got, want)
		}
	}
}

func TestEveryAWSManagedPolicyParses(t *testing.T) {
	if bad := iam.UnparsedAWSManagedPolicies(); len(bad) > 0 {
		t.Errorf("%d AWS managed policies do not parse (they would grant nothing locally):\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// deploy runs `aws cloudformation deploy` with a template of testdata and
// returns the stack's outputs, or the CLI's error output.
func deploy(t *testing.T, c *local.Cloud, stack, file string) (map[string]string, error) {
	t.Helper()
	out, err := localtest.RunCLI(t, c, "cloudformation", "deploy", "--stack-name", stack,
		"--template-file", "testdata/"+file, "--capabilities", "CAPABILITY_NAMED_IAM")
	if err != nil {
		return nil, errors.New(out)
	}
	var desc struct {
		Stacks []struct {
			Outputs []struct{ OutputKey, OutputValue string }
		}
	}
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "cloudformation", "describe-stacks", "--stack-name", stack)), &desc); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, o := range desc.Stacks[0].Outputs {
		outputs[o.OutputKey] = o.OutputValue
	}
	return outputs, nil
}

func simulate(t *testing.T, c *local.Cloud, role string, actions ...string) map[string]string {
	t.Helper()
	out := localtest.CLI(t, c, append([]string{"iam", "simulate-principal-policy", "--policy-source-arn", role, "--action-names"}, actions...)...)
	var res struct {
		EvaluationResults []struct{ EvalActionName, EvalDecision string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res.EvaluationResults {
		got[r.EvalActionName] = r.EvalDecision
	}
	return got
}

// TestAttachAWSManagedPolicyWithTheCLI deploys a role attaching
// AWSXrayWriteOnlyAccess with the AWS CLI: the role may do exactly what the
// published policy grants. An unknown AWS managed ARN fails the role with
// IAM's message, as CloudFormation shows it.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
func TestAttachAWSManagedPolicyWithTheCLI(t *testing.T) {
	c := localtest.Start(t)
	outputs, err := deploy(t, c, "tracing", "xray-role.yaml")
	if err != nil {
		t.Fatalf("deploying xray-role.yaml: %v", err)
	}
	got := simulate(t, c, outputs["RoleArn"], "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
		"xray:GetTraceSummaries", "xray:BatchGetTraces", "lambda:InvokeFunction")
	want := map[string]string{
		"xray:PutTraceSegments": "allowed", "xray:PutTelemetryRecords": "allowed", "xray:GetSamplingRules": "allowed",
		"xray:GetTraceSummaries": "implicitDeny", "xray:BatchGetTraces": "implicitDeny", "lambda:InvokeFunction": "implicitDeny",
	}
	for a, d := range want {
		if got[a] != d {
			t.Errorf("simulate-principal-policy %s = %q, want %q", a, got[a], d)
		}
	}
	attached := localtest.CLI(t, c, "iam", "list-attached-role-policies", "--role-name", "tracing-role")
	if !strings.Contains(attached, `"PolicyArn": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"`) {
		t.Errorf("list-attached-role-policies = %s, want AWSXrayWriteOnlyAccess", attached)
	}
	version := localtest.CLI(t, c, "iam", "get-policy-version", "--policy-arn", "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", "--version-id", "v1")
	if !strings.Contains(version, "xray:PutTraceSegments") {
		t.Errorf("get-policy-version = %s, want the published document", version)
	}

	if _, err := deploy(t, c, "typo", "unknown-managed.yaml"); err == nil {
		t.Fatal("deploying unknown-managed.yaml succeeded, want the role to fail")
	}
	events := localtest.CLI(t, c, "cloudformation", "describe-stack-events", "--stack-name", "typo")
	const msg = "Policy arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccessTypo does not exist or is not attachable."
	if !strings.Contains(events, msg) {
		t.Errorf("stack events = %s\nwant the role to fail with %q", events, msg)
	}
}

// TestCustomerManagedPolicyWithTheCLI deploys AWS::IAM::ManagedPolicy
// attached through a role's ManagedPolicyArns and through the policy's own
// Roles, then calls SNS as each role: each may do exactly what its policy
// grants. An update of the document takes effect; deleting the stack
// removes the policies.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html
func TestCustomerManagedPolicyWithTheCLI(t *testing.T) {
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{
		{AccessKeyID: "APPKEY", SecretAccessKey: "app-secret", Principal: "arn:aws:iam::000000000000:role/app-role"},
		{AccessKeyID: "READERKEY", SecretAccessKey: "reader-secret", Principal: "arn:aws:iam::000000000000:role/reader-role"},
	}})
	outputs, err := deploy(t, c, "alerts", "customer-managed.yaml")
	if err != nil {
		t.Fatalf("deploying customer-managed.yaml: %v", err)
	}
	if want := "arn:aws:iam::000000000000:policy/alerts-PublishAlerts-"; !strings.HasPrefix(outputs["PolicyArn"], want) {
		t.Errorf("Ref PublishAlerts = %q, want an ARN beginning %q", outputs["PolicyArn"], want)
	}
	ctx := context.Background()
	as := func(key, secret string) *sns.Client {
		cfg := localtest.Config(c)
		cfg.Credentials = credentials.NewStaticCredentialsProvider(key, secret, "")
		return sns.NewFromConfig(cfg)
	}
	app, reader := as("APPKEY", "app-secret"), as("READERKEY", "reader-secret")
	publish := func(client *sns.Client, topic string) error {
		_, err := client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("hi")})
		return err
	}
	getAttrs := func(client *sns.Client, topic string) error {
		_, err := client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
		return err
	}
	for _, tc := range []struct {
		name    string
		call    func() error
		allowed bool
	}{
		{"app publishes to alerts", func() error { return publish(app, outputs["AlertsArn"]) }, true},
		{"app publishes to other", func() error { return publish(app, outputs["OtherArn"]) }, false},
		{"app reads alerts", func() error { return getAttrs(app, outputs["AlertsArn"]) }, false},
		{"reader reads other", func() error { return getAttrs(reader, outputs["OtherArn"]) }, true},
		{"reader publishes to alerts", func() error { return publish(reader, outputs["AlertsArn"]) }, false},
	} {
		err := tc.call()
		if tc.allowed && err != nil {
			t.Errorf("%s = %v, want allowed", tc.name, err)
		}
		var api smithy.APIError
		if !tc.allowed && (!errors.As(err, &api) || api.ErrorCode() != "AccessDenied") {
			t.Errorf("%s = %v, want AccessDenied", tc.name, err)
		}
	}

	// The update widens the policy to both topics: in place, same ARN.
	tmpl, err := os.ReadFile("testdata/customer-managed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wider := strings.Replace(string(tmpl), "Resource: !Ref Alerts", "Resource: [!Ref Alerts, !Ref Other]", 1)
	file := t.TempDir() + "/wider.yaml"
	if err := os.WriteFile(file, []byte(wider), 0o644); err != nil {
		t.Fatal(err)
	}
	localtest.CLI(t, c, "cloudformation", "deploy", "--stack-name", "alerts", "--template-file", file, "--capabilities", "CAPABILITY_NAMED_IAM")
	if err := publish(app, outputs["OtherArn"]); err != nil {
		t.Errorf("after the update, app publishes to other = %v, want allowed", err)
	}
	policy := localtest.CLI(t, c, "iam", "get-policy", "--policy-arn", outputs["PolicyArn"])
	if !strings.Contains(policy, `"AttachmentCount": 1`) {
		t.Errorf("get-policy after the update = %s, want the same policy attached once", policy)
	}

	localtest.CLI(t, c, "cloudformation", "delete-stack", "--stack-name", "alerts")
	localtest.CLI(t, c, "cloudformation", "wait", "stack-delete-complete", "--stack-name", "alerts")
	if out, err := localtest.RunCLI(t, c, "iam", "get-policy", "--policy-arn", outputs["PolicyArn"]); err == nil || !strings.Contains(out, "NoSuchEntity") {
		t.Errorf("get-policy after delete-stack = %v %s, want NoSuchEntity", err, out)
	}
}

// TestManagedPoliciesSurviveARestart: customer managed policies, their
// attachments both ways and a role's AWS managed policies are kept in the
// store; a policy still named by a role cannot be deleted.
func TestManagedPoliciesSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	s := newService(t, st)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	for _, name := range []string{"a", "b"} {
		if _, err := s.CreateRole(iam.RoleInput{RoleName: name, AssumeRolePolicyDocument: trust}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := s.CreatePolicy(iam.ManagedPolicyInput{PolicyName: "read", Path: "/app/", Roles: []string{"b"},
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	if m.Arn != "arn:aws:iam::000000000000:policy/app/read" {
		t.Errorf("Arn = %q", m.Arn)
	}
	if _, err := s.CreatePolicy(iam.ManagedPolicyInput{PolicyName: "read", Document: `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}); err == nil ||
		!strings.Contains(err.Error(), "A policy called read already exists. Duplicate names are not allowed.") {
		t.Errorf("CreatePolicy(duplicate name) = %v, want EntityAlreadyExists", err)
	}
	for _, arn := range []string{m.Arn, "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"} {
		if err := s.AttachRolePolicy("a", arn); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AttachRolePolicy("a", "arn:aws:iam::aws:policy/NoSuchPolicy"); err == nil ||
		err.Error() != "NoSuchEntity: Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable." {
		t.Errorf("AttachRolePolicy(unknown) = %v, want AWS's NoSuchEntity", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = openStore(t, dir)
	defer st.Close()
	s = newService(t, st)
	for _, tc := range []struct {
		role, action string
		allowed      bool
	}{
		{"a", "s3:GetObject", true}, {"a", "xray:PutTraceSegments", true}, {"a", "s3:PutObject", false},
		{"b", "s3:GetObject", true}, {"b", "xray:PutTraceSegments", false},
	} {
		err := s.Authorize(iam.RoleARN(account, "/", tc.role), "", iam.Request{Action: tc.action, Resource: "arn:aws:s3:::bucket/key"})
		if (err == nil) != tc.allowed {
			t.Errorf("after a restart, %s may %s = %v, want allowed %v", tc.role, tc.action, err, tc.allowed)
		}
	}
	if err := s.DeletePolicy(m.Arn); err == nil || !strings.Contains(err.Error(), "DeleteConflict") {
		t.Errorf("DeletePolicy while role a names it = %v, want DeleteConflict", err)
	}
	if err := s.DetachRolePolicy("a", m.Arn); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePolicy(m.Arn); err != nil {
		t.Errorf("DeletePolicy after the detach = %v", err)
	}
	if err := s.Authorize(iam.RoleARN(account, "/", "b"), "", iam.Request{Action: "s3:GetObject", Resource: "*"}); err == nil {
		t.Error("role b still may s3:GetObject after its managed policy was deleted")
	}
}

// TestUsersAndGroupsWithTheCLI deploys an IAM user in a group with managed
// policies attached every way (the user's and the group's
// ManagedPolicyArns, an AWS managed policy, a ManagedPolicy's Users and
// Groups, an AWS::IAM::Policy's Users), then calls SNS with a key
// configured as the user: it may do exactly what those policies grant.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
func TestUsersAndGroupsWithTheCLI(t *testing.T) {
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{
		{AccessKeyID: "DEVKEY", SecretAccessKey: "dev-secret", Principal: "arn:aws:iam::000000000000:user/dev"},
	}})
	outputs, err := deploy(t, c, "people", "users-groups.yaml")
	if err != nil {
		t.Fatalf("deploying users-groups.yaml: %v", err)
	}
	if outputs["DevArn"] != "arn:aws:iam::000000000000:user/dev" {
		t.Errorf("Dev.Arn = %q", outputs["DevArn"])
	}
	ctx := context.Background()
	cfg := localtest.Config(c)
	cfg.Credentials = credentials.NewStaticCredentialsProvider("DEVKEY", "dev-secret", "")
	dev := sns.NewFromConfig(cfg)
	publish := func(topic string) error {
		_, err := dev.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("hi")})
		return err
	}
	create := func(name string) error {
		_, err := dev.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name)})
		return err
	}
	for _, tc := range []struct {
		name    string
		call    func() error
		allowed bool
	}{
		{"publish A (ManagedPolicy Users)", func() error { return publish(outputs["A"]) }, true},
		{"publish B (ManagedPolicy Groups)", func() error { return publish(outputs["B"]) }, true},
		{"publish C (AWS::IAM::Policy Users)", func() error { return publish(outputs["C"]) }, true},
		{"publish D", func() error { return publish(outputs["D"]) }, false},
		{"get D's attributes (AmazonSNSReadOnlyAccess)", func() error {
			_, err := dev.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(outputs["D"])})
			return err
		}, true},
		{"create made-by-group (the group's ManagedPolicyArns)", func() error { return create("made-by-group") }, true},
		{"create another", func() error { return create("another") }, false},
	} {
		err := tc.call()
		if tc.allowed && err != nil {
			t.Errorf("%s = %v, want allowed", tc.name, err)
		}
		var api smithy.APIError
		if !tc.allowed && (!errors.As(err, &api) || api.ErrorCode() != "AccessDenied" ||
			!strings.Contains(api.ErrorMessage(), "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: sns:")) {
			t.Errorf("%s = %v, want AccessDenied for the user", tc.name, err)
		}
	}
	// The CLI sees the same: attachments, groups, and the simulator.
	attached := localtest.CLI(t, c, "iam", "list-attached-user-policies", "--user-name", "dev")
	for _, want := range []string{"arn:aws:iam::aws:policy/AmazonSNSReadOnlyAccess", ":policy/people-PublishA-"} {
		if !strings.Contains(attached, want) {
			t.Errorf("list-attached-user-policies = %s, want %s", attached, want)
		}
	}
	if groups := localtest.CLI(t, c, "iam", "list-groups-for-user", "--user-name", "dev"); !strings.Contains(groups, `"GroupName": "people-Writers-`) {
		t.Errorf("list-groups-for-user = %s, want the Writers group", groups)
	}
	got := simulate(t, c, outputs["DevArn"], "sns:Publish", "sns:ListTopics", "sns:DeleteTopic")
	if got["sns:ListTopics"] != "allowed" || got["sns:DeleteTopic"] != "implicitDeny" {
		t.Errorf("simulate-principal-policy for the user = %v", got)
	}
	localtest.CLI(t, c, "cloudformation", "delete-stack", "--stack-name", "people")
	localtest.CLI(t, c, "cloudformation", "wait", "stack-delete-complete", "--stack-name", "people")
	if err := publish(outputs["A"]); err == nil {
		t.Error("after delete-stack, the user still may publish")
	}
}

// TestManagedPolicyInputs: the name limit (128 characters) at and past it,
// and attachments to roles, users and groups that do not exist, each
// named in IAM's words.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
func TestManagedPolicyInputs(t *testing.T) {
	s := newService(t, openStore(t, t.TempDir()))
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	for _, tc := range []struct {
		name    string
		in      iam.ManagedPolicyInput
		wantErr string
	}{
		{"name of 128 characters", iam.ManagedPolicyInput{PolicyName: strings.Repeat("p", 128), Document: doc}, ""},
		{"name of 129 characters", iam.ManagedPolicyInput{PolicyName: strings.Repeat("q", 129), Document: doc}, "1 to 128 characters"},
		{"path without a trailing slash", iam.ManagedPolicyInput{PolicyName: "a", Path: "/x", Document: doc}, "must begin and end with /"},
		{"not a policy", iam.ManagedPolicyInput{PolicyName: "b", Document: `{"Statement":[{"Effect":"Maybe","Action":"s3:*"}]}`}, "MalformedPolicyDocument"},
		{"missing role", iam.ManagedPolicyInput{PolicyName: "c", Document: doc, Roles: []string{"nobody"}}, "The role with name nobody cannot be found."},
		{"missing user", iam.ManagedPolicyInput{PolicyName: "d", Document: doc, Users: []string{"nobody"}}, "The user with name nobody cannot be found."},
		{"missing group", iam.ManagedPolicyInput{PolicyName: "e", Document: doc, Groups: []string{"nobody"}}, "The group with name nobody cannot be found."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreatePolicy(tc.in)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("CreatePolicy(%.30q) = %v, want %q", tc.in.PolicyName, err, tc.wantErr)
			}
		})
	}
	// A group with a member cannot be deleted; a user with an unknown
	// managed ARN is refused as a role is.
	if _, err := s.CreateGroup(iam.PrincipalInput{Name: "g"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(iam.PrincipalInput{Name: "u", Groups: []string{"g"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup("g"); err == nil || !strings.Contains(err.Error(), "DeleteConflict") {
		t.Errorf("DeleteGroup with a member = %v, want DeleteConflict", err)
	}
	if _, err := s.CreateUser(iam.PrincipalInput{Name: "v", ManagedPolicyArns: []string{"arn:aws:iam::aws:policy/Nope"}}); err == nil ||
		!strings.Contains(err.Error(), "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.") {
		t.Errorf("CreateUser with an unknown managed ARN = %v, want AWS's refusal", err)
	}
}
