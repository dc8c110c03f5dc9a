package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers returns the CloudFormation providers of AWS::IAM::Role,
// AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::User and
// AWS::IAM::Group.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::IAM::Role":          roleProvider{s},
		"AWS::IAM::Policy":        policyProvider{s},
		"AWS::IAM::ManagedPolicy": managedPolicyProvider{s},
		"AWS::IAM::User":          userProvider{s},
		"AWS::IAM::Group":         groupProvider{s},
	}
}

// roleProvider implements AWS::IAM::Role: Ref is the role name; GetAtt Arn
// and RoleId.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html
type roleProvider struct{ s *Service }

var _ resource.Provider = roleProvider{}

func (p roleProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := roleInput(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	if in.RoleName == "" {
		in.RoleName = resource.PhysicalName(req.StackName, req.LogicalID, 64)
	}
	r, err := p.s.CreateRole(in)
	if err != nil {
		return resource.Result{}, err
	}
	return roleResult(r), nil
}

func (p roleProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := roleInput(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	in.RoleName = req.PhysicalID
	r, err := p.s.UpdateRole(in)
	if err != nil {
		return resource.Result{}, err
	}
	return roleResult(r), nil
}

func (p roleProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.DeleteRole(req.PhysicalID)
	var e *core.Error
	if errors.As(err, &e) && e.Code == "NoSuchEntity" {
		return nil
	}
	return err
}

// RequiresReplacement: RoleName and Path are "Update requires:
// Replacement".
func (roleProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RoleName", "Path")
}

func roleResult(r Role) resource.Result {
	return resource.Result{
		PhysicalID: r.RoleName,
		Attributes: map[string]any{"Arn": r.Arn, "RoleId": r.RoleID},
	}
}

// roleInput reads an AWS::IAM::Role's properties.
func roleInput(props map[string]any) (RoleInput, error) {
	var in RoleInput
	var err error
	if in.AssumeRolePolicyDocument = props["AssumeRolePolicyDocument"]; in.AssumeRolePolicyDocument == nil {
		return in, validation("Property AssumeRolePolicyDocument cannot be empty.")
	}
	if in.RoleName, err = str(props, "RoleName"); err != nil {
		return in, err
	}
	if in.Path, err = str(props, "Path"); err != nil {
		return in, err
	}
	if in.Description, err = str(props, "Description"); err != nil {
		return in, err
	}
	if v, ok := props["MaxSessionDuration"]; ok {
		n, err := strconv.Atoi(fmt.Sprint(v))
		if err != nil || n < 3600 || n > 43200 {
			return in, validation("MaxSessionDuration must be an integer from 3600 to 43200, not %v", v)
		}
		in.MaxSessionDuration = n
	}
	if in.ManagedPolicyArns, err = strs(props, "ManagedPolicyArns"); err != nil {
		return in, err
	}
	if _, ok := props["PermissionsBoundary"]; ok {
		return in, validation("PermissionsBoundary is not supported by the local cloud: remove it for local runs")
	}
	if in.Policies, err = inlinePolicies(props["Policies"]); err != nil {
		return in, err
	}
	if in.Tags, err = tags(props["Tags"]); err != nil {
		return in, err
	}
	return in, nil
}

func inlinePolicies(v any) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, validation("Policies must be a list of {PolicyName, PolicyDocument}")
	}
	out := map[string]any{}
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, validation("Policies[%d] must be an object with PolicyName and PolicyDocument", i)
		}
		name, _ := m["PolicyName"].(string)
		if name == "" || m["PolicyDocument"] == nil {
			return nil, validation("Policies[%d] needs PolicyName and PolicyDocument", i)
		}
		if _, err := ParsePolicy(m["PolicyDocument"]); err != nil {
			return nil, core.Errorf(http.StatusBadRequest, "MalformedPolicyDocument", "Policies[%d] (%s): %v", i, name, unprefixed(err))
		}
		out[name] = m["PolicyDocument"]
	}
	return out, nil
}

func tags(v any) ([]Tag, error) {
	if v == nil {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, validation("Tags: %v", err)
	}
	var out []Tag
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, validation("Tags must be a list of {Key, Value}")
	}
	return out, nil
}

// policyProvider implements AWS::IAM::Policy: an inline policy that
// CloudFormation puts on the listed roles, users and groups. Ref and GetAtt Id return its
// generated physical ID.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html
type policyProvider struct{ s *Service }

var _ resource.Provider = policyProvider{}

func (p policyProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req, resource.PhysicalName(req.StackName, req.LogicalID, 64))
}

func (p policyProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req, req.PhysicalID)
}

func (p policyProvider) put(req resource.Request, id string) (resource.Result, error) {
	a := AttachedPolicy{ID: id}
	var err error
	if a.PolicyName, err = str(req.Properties, "PolicyName"); err != nil {
		return resource.Result{}, err
	}
	if a.PolicyName == "" {
		return resource.Result{}, validation("Property PolicyName cannot be empty.")
	}
	doc := req.Properties["PolicyDocument"]
	if doc == nil {
		return resource.Result{}, validation("Property PolicyDocument cannot be empty.")
	}
	raw, err := policyJSON(doc)
	if err != nil {
		return resource.Result{}, asMalformed(err)
	}
	if s, ok := doc.(string); ok {
		raw = []byte(s)
	}
	a.Document = string(raw)
	if a.Roles, err = strs(req.Properties, "Roles"); err != nil {
		return resource.Result{}, err
	}
	if a.Users, err = strs(req.Properties, "Users"); err != nil {
		return resource.Result{}, err
	}
	if a.Groups, err = strs(req.Properties, "Groups"); err != nil {
		return resource.Result{}, err
	}
	if len(a.Roles)+len(a.Users)+len(a.Groups) == 0 {
		return resource.Result{}, validation("At least one of [Groups,Roles,Users] must be non-empty.")
	}
	if err := p.s.PutAttachedPolicy(a); err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: id, Attributes: map[string]any{"Id": id}}, nil
}

func (p policyProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.DeleteAttachedPolicy(req.PhysicalID)
}

// RequiresReplacement: every property of AWS::IAM::Policy updates in
// place.
func (policyProvider) RequiresReplacement(_, _ map[string]any) bool { return false }

func str(props map[string]any, key string) (string, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", validation("%s must be a string, not %T", key, v)
	}
	return s, nil
}

func strs(props map[string]any, key string) ([]string, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, validation("%s must be a list of strings", key)
	}
	out := make([]string, 0, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, validation("%s[%d] must be a string, not %T", key, i, x)
		}
		out = append(out, s)
	}
	return out, nil
}

func validation(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "ValidationError", format, args...)
}

func unprefixed(err error) string {
	var m *MalformedPolicyError
	if errors.As(err, &m) {
		return m.Reason
	}
	return err.Error()
}
