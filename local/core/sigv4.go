package core

import (
	"net/http"
	"strings"
)

// Scope is the credential scope of a SigV4 (or SigV4a) signature:
// AKID/date/region/service/aws4_request. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
type Scope struct {
	AccessKeyID string
	Date        string
	// Region is empty for SigV4a, whose scope has no region.
	Region  string
	Service string
}

// ScopeFromRequest reads the credential scope from the Authorization header
// (AWS4-HMAC-SHA256 or AWS4-ECDSA-P256-SHA256) or, for presigned URLs, from
// the X-Amz-Credential query parameter. ok is false for unsigned requests
// and for other schemes (SigV2's "AWS AKID:sig" carries no service).
// Signatures are not verified: the local cloud accepts any credentials.
func ScopeFromRequest(r *http.Request) (Scope, bool) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		return ParseAuthorization(auth)
	}
	if cred := r.URL.Query().Get("X-Amz-Credential"); cred != "" {
		return ParseCredential(cred)
	}
	return Scope{}, false
}

// ParseAuthorization extracts the scope from an Authorization header value
// such as "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=...".
func ParseAuthorization(auth string) (Scope, bool) {
	algo, rest, ok := strings.Cut(strings.TrimSpace(auth), " ")
	if !ok || !strings.HasPrefix(algo, "AWS4-") {
		return Scope{}, false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == "Credential" {
			return ParseCredential(v)
		}
	}
	return Scope{}, false
}

// ParseCredential parses "AKID/date/region/service/aws4_request" (SigV4) or
// "AKID/date/service/aws4_request" (SigV4a).
func ParseCredential(cred string) (Scope, bool) {
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) < 4 || parts[len(parts)-1] != "aws4_request" {
		return Scope{}, false
	}
	var s Scope
	switch len(parts) {
	case 5:
		s = Scope{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
	case 4:
		s = Scope{AccessKeyID: parts[0], Date: parts[1], Service: parts[2]}
	default:
		// An access key never contains '/', but be lenient about what
		// precedes the last four fields.
		n := len(parts)
		s = Scope{AccessKeyID: strings.Join(parts[:n-4], "/"), Date: parts[n-4], Region: parts[n-3], Service: parts[n-2]}
	}
	if s.Service == "" {
		return Scope{}, false
	}
	return s, true
}
