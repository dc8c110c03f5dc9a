package iam_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/sparta-go/sparta/local/store"
)

const account = "000000000000"

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func newService(t *testing.T, st *store.Store) *iam.Service {
	t.Helper()
	s, err := iam.New(iam.Config{Store: st.Collection("iam"), AccountID: account})
	if err != nil {
		t.Fatalf("iam.New = %v", err)
	}
	return s
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const statesTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}}}]}`

func TestRoleProviderAndAuthorize(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	s := newService(t, st)
	ctx := context.Background()
	roles := s.Providers()["AWS::IAM::Role"]
	res, err := roles.Create(ctx, resource.Request{
		StackName: "RollDie-root", LogicalID: "RollDieStateMachineRole71b0de44", Type: "AWS::IAM::Role",
		Properties: map[string]any{
			"AssumeRolePolicyDocument": decode(t, statesTrust),
			"Policies": []any{map[string]any{
				"PolicyName":     "StateMachine",
				"PolicyDocument": decode(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],"Resource":["`+fnARN+`","`+fnARN+`:*"]}]}`),
			}},
		},
	})
	if err != nil {
		t.Fatalf("Create(AWS::IAM::Role) = %v", err)
	}
	name := res.PhysicalID
	if !strings.HasPrefix(name, "RollDie-root-RollDieStateMachineRole71b0de44-") || len(name) > 64 {
		t.Errorf("generated role name = %q, want RollDie-root-RollDieStateMachineRole71b0de44-RANDOM within 64 characters", name)
	}
	arn, _ := res.Attributes["Arn"].(string)
	if arn != "arn:aws:iam::000000000000:role/"+name {
		t.Errorf("GetAtt Arn = %q", arn)
	}
	if id, _ := res.Attributes["RoleId"].(string); !strings.HasPrefix(id, "AROA") || len(id) != 21 {
		t.Errorf("GetAtt RoleId = %q, want AROA + 17 characters", id)
	}

	if err := s.Authorize(arn, "sess", iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN}); err != nil {
		t.Errorf("Authorize(invoke) = %v, want allowed", err)
	}
	err = s.Authorize(arn, "sess", iam.Request{Action: "sns:Publish", Resource: topicARN})
	var denied *iam.AccessDeniedError
	if !errors.As(err, &denied) {
		t.Fatalf("Authorize(sns:Publish) = %v, want *AccessDeniedError", err)
	}
	want := "User: arn:aws:sts::000000000000:assumed-role/" + name + "/sess is not authorized to perform: sns:Publish on resource: " + topicARN +
		" because no identity-based policy allows the sns:Publish action"
	if err.Error() != want {
		t.Errorf("Authorize(sns:Publish) = %q, want %q", err, want)
	}

	// An AWS::IAM::Policy attached to the role grants sns:Publish.
	policies := s.Providers()["AWS::IAM::Policy"]
	pres, err := policies.Create(ctx, resource.Request{StackName: "RollDie-root", LogicalID: "AlertsPolicy", Properties: map[string]any{
		"PolicyName":     "alerts",
		"PolicyDocument": decode(t, `{"Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"`+topicARN+`"}]}`),
		"Roles":          []any{name},
	}})
	if err != nil {
		t.Fatalf("Create(AWS::IAM::Policy) = %v", err)
	}
	if err := s.Authorize(arn, "", iam.Request{Action: "sns:Publish", Resource: topicARN}); err != nil {
		t.Errorf("Authorize(sns:Publish) after AWS::IAM::Policy = %v", err)
	}
	if !s.CheckTrust(arn, []string{"states.amazonaws.com"}, map[string]string{"aws:SourceAccount": account}) {
		t.Error("CheckTrust(states.amazonaws.com) = false, want true")
	}
	if s.CheckTrust(arn, []string{"lambda.amazonaws.com"}, map[string]string{"aws:SourceAccount": account}) {
		t.Error("CheckTrust(lambda.amazonaws.com) = true, want false")
	}

	// State survives a restart.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, dir)
	defer st.Close()
	s = newService(t, st)
	if err := s.Authorize(arn, "", iam.Request{Action: "sns:Publish", Resource: topicARN}); err != nil {
		t.Errorf("Authorize after restart = %v", err)
	}

	// Deleting the policy takes its grant away; deleting the role twice is fine.
	if err := s.Providers()["AWS::IAM::Policy"].Delete(ctx, resource.Request{PhysicalID: pres.PhysicalID}); err != nil {
		t.Fatal(err)
	}
	if err := s.Authorize(arn, "", iam.Request{Action: "sns:Publish", Resource: topicARN}); err == nil {
		t.Error("Authorize(sns:Publish) after deleting the policy = nil, want denied")
	}
	for i := 0; i < 2; i++ {
		if err := s.Providers()["AWS::IAM::Role"].Delete(ctx, resource.Request{PhysicalID: name}); err != nil {
			t.Errorf("Delete(role) #%d = %v", i+1, err)
		}
	}
	err = s.Authorize(arn, "x", iam.Request{Action: "lambda:InvokeFunction", Resource: fnARN})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Authorize on a deleted role = %v, want a denial naming the missing role", err)
	}
}

func TestRoleProviderValidation(t *testing.T) {
	st := openStore(t, t.TempDir())
	defer st.Close()
	s := newService(t, st)
	roles := s.Providers()["AWS::IAM::Role"]
	tests := []struct {
		name  string
		props map[string]any
		want  string
	}{
		{"no trust policy", map[string]any{}, "AssumeRolePolicyDocument"},
		{"malformed trust policy", map[string]any{"AssumeRolePolicyDocument": map[string]any{"Statement": "x"}}, "MalformedPolicyDocument"},
		{"malformed inline policy", map[string]any{"AssumeRolePolicyDocument": decode(t, statesTrust),
			"Policies": []any{map[string]any{"PolicyName": "p", "PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow"}}}}}}, "Policies[0] (p)"},
		{"bad name", map[string]any{"AssumeRolePolicyDocument": decode(t, statesTrust), "RoleName": "has space"}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := roles.Create(context.Background(), resource.Request{StackName: "s", LogicalID: "R", Properties: tt.props})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Create = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if !roles.RequiresReplacement(map[string]any{"RoleName": "a"}, map[string]any{"RoleName": "b"}) {
		t.Error("RequiresReplacement(RoleName a -> b) = false")
	}
	if roles.RequiresReplacement(map[string]any{"Description": "a"}, map[string]any{"Description": "b"}) {
		t.Error("RequiresReplacement(Description a -> b) = true")
	}
	_, err := s.Providers()["AWS::IAM::Policy"].Create(context.Background(), resource.Request{StackName: "s", LogicalID: "P", Properties: map[string]any{
		"PolicyName": "p", "PolicyDocument": decode(t, `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), "Roles": []any{"missing"},
	}})
	if err == nil || !strings.Contains(err.Error(), "NoSuchEntity") {
		t.Errorf("Create(AWS::IAM::Policy on a missing role) = %v, want NoSuchEntity", err)
	}
}

func TestQueryAPI(t *testing.T) {
	st := openStore(t, t.TempDir())
	defer st.Close()
	s := newService(t, st)
	srv := httptest.NewServer(s)
	defer srv.Close()
	post := func(v url.Values) (int, string) {
		resp, err := http.PostForm(srv.URL, v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post(url.Values{"Action": {"CreateRole"}, "RoleName": {"r1"}, "AssumeRolePolicyDocument": {statesTrust}})
	if code != 200 || !strings.Contains(body, "<Arn>arn:aws:iam::000000000000:role/r1</Arn>") {
		t.Fatalf("CreateRole = %d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"PutRolePolicy"}, "RoleName": {"r1"}, "PolicyName": {"p"}, "PolicyDocument": {`{"Statement":{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}}`}})
	if code != 200 {
		t.Fatalf("PutRolePolicy = %d %s", code, body)
	}
	if err := s.Authorize("arn:aws:iam::000000000000:role/r1", "", iam.Request{Action: "sns:Publish", Resource: topicARN}); err != nil {
		t.Errorf("Authorize after PutRolePolicy = %v", err)
	}
	code, body = post(url.Values{"Action": {"ListRoles"}})
	if code != 200 || !strings.Contains(body, "<RoleName>r1</RoleName>") {
		t.Errorf("ListRoles = %d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"GetRole"}, "RoleName": {"nope"}})
	if code != 404 || !strings.Contains(body, "<Code>NoSuchEntity</Code>") {
		t.Errorf("GetRole(nope) = %d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"CreateRole"}, "RoleName": {"r1"}, "AssumeRolePolicyDocument": {statesTrust}})
	if code != 409 || !strings.Contains(body, "EntityAlreadyExists") {
		t.Errorf("CreateRole(dup) = %d %s", code, body)
	}
}
