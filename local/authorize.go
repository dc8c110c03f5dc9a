package local

import (
	"errors"
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
	for _, perm := range perms {
		if err := c.allowed(p, perm); err != nil {
			return accessDenied(protocolOf(svc.Name(), r), err)
		}
	}
	return nil
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
