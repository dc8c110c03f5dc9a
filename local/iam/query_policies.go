package iam

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
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
	args, err := requiredAll(params, "PolicyArn", "VersionId")
	if err != nil {
		return nil, err
	}
	arn, v := args[0], args[1]
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
	v, err := requiredAll(params, "PolicyName", "PolicyDocument")
	if err != nil {
		return nil, err
	}
	name, doc := v[0], v[1]
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
	v, err := requiredAll(params, "RoleName", "PolicyArn")
	if err != nil {
		return nil, err
	}
	role, arn := v[0], v[1]
	return nil, s.AttachRolePolicy(role, arn)
}

func (s *Service) apiDetachRolePolicy(_ context.Context, params url.Values) (any, error) {
	v, err := requiredAll(params, "RoleName", "PolicyArn")
	if err != nil {
		return nil, err
	}
	role, arn := v[0], v[1]
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
// is given) against the identity policies of a role, a user (its groups'
// included) or a group, as the router's authorization does.
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
	policies, err := s.sourcePolicies(source)
	if err != nil {
		return nil, err
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

// sourcePolicies returns the identity policies of the role, user or group
// arn names.
func (s *Service) sourcePolicies(arn string) ([]*Policy, error) {
	if name, ok := RoleNameFromARN(arn); ok {
		policies, found := s.identityPolicies(name)
		if !found {
			return nil, noSuchRole(name)
		}
		return policies, nil
	}
	name := arn[strings.LastIndex(arn, "/")+1:]
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch {
	case strings.HasPrefix(arn, "arn:aws:iam::"+s.cfg.AccountID+":user/"):
		u, ok := s.users[name]
		if !ok {
			return nil, noSuchPrincipal(userKind, name)
		}
		policies := s.principalPoliciesLocked(userKind, u)
		for _, g := range u.Groups {
			if ge, ok := s.groups[g]; ok {
				policies = append(policies, s.principalPoliciesLocked(groupKind, ge)...)
			}
		}
		return policies, nil
	case strings.HasPrefix(arn, "arn:aws:iam::"+s.cfg.AccountID+":group/"):
		g, ok := s.groups[name]
		if !ok {
			return nil, noSuchPrincipal(groupKind, name)
		}
		return s.principalPoliciesLocked(groupKind, g), nil
	}
	return nil, core.Errorf(http.StatusBadRequest, "InvalidInput", "PolicySourceArn %s is not the ARN of a role, user or group of account %s", arn, s.cfg.AccountID)
}

func (s *Service) apiGetUser(_ context.Context, params url.Values) (any, error) {
	name, err := required(params, "UserName")
	if err != nil {
		return nil, err
	}
	u, err := s.GetUser(name)
	if err != nil {
		return nil, err
	}
	type user struct {
		Path, UserName string
		UserID         string `xml:"UserId"`
		Arn            string
		CreateDate     string
	}
	return struct{ User user }{user{u.Path, u.Name, u.ID, u.Arn, u.CreateDate.Format(time.RFC3339)}}, nil
}

func (s *Service) apiListGroupsForUser(_ context.Context, params url.Values) (any, error) {
	name, err := required(params, "UserName")
	if err != nil {
		return nil, err
	}
	u, err := s.GetUser(name)
	if err != nil {
		return nil, err
	}
	type group struct {
		Path, GroupName string
		GroupID         string `xml:"GroupId"`
		Arn             string
		CreateDate      string
	}
	out := struct {
		Groups      []group `xml:"Groups>member"`
		IsTruncated bool
	}{Groups: []group{}}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, g := range u.Groups {
		if e, ok := s.groups[g]; ok {
			out.Groups = append(out.Groups, group{e.Path, e.Name, e.ID, e.Arn, e.CreateDate.Format(time.RFC3339)})
		}
	}
	return out, nil
}

// apiListAttachedPrincipalPolicies serves ListAttachedUserPolicies and
// ListAttachedGroupPolicies: the principal's ManagedPolicyArns and the
// customer managed policies whose Users or Groups name it.
func (s *Service) apiListAttachedPrincipalPolicies(k principalKind, param string) core.QueryAction {
	return func(_ context.Context, params url.Values) (any, error) {
		name, err := required(params, param)
		if err != nil {
			return nil, err
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		e, ok := s.kindMaps(k)[name]
		if !ok {
			return nil, noSuchPrincipal(k, name)
		}
		arns := slices.Clone(e.ManagedPolicyArns)
		for arn, m := range s.managed {
			if slices.Contains(m.namesOf(k), name) && !slices.Contains(arns, arn) {
				arns = append(arns, arn)
			}
		}
		sort.Strings(arns)
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
}
