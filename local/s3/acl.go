package s3

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// ACLs: every bucket of the local cloud has Object Ownership
// BucketOwnerEnforced, the default of new buckets since April 2023, so
// ACLs are disabled: the only ACLs accepted are those that grant nothing
// beyond the owner ("private", "bucket-owner-full-control"), and any other
// is refused with S3's error for that setting.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html

// errBucketACL is CreateBucket's refusal of an ACL.
func errBucketACL() error {
	return core.Errorf(http.StatusBadRequest, "InvalidBucketAclWithObjectOwnership",
		"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
}

// errACLNotSupported is the refusal of an ACL on an object or an existing
// bucket.
func errACLNotSupported() error {
	return core.Errorf(http.StatusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs")
}

// ownerOnlyACL reports whether a canned ACL grants nothing beyond the
// owner, which BucketOwnerEnforced accepts.
func ownerOnlyACL(canned string) bool {
	switch strings.ToLower(canned) {
	case "", "private", "bucket-owner-full-control":
		return true
	}
	return false
}

// aclHeaders returns the refusal for a request carrying an ACL (x-amz-acl
// or an x-amz-grant-* header) that BucketOwnerEnforced refuses; create
// selects CreateBucket's error.
func aclHeaders(r *http.Request, create bool) error {
	refused := !ownerOnlyACL(r.Header.Get("X-Amz-Acl"))
	for name := range r.Header {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-grant-") {
			refused = true
		}
	}
	switch {
	case !refused:
		return nil
	case create:
		return errBucketACL()
	default:
		return errACLNotSupported()
	}
}

// putBucketACL accepts only an owner-only canned ACL, as BucketOwnerEnforced does.
func (s *Service) putBucketACL(w http.ResponseWriter, r *http.Request, name, _ string) error {
	if _, err := s.meta(name); err != nil {
		return err
	}
	if err := aclHeaders(r, false); err != nil || r.ContentLength > 0 {
		return errACLNotSupported()
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

type ownershipControls struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	NS      string   `xml:"xmlns,attr"`
	Rule    struct {
		ObjectOwnership string
	}
}

// getOwnershipControls reports BucketOwnerEnforced, the only setting the
// local cloud has.
func (s *Service) getOwnershipControls(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	if _, err := s.meta(name); err != nil {
		return err
	}
	oc := ownershipControls{NS: Namespace}
	oc.Rule.ObjectOwnership = "BucketOwnerEnforced"
	writeXML(w, oc)
	return nil
}
