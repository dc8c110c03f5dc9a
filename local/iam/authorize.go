package iam

import (
	"fmt"
	"strings"
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
// policies, the AWS::IAM::Policy documents attached to it and the managed
// policies the local cloud knows are evaluated together. It returns nil or
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
		if p := managedPolicy(arn); p != nil {
			out = append(out, p)
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

// managedPolicies are the AWS managed policies the local cloud can
// evaluate: the ones whose grants are stable and matter to the services it
// runs. See https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
var managedPolicies = map[string]string{
	"AdministratorAccess":                      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
	"PowerUserAccess":                          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}`,
	"service-role/AWSLambdaRole":               `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],"Resource":["*"]}]}`,
	"AWSLambda_FullAccess":                     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:*","states:*","sns:*","logs:*","s3:*"],"Resource":"*"}]}`,
	"AWSLambdaExecute":                         `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:*"],"Resource":"arn:aws:logs:*:*:*"},{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::*"}]}`,
	"service-role/AWSLambdaBasicExecutionRole": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`,
	"AmazonSNSFullAccess":                      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sns:*"],"Resource":"*"}]}`,
	"AWSStepFunctionsFullAccess":               `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"states:*","Resource":"*"}]}`,
	"CloudWatchLogsFullAccess":                 `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:*"],"Resource":"*"}]}`,
	"AmazonS3FullAccess":                       `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}`,
	"AmazonS3ReadOnlyAccess":                   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`,
}

var parsedManaged = func() map[string]*Policy {
	out := make(map[string]*Policy, len(managedPolicies))
	for k, doc := range managedPolicies {
		p, err := ParsePolicy(doc)
		if err != nil {
			panic(fmt.Sprintf("iam: managed policy %s: %v", k, err)) // a typo above; caught by every test
		}
		out[k] = p
	}
	return out
}()

// managedPolicy returns the known AWS managed policy of arn, or nil.
func managedPolicy(arn string) *Policy {
	name, ok := strings.CutPrefix(arn, "arn:aws:iam::aws:policy/")
	if !ok {
		return nil
	}
	return parsedManaged[name]
}

// warnManaged logs, once per ARN, managed policies that grant nothing
// locally. The caller holds s.mu.
func (s *Service) warnManaged(r Role) {
	for _, arn := range r.ManagedPolicyArns {
		if managedPolicy(arn) == nil && !s.warned[arn] {
			s.warned[arn] = true
			s.log.WithField("role", r.RoleName).Warnf("managed policy %s is not known to the local cloud: it grants nothing here; put the statements the role needs inline", arn)
		}
	}
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
