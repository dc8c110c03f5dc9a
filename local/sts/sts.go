package sts

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// Namespace is the XML namespace of STS responses.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// Service implements STS. Build it with [New].
type Service struct {
	core.QueryService
	env *core.Env
}

var _ core.Service = (*Service)(nil)

// New builds the STS service; it has no state.
func New(env *core.Env) (core.Service, error) {
	s := &Service{env: env}
	s.QueryService = core.QueryService{
		Service:   "STS",
		Namespace: Namespace,
		Actions: map[string]core.QueryAction{
			"GetCallerIdentity": s.getCallerIdentity,
			"AssumeRole":        s.assumeRole,
		},
	}
	return s, nil
}

// Name returns "sts", STS's signing name.
func (s *Service) Name() string { return "sts" }

// CallerIdentity is the result of GetCallerIdentity.
// See https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
type CallerIdentity struct {
	Arn     string
	UserID  string `xml:"UserId"`
	Account string
}

// Identity returns the account's root user, who the default credentials
// are.
func (s *Service) Identity() CallerIdentity {
	return CallerIdentity{
		Arn:     "arn:aws:iam::" + s.env.AccountID + ":root",
		UserID:  s.env.AccountID,
		Account: s.env.AccountID,
	}
}

// getCallerIdentity answers with the principal who signed the request: the
// root, an IAM user, or an assumed-role session (a Lambda function's
// execution role, an AssumeRole session).
func (s *Service) getCallerIdentity(ctx context.Context, _ url.Values) (any, error) {
	p := core.CallFrom(ctx).Principal
	if p.ARN == "" {
		return s.Identity(), nil
	}
	return CallerIdentity{Arn: p.ARN, UserID: p.UserID(), Account: p.Account}, nil
}

// Permissions maps STS requests to IAM: GetCallerIdentity needs no
// permission (AWS answers it even when every action is denied);
// AssumeRole is sts:AssumeRole on the role.
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	p := core.QueryParams(r)
	switch p.Get("Action") {
	case "GetCallerIdentity":
		return nil, nil
	case "AssumeRole":
		return []core.Permission{{Action: "sts:AssumeRole", Resource: p.Get("RoleArn")}}, nil
	}
	return core.DefaultPermissions("sts", r), nil
}

// TrustChecker tells whether a role trusts an AWS principal; the local IAM
// service is one.
type TrustChecker interface {
	TrustsAWSPrincipal(roleARN, callerARN string) bool
}

// assumeRoleResult is AssumeRole's result.
// See https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
type assumeRoleResult struct {
	Credentials struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	AssumedRoleUser struct {
		AssumedRoleID string `xml:"AssumedRoleId"`
		Arn           string
	}
}

// assumeRole issues a session of the role: the role must exist and its
// trust policy must name the caller (or the caller's account); the
// caller's own sts:AssumeRole permission was checked by the router.
func (s *Service) assumeRole(ctx context.Context, p url.Values) (any, error) {
	roleARN, session := p.Get("RoleArn"), p.Get("RoleSessionName")
	if roleARN == "" || session == "" {
		return nil, core.Errorf(http.StatusBadRequest, "ValidationError", "AssumeRole needs RoleArn and RoleSessionName")
	}
	if len(session) < 2 || len(session) > 64 {
		return nil, core.Errorf(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64", session)
	}
	duration := time.Hour
	if d := p.Get("DurationSeconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			return nil, core.Errorf(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", d)
		}
		duration = time.Duration(n) * time.Second
	}
	caller := core.CallFrom(ctx).Principal
	callerARN := caller.ARN
	if caller.RoleARN != "" {
		callerARN = caller.RoleARN
	}
	svc, _ := s.env.Lookup("iam")
	trust, ok := svc.(TrustChecker)
	if !ok || !trust.TrustsAWSPrincipal(roleARN, callerARN) {
		return nil, core.Errorf(http.StatusForbidden, "AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.ARN, roleARN)
	}
	c := s.env.Keys.AssumeRole(roleARN, session, s.env.Clock.Now(), duration)
	var out assumeRoleResult
	out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey, out.Credentials.SessionToken = c.AccessKeyID, c.SecretAccessKey, c.SessionToken
	out.Credentials.Expiration = c.Expires.UTC().Format(time.RFC3339)
	out.AssumedRoleUser.Arn = c.Principal.ARN
	out.AssumedRoleUser.AssumedRoleID = c.Principal.UserID()
	return out, nil
}
