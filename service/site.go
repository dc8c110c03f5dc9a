package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// S3SiteLogicalID is the logical ID of a site's bucket, as Sparta's
// S3Site.CloudFormationS3ResourceName names it; API Gateway and other
// decorators can refer to it (cfn.Ref(site.CloudFormationS3ResourceName())).
const S3SiteLogicalID = "S3Site"

// S3Site is a static website served from an S3 bucket, as Sparta's
// sparta.NewS3Site declares it: the contents of a local folder, uploaded to
// a website bucket after the stack is deployed and kept in sync on every
// provision (changed files uploaded, removed ones deleted). Pass it to
// sparta.Main/MainEx. The bucket is public for reading through a bucket
// policy (with the public access block S3 needs for that since April 2023,
// and no ACL); its website URL is the stack output S3SiteURL.
//
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html
type S3Site struct {
	resources string
	// WebsiteConfiguration sets the index and error documents; nil (or a
	// nil field) means IndexDocument "index.html" and ErrorDocument
	// "error.html", Sparta's defaults. Sparta types it as the SDK's
	// s3.WebsiteConfiguration; a port renames the type and keeps the
	// fields.
	WebsiteConfiguration *S3WebsiteConfiguration
	// BucketName is the bucket's name; empty lets CloudFormation choose
	// one. Sparta types it as a go-cloudformation string expression; here
	// it is a string, literal or an intrinsic of package cfn.
	BucketName string
	// UserManifestData is written, under the key "userdata", to
	// MANIFEST.json at the site's root, next to the stack's outputs (the
	// API's URL, say) that a page can read; empty writes no "userdata".
	UserManifestData map[string]any
}

// S3WebsiteConfiguration is the part of S3's WebsiteConfiguration a site
// sets, with the SDK's field names and pointer fields.
type S3WebsiteConfiguration struct {
	ErrorDocument *S3ErrorDocument
	IndexDocument *S3IndexDocument
}

// S3ErrorDocument names the object served for 4XX errors.
type S3ErrorDocument struct{ Key *string }

// S3IndexDocument names the object served for a folder ("/", "docs/").
type S3IndexDocument struct{ Suffix *string }

// NewS3Site declares a site whose files are the contents of the folder
// resources. As in Sparta, the folder is checked when the service is
// validated, not here, so that a go:generate step may create it.
func NewS3Site(resources string) (*S3Site, error) {
	return &S3Site{resources: resources, UserManifestData: map[string]any{}}, nil
}

// Resources is the local folder whose contents make up the site.
func (s *S3Site) Resources() string { return s.resources }

// CloudFormationS3ResourceName is the logical ID of the site's bucket.
func (s *S3Site) CloudFormationS3ResourceName() string { return S3SiteLogicalID }

// IndexDocument is the index document's suffix ("index.html" by default).
func (s *S3Site) IndexDocument() string {
	if c := s.WebsiteConfiguration; c != nil && c.IndexDocument != nil && c.IndexDocument.Suffix != nil {
		return *c.IndexDocument.Suffix
	}
	return "index.html"
}

// ErrorDocument is the error document's key ("error.html" by default).
func (s *S3Site) ErrorDocument() string {
	if c := s.WebsiteConfiguration; c != nil && c.ErrorDocument != nil && c.ErrorDocument.Key != nil {
		return *c.ErrorDocument.Key
	}
	return "error.html"
}

// Validate checks the site before anything is built: the folder exists
// and is a directory, and the documents are names S3 accepts.
func (s *S3Site) Validate() error {
	var errs []error
	switch fi, err := os.Stat(s.resources); {
	case s.resources == "":
		errs = append(errs, errors.New("S3 site: the resources folder is empty: pass the folder holding the site's files to sparta.NewS3Site"))
	case err != nil:
		abs, _ := filepath.Abs(s.resources)
		errs = append(errs, fmt.Errorf("S3 site: the resources folder %s does not exist (resolved from the current directory); create it or pass another to sparta.NewS3Site", abs))
	case !fi.IsDir():
		errs = append(errs, fmt.Errorf("S3 site: %s is a file; sparta.NewS3Site takes the folder holding the site's files", s.resources))
	}
	if idx := s.IndexDocument(); idx == "" || strings.Contains(idx, "/") {
		errs = append(errs, fmt.Errorf("S3 site: IndexDocument.Suffix %q must be a file name without a slash (S3 appends it to folder requests)", idx))
	}
	if s.ErrorDocument() == "" {
		errs = append(errs, errors.New("S3 site: ErrorDocument.Key is empty: name the error page or leave ErrorDocument nil for error.html"))
	}
	if n := s.BucketName; n != "" && !isEncodedIntrinsic(n) && (!bucketNamePattern.MatchString(n) || strings.Contains(n, "..")) {
		errs = append(errs, fmt.Errorf("S3 site: BucketName %q must be 3 to 63 lower-case letters, digits, dots and hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)", n))
	}
	return errors.Join(errs...)
}
