package local

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
)

// authorize holds every principal but the account's root to IAM: the
// service names the permissions the request needs (core.Authorizable, or
// core.DefaultPermissions), and local/iam evaluates each against the
// principal's identity policies, as AWS evaluates a call (an explicit Deny
// wins, else an Allow is needed). A role session (a Lambda sandbox, an ECS
// task, an AssumeRole session, a key configured as a role) is its role's
// policies; a key configured as an IAM user is that user's policies and
// its groups' (AWS::IAM::User and AWS::IAM::Group), none when the local
// IAM has no such user.
func (c *Cloud) authorize(r *http.Request, svc core.Service, p core.Principal) error {
	if p.IsRoot() {
		return nil
	}
	var perms []core.Permission
	if a, ok := svc.(core.Authorizable); ok {
		var err error
		if perms, err = a.Permissions(r); err != nil {
			return err
		}
	} else {
		perms = core.DefaultPermissions(svc.Name(), r)
	}
	rp, _ := svc.(resourcePolicies)
	for _, perm := range perms {
		err := c.allowed(p, perm)
		if rp != nil {
			err = withResourcePolicy(p, perm, rp.ResourcePolicy(perm), err)
		}
		if err != nil {
			return accessDenied(protocolOf(svc.Name(), r), err)
		}
	}
	return nil
}

// resourcePolicies is implemented by services whose resources carry
// resource-based policies the router evaluates with the caller's identity
// policies (S3 bucket policies).
type resourcePolicies interface {
	// ResourcePolicy returns the policy document of the resource perm
	// acts on, "" when it has none.
	ResourcePolicy(perm core.Permission) string
}

// withResourcePolicy combines the identity decision (identityErr, nil
// when allowed) with the resource's policy, as AWS decides a request
// within one account: an explicit Deny in either refuses it; otherwise an
// Allow in either allows it. A resource policy allows a principal it
// names (the role or the session), not one it reaches only through the
// account ("arn:aws:iam::ACCOUNT:root" delegates to identity policies);
// its Deny statements apply to the account's principals too.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-basics
func withResourcePolicy(p core.Principal, perm core.Permission, doc string, identityErr error) error {
	if doc == "" {
		return identityErr
	}
	policy, err := iam.ParsePolicy(doc)
	if err != nil {
		return identityErr
	}
	decide := func(arn string) iam.Decision {
		return iam.Evaluate(iam.Request{Action: perm.Action, Resource: perm.Resource, Principal: map[string]string{"AWS": arn}}, policy)
	}
	allowed := identityErr == nil
	names := []string{p.ARN, p.RoleARN}
	if p.Account != "" {
		names = append(names, "arn:aws:iam::"+p.Account+":root", p.Account)
	}
	for i, arn := range names {
		if arn == "" {
			continue
		}
		switch d := decide(arn); {
		case d == iam.ExplicitDeny:
			return fmt.Errorf("User: %s is not authorized to perform: %s on resource: %s with an explicit deny in a resource-based policy",
				p.ARN, perm.Action, perm.Resource)
		case d == iam.Allow && i < 2:
			allowed = true
		}
	}
	if allowed {
		return nil
	}
	return identityErr
}

// allowed evaluates one permission for p.
func (c *Cloud) allowed(p core.Principal, perm core.Permission) error {
	s, _ := c.router.lookup("iam")
	svc, ok := s.(*iam.Service)
	switch {
	case !ok && (p.RoleARN != "" || p.UserName != ""):
		return errors.New("the local cloud runs no IAM service to authorize " + p.ARN)
	case p.UserName != "":
		return svc.AuthorizeUser(p.UserName, iam.Request{Action: perm.Action, Resource: perm.Resource})
	case p.RoleARN == "":
		return &iam.AccessDeniedError{Principal: p.ARN, Action: perm.Action, Resource: perm.Resource, Decision: iam.ImplicitDeny}
	}
	session := p.ARN[strings.LastIndex(p.ARN, "/")+1:]
	return svc.Authorize(p.RoleARN, session, iam.Request{Action: perm.Action, Resource: perm.Resource})
}

// accessDenied words a denial as the service's protocol does: AccessDenied
// (awsQuery, S3) or AccessDeniedException (awsJson, restJson1), 403, with
// IAM's message ("User: ... is not authorized to perform: ...").
func accessDenied(p core.Protocol, err error) *core.Error {
	code := "AccessDenied"
	if p == core.ProtocolJSON || p == core.ProtocolRESTJSON {
		code = "AccessDeniedException"
	}
	return &core.Error{Code: code, Status: http.StatusForbidden, Message: err.Error()}
}
