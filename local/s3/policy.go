package s3

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
)

// maxPolicyBytes is S3's bucket policy size limit (20 KB).
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
const maxPolicyBytes = 20 * 1024

func errMalformedPolicy(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, "MalformedPolicy", format, args...)
}

// parseBucketPolicy checks a bucket policy as PutBucketPolicy does: valid
// JSON whose first byte is '{', IAM's grammar, a principal in every
// statement, and resources of this bucket only.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
func parseBucketPolicy(bucket, doc string) (*iam.Policy, error) {
	trimmed := strings.TrimSpace(doc)
	if !strings.HasPrefix(trimmed, "{") || !json.Valid([]byte(trimmed)) {
		return nil, errMalformedPolicy("Policies must be valid JSON and the first byte must be '{'")
	}
	if len(doc) > maxPolicyBytes {
		return nil, core.Errorf(http.StatusBadRequest, "PolicyTooLarge", "Policy exceeds the maximum allowed document size.")
	}
	p, err := iam.ParsePolicy(trimmed)
	if err != nil {
		return nil, errMalformedPolicy("%s", strings.TrimPrefix(err.Error(), "MalformedPolicyDocument: "))
	}
	arn := "arn:aws:s3:::" + bucket
	for i, st := range p.Statements {
		if st.Principal == nil && st.NotPrincipal == nil {
			return nil, errMalformedPolicy("Missing required field Principal")
		}
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return nil, errMalformedPolicy("Invalid effect: %s", st.Effect)
		}
		if st.Action == nil && st.NotAction == nil {
			return nil, errMalformedPolicy("Missing required field Action")
		}
		if st.Resource == nil && st.NotResource == nil {
			return nil, errMalformedPolicy("Missing required field Resource")
		}
		for _, res := range append(append([]string(nil), st.Resource...), st.NotResource...) {
			if res != arn && !strings.HasPrefix(res, arn+"/") && !(strings.HasSuffix(res, "*") && iam.Glob(res, arn)) {
				return nil, errMalformedPolicy("Policy has invalid resource").With("Statement", fmt.Sprint(i))
			}
		}
	}
	return p, nil
}

// publicConditionKeys are the condition keys whose fixed values make a
// statement with a wildcard principal non-public, per "The meaning of
// public": https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
var publicConditionKeys = []string{
	"aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceaccount", "aws:sourceowner",
	"aws:userid", "aws:principalarn", "aws:principalaccount", "aws:principalorgid",
	"s3:dataaccesspointarn", "s3:dataaccesspointaccount", "aws:sourceip",
}

// isPublic reports whether a policy grants public access: an Allow
// statement whose principal is "*" (or {"AWS": "*"}), or a NotPrincipal,
// unless a condition fixes one of the keys that identify who calls.
func isPublic(p *iam.Policy) bool {
	for _, st := range p.Statements {
		if st.Effect != "Allow" {
			continue
		}
		wildcard := st.NotPrincipal != nil
		if _, ok := st.Principal["*"]; ok {
			wildcard = true
		}
		for _, v := range st.Principal["AWS"] {
			if v == "*" {
				wildcard = true
			}
		}
		if wildcard && !narrowed(st.Condition) {
			return true
		}
	}
	return false
}

// narrowed reports whether a condition block pins the caller with fixed
// (wildcard-free) values of a key of publicConditionKeys.
func narrowed(cond map[string]map[string][]string) bool {
	for op, keys := range cond {
		if strings.Contains(op, "Not") || strings.HasSuffix(op, "IfExists") {
			continue
		}
		for key, values := range keys {
			k := strings.ToLower(key)
			for _, pk := range publicConditionKeys {
				if k != pk {
					continue
				}
				fixed := len(values) > 0
				for _, v := range values {
					if strings.ContainsAny(v, "*?") || (pk == "aws:sourceip" && strings.HasSuffix(v, "/0")) {
						fixed = false
					}
				}
				if fixed {
					return true
				}
			}
		}
	}
	return false
}

// PutBucketPolicy sets a bucket's policy (JSON) through the Go API, with
// PutBucketPolicy's checks: a public policy is refused while the bucket's
// public access block has BlockPublicPolicy. principalARN names the caller
// in that refusal.
func (s *Service) PutBucketPolicy(bucket, doc, principalARN string) error {
	m, err := s.meta(bucket)
	if err != nil {
		return err
	}
	p, err := parseBucketPolicy(bucket, doc)
	if err != nil {
		return err
	}
	if m.PublicAccessBlock != nil && m.PublicAccessBlock.BlockPublicPolicy && isPublic(p) {
		return errPublicPolicyBlocked(principalARN, bucket)
	}
	return s.updateMeta(bucket, func(m *bucketMeta) { m.Policy = strings.TrimSpace(doc) })
}

// errPublicPolicyBlocked is S3's refusal of a public policy under
// BlockPublicPolicy, worded as S3 has since its explicit-deny messages.
func errPublicPolicyBlocked(principalARN, bucket string) error {
	if principalARN == "" {
		principalARN = "anonymous"
	}
	return core.Errorf(http.StatusForbidden, "AccessDenied",
		"User: %s is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::%s\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
		principalARN, bucket)
}

// BucketPolicy returns a bucket's policy, or NoSuchBucketPolicy.
func (s *Service) BucketPolicy(bucket string) (string, error) {
	m, err := s.meta(bucket)
	if err != nil {
		return "", err
	}
	if m.Policy == "" {
		return "", core.Errorf(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist").With("BucketName", bucket)
	}
	return m.Policy, nil
}

// DeleteBucketPolicy removes a bucket's policy (deleting none succeeds).
func (s *Service) DeleteBucketPolicy(bucket string) error {
	return s.updateMeta(bucket, func(m *bucketMeta) { m.Policy = "" })
}

func (s *Service) putBucketPolicy(w http.ResponseWriter, r *http.Request, name, _ string) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 2*maxPolicyBytes))
	if err != nil {
		return core.Errorf(http.StatusBadRequest, "IncompleteBody", "reading the policy: %v", err)
	}
	if err := s.PutBucketPolicy(name, string(body), core.CallFrom(r.Context()).Principal.ARN); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) getBucketPolicy(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	doc, err := s.BucketPolicy(name)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, doc)
	return nil
}

func (s *Service) deleteBucketPolicy(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	if err := s.DeleteBucketPolicy(name); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// getBucketPolicyStatus answers whether the bucket's policy is public.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html
func (s *Service) getBucketPolicyStatus(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	doc, err := s.BucketPolicy(name)
	if err != nil {
		return err
	}
	p, err := iam.ParsePolicy(doc)
	public := err == nil && isPublic(p)
	writeXML(w, policyStatus{NS: Namespace, IsPublic: public})
	return nil
}

// anonymous decides an unsigned request (a website visitor, aws
// --no-sign-request) for action on resource: the bucket policy must allow
// everyone and deny nothing, and RestrictPublicBuckets must not be set
// while that policy is public.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func (s *Service) anonymous(m bucketMeta, action, resource string) iam.Decision {
	if m.Policy == "" {
		return iam.ImplicitDeny
	}
	p, err := iam.ParsePolicy(m.Policy)
	if err != nil {
		return iam.ImplicitDeny
	}
	if m.PublicAccessBlock != nil && m.PublicAccessBlock.RestrictPublicBuckets && isPublic(p) {
		return iam.ImplicitDeny
	}
	return iam.Evaluate(iam.Request{Action: action, Resource: resource,
		Principal: map[string]string{"AWS": "*"}}, p)
}

// ResourcePolicy returns the policy of the bucket a permission acts on, for
// the router's evaluation of signed requests (identity OR resource policy
// allows, and neither denies, as AWS decides within one account); "" when
// the bucket has none.
func (s *Service) ResourcePolicy(perm core.Permission) string {
	arn, ok := strings.CutPrefix(perm.Resource, "arn:aws:s3:::")
	if !ok {
		return ""
	}
	bucket, _, _ := strings.Cut(arn, "/")
	m, err := s.meta(bucket)
	if err != nil {
		return ""
	}
	return m.Policy
}
