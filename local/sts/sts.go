package sts

import (
	"context"
	"net/url"

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
