package iam

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// Namespace is the XML namespace of IAM responses.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

func (s *Service) initQuery() {
	s.query = core.QueryService{
		Service:   "IAM",
		Namespace: Namespace,
		Actions: map[string]core.QueryAction{
			"GetRole":          s.apiGetRole,
			"ListRoles":        s.apiListRoles,
			"CreateRole":       s.apiCreateRole,
			"DeleteRole":       s.apiDeleteRole,
			"PutRolePolicy":    s.apiPutRolePolicy,
			"GetRolePolicy":    s.apiGetRolePolicy,
			"ListRolePolicies": s.apiListRolePolicies,
			"DeleteRolePolicy": s.apiDeleteRolePolicy,

			"GetPolicy":                s.apiGetPolicy,
			"GetPolicyVersion":         s.apiGetPolicyVersion,
			"CreatePolicy":             s.apiCreatePolicy,
			"DeletePolicy":             s.apiDeletePolicy,
			"AttachRolePolicy":         s.apiAttachRolePolicy,
			"DetachRolePolicy":         s.apiDetachRolePolicy,
			"ListAttachedRolePolicies": s.apiListAttachedRolePolicies,
			"SimulatePrincipalPolicy":  s.apiSimulatePrincipalPolicy,

			"GetUser":                   s.apiGetUser,
			"ListGroupsForUser":         s.apiListGroupsForUser,
			"ListAttachedUserPolicies":  s.apiListAttachedPrincipalPolicies(userKind, "UserName"),
			"ListAttachedGroupPolicies": s.apiListAttachedPrincipalPolicies(groupKind, "GroupName"),
		},
	}
}

// xmlRole is a Role in IAM's XML; policy documents are URL-encoded, as the
// IAM API returns them.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
type xmlRole struct {
	Path                     string
	RoleName                 string
	RoleID                   string `xml:"RoleId"`
	Arn                      string
	CreateDate               string
	AssumeRolePolicyDocument string
	Description              string   `xml:",omitempty"`
	MaxSessionDuration       int      `xml:",omitempty"`
	Tags                     []xmlTag `xml:"Tags>member,omitempty"`
}

type xmlTag struct{ Key, Value string }

func toXMLRole(r Role) xmlRole {
	x := xmlRole{
		Path: r.Path, RoleName: r.RoleName, RoleID: r.RoleID, Arn: r.Arn,
		CreateDate:               r.CreateDate.UTC().Format(time.RFC3339),
		AssumeRolePolicyDocument: url.QueryEscape(r.AssumeRolePolicyDocument),
		Description:              r.Description, MaxSessionDuration: r.MaxSessionDuration,
	}
	for _, t := range r.Tags {
		x.Tags = append(x.Tags, xmlTag(t))
	}
	return x
}

func required(params url.Values, name string) (string, error) {
	v, err := requiredAll(params, name)
	if err != nil {
		return "", err
	}
	return v[0], nil
}

// requiredAll reads the named parameters. When any is missing, the error
// names every missing one in one message, as AWS's validation errors do
// ("2 validation errors detected: Value null at 'A' ...; Value null at
// 'B' ...").
func requiredAll(params url.Values, names ...string) ([]string, error) {
	values := make([]string, len(names))
	var missing []string
	for i, n := range names {
		values[i] = params.Get(n)
		if values[i] == "" {
			missing = append(missing, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", n))
		}
	}
	switch len(missing) {
	case 0:
		return values, nil
	case 1:
		return nil, core.Errorf(http.StatusBadRequest, "ValidationError", "1 validation error detected: %s", missing[0])
	}
	return nil, core.Errorf(http.StatusBadRequest, "ValidationError", "%d validation errors detected: %s", len(missing), strings.Join(missing, "; "))
}

func (s *Service) apiGetRole(_ context.Context, params url.Values) (any, error) {
	name, err := required(params, "RoleName")
	if err != nil {
		return nil, err
	}
	r, err := s.GetRole(name)
	if err != nil {
		return nil, err
	}
	return struct{ Role xmlRole }{toXMLRole(r)}, nil
}

func (s *Service) apiListRoles(_ context.Context, params url.Values) (any, error) {
	prefix := params.Get("PathPrefix")
	out := struct {
		Roles       []xmlRole `xml:"Roles>member"`
		IsTruncated bool
	}{Roles: []xmlRole{}}
	for _, r := range s.Roles() {
		if prefix == "" || len(r.Path) >= len(prefix) && r.Path[:len(prefix)] == prefix {
			out.Roles = append(out.Roles, toXMLRole(r))
		}
	}
	return out, nil
}

func (s *Service) apiCreateRole(_ context.Context, params url.Values) (any, error) {
	v, err := requiredAll(params, "RoleName", "AssumeRolePolicyDocument")
	if err != nil {
		return nil, err
	}
	name, doc := v[0], v[1]
	in := RoleInput{RoleName: name, Path: params.Get("Path"), AssumeRolePolicyDocument: doc, Description: params.Get("Description")}
	for _, t := range core.QueryStructs(params, "Tags.member") {
		in.Tags = append(in.Tags, Tag{Key: t.Get("Key"), Value: t.Get("Value")})
	}
	r, err := s.CreateRole(in)
	if err != nil {
		return nil, err
	}
	return struct{ Role xmlRole }{toXMLRole(r)}, nil
}

func (s *Service) apiDeleteRole(_ context.Context, params url.Values) (any, error) {
	name, err := required(params, "RoleName")
	if err != nil {
		return nil, err
	}
	return nil, s.DeleteRole(name)
}

func (s *Service) apiPutRolePolicy(_ context.Context, params url.Values) (any, error) {
	v, err := requiredAll(params, "RoleName", "PolicyName", "PolicyDocument")
	if err != nil {
		return nil, err
	}
	role, name, doc := v[0], v[1], v[2]
	return nil, s.PutRolePolicy(role, name, doc)
}

func (s *Service) apiGetRolePolicy(_ context.Context, params url.Values) (any, error) {
	v, err := requiredAll(params, "RoleName", "PolicyName")
	if err != nil {
		return nil, err
	}
	role, name := v[0], v[1]
	r, err := s.GetRole(role)
	if err != nil {
		return nil, err
	}
	doc, ok := r.Policies[name]
	if !ok {
		return nil, core.Errorf(http.StatusNotFound, "NoSuchEntity", "The role policy with name %s cannot be found.", name)
	}
	return struct{ RoleName, PolicyName, PolicyDocument string }{role, name, url.QueryEscape(doc)}, nil
}

func (s *Service) apiListRolePolicies(_ context.Context, params url.Values) (any, error) {
	role, err := required(params, "RoleName")
	if err != nil {
		return nil, err
	}
	r, err := s.GetRole(role)
	if err != nil {
		return nil, err
	}
	out := struct {
		PolicyNames []string `xml:"PolicyNames>member"`
		IsTruncated bool
	}{PolicyNames: []string{}}
	for name := range r.Policies {
		out.PolicyNames = append(out.PolicyNames, name)
	}
	sort.Strings(out.PolicyNames)
	return out, nil
}

func (s *Service) apiDeleteRolePolicy(_ context.Context, params url.Values) (any, error) {
	v, err := requiredAll(params, "RoleName", "PolicyName")
	if err != nil {
		return nil, err
	}
	role, name := v[0], v[1]
	return nil, s.DeleteRolePolicy(role, name)
}
