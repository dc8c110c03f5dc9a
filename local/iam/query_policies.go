package iam

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// xmlPolicy is a managed policy in IAM's XML.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html
type xmlPolicy struct {
	PolicyName                    string
	PolicyID                      string `xml:"PolicyId"`
	Arn                           string
	Path                          string
	DefaultVersionID              string `xml:"DefaultVersionId"`
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    string `xml:",omitempty"`
	UpdateDate                    string `xml:",omitempty"`
}

// policyView returns a managed policy (AWS or customer) as the API shows
// it, with its document.
func (s *Service) policyView(arn string) (xmlPolicy, string, error) {
	if name, ok := strings.CutPrefix(arn, AWSManagedPrefix); ok {
		doc, ok := awsManagedDocument(arn)
		if !ok {
			return xmlPolicy{}, "", core.Errorf(http.StatusNotFound, "NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
		}
		path := "/"
		if i := strings.LastIndex(name, "/"); i >= 0 {
			path, name = "/"+name[:i+1], name[i+1:]
		}
		s.mu.RLock()
		n := s.attachmentCountLocked(arn, true)
		s.mu.RUnlock()
		return xmlPolicy{PolicyName: name, Arn: arn, Path: path, DefaultVersionID: "v1", AttachmentCount: n, IsAttachable: true}, doc, nil
	}
	m, err := s.GetPolicy(arn)
	if err != nil {
		return xmlPolicy{}, "", err
	}
	s.mu.RLock()
	n := s.attachmentCountLocked(arn, true)
	s.mu.RUnlock()
	return xmlPolicy{
		PolicyName: m.PolicyName, PolicyID: m.PolicyID, Arn: m.Arn, Path: m.Path, DefaultVersionID: "v1",
		AttachmentCount: n, IsAttachable: true, Description: m.Description,
		CreateDate: m.CreateDate.Format(time.RFC3339), UpdateDate: m.UpdateDate.Format(time.RFC3339),
	}, m.Document, nil
}

func (s *Service) apiGetPolicy(_ context.Context, params url.Values) (any, error) {
	arn, err := required(params, "PolicyArn")
	if err != nil {
		return nil, err
	}
	p, _, err := s.policyView(arn)
	if err != nil {
		return nil, err
	}
	return struct{ Policy xmlPolicy }{p}, nil
}

// apiGetPolicyVersion serves the only version the local cloud keeps, v1
// (for an AWS managed policy, its current default version as in the
// snapshot).
func (s *Service) apiGetPolicyVersion(_ context.Context, params url.Values) (any, error) {
	arn, err := required(params, "PolicyArn")
	if err != nil {
		return nil, err
	}
	v, err := required(params, "VersionId")
	if err != nil {
		return nil, err
	}
	_, doc, err := s.policyView(arn)
	if err != nil {
		return nil, err
	}
	if v != "v1" {
		return nil, core.Errorf(http.StatusNotFound, "NoSuchEntity", "Policy %s version %s does not exist or is not attachable.", arn, v)
	}
	type version struct {
		Document         string
		VersionID        string `xml:"VersionId"`
		IsDefaultVersion bool
	}
	return struct{ PolicyVersion version }{version{url.QueryEscape(doc), "v1", true}}, nil
}

func (s *Service) apiCreatePolicy(_ context.Context, params url.Values) (any, error) {
	name, err := required(params, "PolicyName")
	if err != nil {
		return nil, err
	}
	doc, err := required(params, "PolicyDocument")
	if err != nil {
		return nil, err
	}
	m, err := s.CreatePolicy(ManagedPolicyInput{PolicyName: name, Path: params.Get("Path"), Description: params.Get("Description"), Document: doc})
	if err != nil {
		return nil, err
	}
	p, _, err := s.policyView(m.Arn)
	return struct{ Policy xmlPolicy }{p}, err
}

func (s *Service) apiDeletePolicy(_ context.Context, params url.Values) (any, error) {
	arn, err := required(params, "PolicyArn")
	if err != nil {
		return nil, err
	}
	return nil, s.DeletePolicy(arn)
}

func (s *Service) apiAttachRolePolicy(_ context.Context, params url.Values) (any, error) {
	role, err := required(params, "RoleName")
	if err != nil {
		return nil, err
	}
	arn, err := required(params, "PolicyArn")
	if err != nil {
		return nil, err
	}
	return nil, s.AttachRolePolicy(role, arn)
}

func (s *Service) apiDetachRolePolicy(_ context.Context, params url.Values) (any, error) {
	role, err := required(params, "RoleName")
	if err != nil {
		return nil, err
	}
	arn, err := required(params, "PolicyArn")
	if err != nil {
		return nil, err
	}
	return nil, s.DetachRolePolicy(role, arn)
}

func (s *Service) apiListAttachedRolePolicies(_ context.Context, params url.Values) (any, error) {
	role, err := required(params, "RoleName")
	if err != nil {
		return nil, err
	}
	arns, err := s.AttachedRolePolicies(role)
	if err != nil {
		return nil, err
	}
	type attached struct{ PolicyName, PolicyArn string }
	out := struct {
		AttachedPolicies []attached `xml:"AttachedPolicies>member"`
		IsTruncated      bool
	}{AttachedPolicies: []attached{}}
	for _, arn := range arns {
		out.AttachedPolicies = append(out.AttachedPolicies, attached{arn[strings.LastIndex(arn, "/")+1:], arn})
	}
	return out, nil
}

// apiSimulatePrincipalPolicy evaluates actions on resources ("*" when none
// is given) against a role's identity policies, as Authorize does; the
// PolicySourceArn must be a role of the local cloud.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
func (s *Service) apiSimulatePrincipalPolicy(_ context.Context, params url.Values) (any, error) {
	source, err := required(params, "PolicySourceArn")
	if err != nil {
		return nil, err
	}
	actions := core.QueryList(params, "ActionNames.member")
	if len(actions) == 0 {
		return nil, core.Errorf(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	resources := core.QueryList(params, "ResourceArns.member")
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	name, ok := RoleNameFromARN(source)
	if !ok {
		return nil, core.Errorf(http.StatusBadRequest, "InvalidInput", "PolicySourceArn %s is not a role ARN: the local cloud simulates the policies of roles only", source)
	}
	policies, found := s.identityPolicies(name)
	if !found {
		return nil, noSuchRole(name)
	}
	type result struct {
		EvalActionName   string
		EvalResourceName string
		EvalDecision     string
	}
	out := struct {
		EvaluationResults []result `xml:"EvaluationResults>member"`
		IsTruncated       bool
	}{EvaluationResults: []result{}}
	for _, a := range actions {
		for _, r := range resources {
			d := "implicitDeny"
			switch Evaluate(Request{Action: a, Resource: r}, policies...) {
			case Allow:
				d = "allowed"
			case ExplicitDeny:
				d = "explicitDeny"
			}
			out.EvaluationResults = append(out.EvaluationResults, result{a, r, d})
		}
	}
	return out, nil
}
