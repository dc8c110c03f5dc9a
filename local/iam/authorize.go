package iam

import (
	"fmt"
	"slices"
)

// AccessDeniedError is a request a role's policies do not allow. Its text
// is the message AWS services give, so a task's Cause reads as it would on
// AWS.
type AccessDeniedError struct {
	// Principal is the assumed-role session:
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	Principal string
	Action    string
	Resource  string
	// Decision is ImplicitDeny or ExplicitDeny.
	Decision Decision
	// Reason is set instead of a policy decision when the role itself is
	// missing.
	Reason string
}

func (e *AccessDeniedError) Error() string {
	msg := fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", e.Principal, e.Action, e.Resource)
	switch {
	case e.Reason != "":
		return msg + " because " + e.Reason
	case e.Decision == ExplicitDeny:
		return msg + " with an explicit deny in an identity-based policy"
	default:
		return msg + " because no identity-based policy allows the " + e.Action + " action"
	}
}

// Authorize checks that the role roleARN, assumed under session (random
// when empty), may perform req.Action on req.Resource: its inline
// policies, the AWS::IAM::Policy documents attached to it and its managed
// policies (AWS managed, from the embedded snapshot, and customer managed)
// are evaluated together. It returns nil or
// an *AccessDeniedError.
func (s *Service) Authorize(roleARN, session string, req Request) error {
	if session == "" {
		session = SessionName()
	}
	name, ok := RoleNameFromARN(roleARN)
	principal := "arn:aws:sts::" + s.cfg.AccountID + ":assumed-role/" + name + "/" + session
	if !ok {
		return &AccessDeniedError{Principal: roleARN, Action: req.Action, Resource: req.Resource,
			Reason: fmt.Sprintf("%q is not an IAM role ARN", roleARN)}
	}
	policies, found := s.identityPolicies(name)
	if !found {
		return &AccessDeniedError{Principal: principal, Action: req.Action, Resource: req.Resource,
			Reason: "the role " + name + " does not exist in the local cloud"}
	}
	if d := Evaluate(req, policies...); d != Allow {
		return &AccessDeniedError{Principal: principal, Action: req.Action, Resource: req.Resource, Decision: d}
	}
	return nil
}

// identityPolicies returns every identity-based policy of a role.
func (s *Service) identityPolicies(name string) ([]*Policy, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.byName[name]
	if !ok {
		return nil, false
	}
	out := make([]*Policy, 0, len(e.inline)+len(e.ManagedPolicyArns)+1)
	for _, k := range sortedKeys(e.inline) {
		out = append(out, e.inline[k])
	}
	for _, id := range sortedKeys(s.attached) {
		a := s.attached[id]
		for _, r := range a.Roles {
			if r == name {
				out = append(out, a.doc)
				break
			}
		}
	}
	for _, arn := range e.ManagedPolicyArns {
		if p, ok := s.resolveManagedLocked(arn); ok {
			out = append(out, p)
		}
	}
	for _, arn := range sortedKeys(s.managed) {
		if m := s.managed[arn]; slices.Contains(m.Roles, name) && !slices.Contains(e.ManagedPolicyArns, arn) {
			out = append(out, m.doc)
		}
	}
	return out, true
}

// CheckTrust reports whether the role's trust policy lets one of the
// service principals (e.g. "states.amazonaws.com" or its regional form)
// assume it with sts:AssumeRole, given the request's condition keys
// (aws:SourceAccount, aws:SourceArn). It returns false when the role does
// not exist.
func (s *Service) CheckTrust(roleARN string, principals []string, ctx map[string]string) bool {
	name, ok := RoleNameFromARN(roleARN)
	if !ok {
		return false
	}
	s.mu.RLock()
	e, ok := s.byName[name]
	s.mu.RUnlock()
	if !ok || e.Arn != roleARN {
		return false
	}
	for _, p := range principals {
		req := Request{Action: "sts:AssumeRole", Resource: roleARN, Principal: map[string]string{"Service": p}, Context: ctx}
		if Evaluate(req, e.trust) == Allow {
			return true
		}
	}
	return false
}

// SessionName returns a random role session name in the shape Step
// Functions uses (32 letters).
func SessionName() string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := []byte(randomID(32))
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

// TrustsAWSPrincipal reports whether the role's trust policy lets the AWS
// principal callerARN (a role session's role ARN, a user, the root) assume
// it: the trust policy names it, its account's root or the account ID
// (which delegates to the caller's identity policy, checked separately).
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
func (s *Service) TrustsAWSPrincipal(roleARN, callerARN string) bool {
	name, ok := RoleNameFromARN(roleARN)
	if !ok {
		return false
	}
	s.mu.RLock()
	e, ok := s.byName[name]
	s.mu.RUnlock()
	if !ok || e.Arn != roleARN {
		return false
	}
	for _, p := range []string{callerARN, "arn:aws:iam::" + s.cfg.AccountID + ":root", s.cfg.AccountID} {
		req := Request{Action: "sts:AssumeRole", Resource: roleARN, Principal: map[string]string{"AWS": p}}
		if Evaluate(req, e.trust) == Allow {
			return true
		}
	}
	return false
}
