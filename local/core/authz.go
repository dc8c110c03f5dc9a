package core

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Permission is one IAM check a request needs: an action on a resource.
type Permission struct {
	// Action is the IAM action, e.g. "s3:GetObject" or "iam:PassRole".
	Action string
	// Resource is the ARN acted on, or "*" when the action has no
	// resource (ListBuckets, GetAuthorizationToken).
	Resource string
}

// Authorizable is implemented by services that map their requests to IAM
// permissions: the one place per service that says which action on which
// resource an operation is (and which roles it passes, iam:PassRole). The
// router calls it after a signature is verified, for every principal but
// the account's root, and has each permission evaluated by local/iam
// (identity policies, explicit Deny); any denial refuses the request with
// AccessDenied. A service that does not implement it gets
// [DefaultPermissions]. An empty result needs no permission
// (sts:GetCallerIdentity).
type Authorizable interface {
	Permissions(r *http.Request) ([]Permission, error)
}

// DefaultPermissions is the mapping of a service that does not implement
// [Authorizable]: "<service>:<Operation>" on "*", the operation read from
// X-Amz-Target (awsJson) or the Action parameter (awsQuery). IAM action
// names are their operations' names for nearly every service, so a policy
// allowing "dynamodb:GetItem" or "dynamodb:*" works; one naming specific
// resources does not match "*" until the service maps its resources.
func DefaultPermissions(service string, r *http.Request) []Permission {
	op := Operation(r)
	if op == "" {
		op = "*"
	}
	return []Permission{{Action: service + ":" + op, Resource: "*"}}
}

// Operation returns the operation of an awsJson or awsQuery request (the
// part of X-Amz-Target after the dot, or the Action parameter); "" for
// REST requests.
func Operation(r *http.Request) string {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		_, op, _ := strings.Cut(t, ".")
		return op
	}
	return QueryParams(r).Get("Action")
}

// PeekBody returns the request body and puts it back for the service. The
// router has already read every body but S3's into memory to verify its
// hash, so this costs a copy at most.
func PeekBody(r *http.Request) []byte {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, MaxSignedBody))
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// QueryParams returns an awsQuery request's parameters: the form body and
// the URL's query, without consuming the body.
func QueryParams(r *http.Request) url.Values {
	v := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(PeekBody(r))); err == nil {
			for k, vals := range form {
				v[k] = append(v[k], vals...)
			}
		}
	}
	return v
}

// JSONFields decodes the top-level members of a JSON request body into a
// map of raw values, without consuming the body; nil when it is not a
// JSON object.
func JSONFields(r *http.Request) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(PeekBody(r), &m) != nil {
		return nil
	}
	return m
}

// JSONString returns the string member name of a JSON request body, "" if
// it is absent or not a string.
func JSONString(r *http.Request, name string) string {
	var s string
	_ = json.Unmarshal(JSONFields(r)[name], &s)
	return s
}

// PassRole is the permission to hand roleARN to a service (a function's
// execution role, a task role, a state machine's role), which AWS checks
// on the caller besides the operation itself. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
func PassRole(roleARN string) Permission {
	return Permission{Action: "iam:PassRole", Resource: roleARN}
}
