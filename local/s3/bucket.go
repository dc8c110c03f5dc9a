package s3

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// bucketMeta is a bucket's durable configuration.
type bucketMeta struct {
	Name              string
	Created           time.Time
	Region            string
	Versioning        string             `json:",omitempty"` // "", Enabled, Suspended
	PublicAccessBlock *PublicAccessBlock `json:",omitempty"`
	Encryption        *Encryption        `json:",omitempty"`
	// Policy is the bucket policy's JSON, "" when none.
	Policy       string                     `json:",omitempty"`
	Website      *WebsiteConfiguration      `json:",omitempty"`
	Notification *NotificationConfiguration `json:",omitempty"`
	Cors         *CORSConfiguration         `json:",omitempty"`
}

// bucket is a bucket's configuration and, once loaded, its objects.
type bucket struct {
	mu      sync.RWMutex
	meta    bucketMeta
	loaded  bool
	objects map[string]*object
	keys    []string // sorted keys of objects
	deleted bool     // set under mu when the bucket is deleted
}

var (
	bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

// validBucketName applies the general purpose bucket naming rules.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func validBucketName(name string) error {
	bad := func(why string) error {
		return core.Errorf(http.StatusBadRequest, "InvalidBucketName",
			"The specified bucket is not valid: %q %s.", name, why).With("BucketName", name)
	}
	switch {
	case !bucketNamePattern.MatchString(name):
		return bad("must be 3 to 63 characters of lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit")
	case strings.Contains(name, ".."):
		return bad("must not contain two adjacent periods")
	case net.ParseIP(name) != nil:
		return bad("must not be formatted as an IP address")
	case strings.HasPrefix(name, "xn--"), strings.HasPrefix(name, "sthree-"):
		return bad("must not start with a reserved prefix (xn--, sthree-)")
	case strings.HasSuffix(name, "-s3alias"), strings.HasSuffix(name, "--ol-s3"), strings.HasSuffix(name, ".mrap"):
		return bad("must not end with a reserved suffix (-s3alias, --ol-s3, .mrap)")
	}
	return nil
}

// bucketFor returns the bucket, loaded, or NoSuchBucket.
func (s *Service) bucketFor(name string) (*bucket, error) {
	s.mu.RLock()
	b := s.buckets[name]
	s.mu.RUnlock()
	if b == nil {
		return nil, errNoSuchBucket(name)
	}
	b.mu.RLock()
	ready, deleted := b.loaded, b.deleted
	b.mu.RUnlock()
	if ready && !deleted {
		return b, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.deleted {
		return nil, errNoSuchBucket(name)
	}
	if !b.loaded {
		if err := s.loadObjects(b); err != nil {
			return nil, errInternal("loading bucket "+name, err)
		}
	}
	return b, nil
}

func (s *Service) loadObjects(b *bucket) error {
	b.objects = map[string]*object{}
	b.keys = b.keys[:0]
	err := s.objectsColl(b.meta.Name).Scan(func(key string, raw json.RawMessage) error {
		var o object
		if err := json.Unmarshal(raw, &o); err != nil {
			return fmt.Errorf("object %q: %w", key, err)
		}
		b.objects[key] = &o
		b.keys = append(b.keys, key) // Scan is in key order
		return nil
	})
	if err != nil {
		return err
	}
	b.loaded = true
	return nil
}

// CreateBucket creates a bucket in region (empty means the cloud's). It is
// the Go API behind the CreateBucket operation, for the CloudFormation
// provider of AWS::S3::Bucket.
func (s *Service) CreateBucket(name, region string) error {
	if err := validBucketName(name); err != nil {
		return err
	}
	if region == "" {
		region = s.env.Region
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.buckets[name]; ok {
		// us-east-1 answers 200 to its owner on AWS; everywhere else, and
		// here always, the owner gets BucketAlreadyOwnedByYou so that a
		// deploy notices it is reusing a bucket.
		return core.Errorf(http.StatusConflict, "BucketAlreadyOwnedByYou",
			"Your previous request to create the named bucket succeeded and you already own it.").With("BucketName", name)
	}
	// Since April 2023 every new bucket has all four Block Public Access
	// settings on; a bucket that will be public turns them off first.
	// See https://aws.amazon.com/about-aws/whats-new/2022/12/amazon-s3-automatically-enable-block-public-access-disable-access-control-lists-buckets-april-2023/
	m := bucketMeta{Name: name, Created: s.env.Clock.Now().UTC().Truncate(time.Millisecond), Region: region,
		PublicAccessBlock: &PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}}
	if err := s.bucketsColl().Put(name, m); err != nil {
		return errInternal("creating bucket", err)
	}
	s.buckets[name] = &bucket{meta: m, loaded: true, objects: map[string]*object{}}
	return nil
}

func (s *Service) createBucket(w http.ResponseWriter, r *http.Request, name, _ string) error {
	if err := aclHeaders(r, true); err != nil {
		return err
	}
	if o := r.Header.Get("X-Amz-Object-Ownership"); o != "" && o != "BucketOwnerEnforced" {
		return errNotSupported("Object Ownership " + o + " (ACLs; every local bucket is BucketOwnerEnforced)")
	}
	var cfg createBucketConfiguration
	if r.ContentLength != 0 {
		if err := readXML(r, "CreateBucketConfiguration", &cfg); err != nil {
			return err
		}
	}
	region := cfg.LocationConstraint
	switch region {
	case "", "US":
		region = "us-east-1"
	case "EU":
		region = "eu-west-1"
	}
	if region != s.env.Region && cfg.LocationConstraint == "" && s.env.Region != "us-east-1" {
		return core.Errorf(http.StatusBadRequest, "IllegalLocationConstraintException",
			"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	}
	if cfg.LocationConstraint == "us-east-1" {
		return core.Errorf(http.StatusBadRequest, "InvalidLocationConstraint", "The specified location-constraint is not valid.").
			With("LocationConstraint", cfg.LocationConstraint)
	}
	if err := s.CreateBucket(name, region); err != nil {
		return err
	}
	w.Header().Set("Location", "/"+name)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) headBucket(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	b, err := s.bucketFor(name)
	if err != nil {
		return err
	}
	w.Header().Set("X-Amz-Bucket-Region", b.meta.Region)
	w.WriteHeader(http.StatusOK)
	return nil
}

// DeleteBucket deletes an empty bucket (BucketNotEmpty otherwise), aborting
// its in-progress multipart uploads.
func (s *Service) DeleteBucket(name string) error {
	b, err := s.bucketFor(name)
	if err != nil {
		return err
	}
	b.mu.Lock()
	if len(b.keys) > 0 {
		b.mu.Unlock()
		return core.Errorf(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty").With("BucketName", name)
	}
	// Remove the (empty) collections before the name is free again, so a
	// bucket created right after under the same name starts clean.
	if err := errors.Join(s.bucketsColl().Delete(name), s.objectsColl(name).Drop(), s.blobsColl(name).Drop()); err != nil {
		b.mu.Unlock()
		return errInternal("deleting bucket", err)
	}
	b.deleted = true
	s.mu.Lock()
	delete(s.buckets, name)
	s.mu.Unlock()
	b.mu.Unlock()
	// Outside the bucket's lock: completing an upload takes the upload's
	// lock, then the bucket's.
	s.abortUploadsOf(name)
	return nil
}

func (s *Service) deleteBucket(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	if err := s.DeleteBucket(name); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Buckets returns the names of all buckets, sorted.
func (s *Service) Buckets() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.buckets))
	for n := range s.buckets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *Service) listBuckets(w http.ResponseWriter, _ *http.Request, _, _ string) error {
	res := listAllMyBucketsResult{NS: Namespace, Owner: s.owner, Buckets: []bucketEntry{}}
	s.mu.RLock()
	all := make([]*bucket, 0, len(s.buckets))
	for _, b := range s.buckets {
		all = append(all, b)
	}
	s.mu.RUnlock()
	for _, b := range all {
		b.mu.RLock()
		res.Buckets = append(res.Buckets, bucketEntry{Name: b.meta.Name, CreationDate: xmlTime(b.meta.Created), BucketRegion: b.meta.Region})
		b.mu.RUnlock()
	}
	sort.Slice(res.Buckets, func(i, j int) bool { return res.Buckets[i].Name < res.Buckets[j].Name })
	writeXML(w, res)
	return nil
}

func (s *Service) getBucketLocation(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	b, err := s.bucketFor(name)
	if err != nil {
		return err
	}
	loc := b.meta.Region
	if loc == "us-east-1" {
		loc = "" // S3 reports us-east-1 as an empty constraint
	}
	writeXML(w, locationConstraint{NS: Namespace, Value: loc})
	return nil
}

// updateMeta changes a bucket's configuration durably.
func (s *Service) updateMeta(name string, fn func(m *bucketMeta)) error {
	b, err := s.bucketFor(name)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	m := b.meta
	fn(&m)
	if err := s.bucketsColl().Put(name, m); err != nil {
		return errInternal("saving bucket configuration", err)
	}
	b.meta = m
	return nil
}

func (s *Service) meta(name string) (bucketMeta, error) {
	b, err := s.bucketFor(name)
	if err != nil {
		return bucketMeta{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.meta, nil
}

func (s *Service) putBucketVersioning(w http.ResponseWriter, r *http.Request, name, _ string) error {
	var cfg versioningConfiguration
	if err := readXML(r, "VersioningConfiguration", &cfg); err != nil {
		return err
	}
	if cfg.Status != "Enabled" && cfg.Status != "Suspended" {
		return errMalformedXML("VersioningConfiguration", fmt.Errorf("Status %q is not Enabled or Suspended", cfg.Status))
	}
	if cfg.MfaDelete == "Enabled" {
		return errNotSupported("MFA delete")
	}
	if err := s.updateMeta(name, func(m *bucketMeta) { m.Versioning = cfg.Status }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketVersioning(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	m, err := s.meta(name)
	if err != nil {
		return err
	}
	writeXML(w, versioningConfiguration{NS: Namespace, Status: m.Versioning})
	return nil
}

func (s *Service) putPublicAccessBlock(w http.ResponseWriter, r *http.Request, name, _ string) error {
	var cfg PublicAccessBlock
	if err := readXML(r, "PublicAccessBlockConfiguration", &cfg); err != nil {
		return err
	}
	if err := s.updateMeta(name, func(m *bucketMeta) { m.PublicAccessBlock = &cfg }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getPublicAccessBlock(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	m, err := s.meta(name)
	if err != nil {
		return err
	}
	if m.PublicAccessBlock == nil {
		return core.Errorf(http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration",
			"The public access block configuration was not found").With("BucketName", name)
	}
	cfg := *m.PublicAccessBlock
	cfg.NS = Namespace
	writeXML(w, cfg)
	return nil
}

func (s *Service) deletePublicAccessBlock(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	if err := s.updateMeta(name, func(m *bucketMeta) { m.PublicAccessBlock = nil }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) putBucketEncryption(w http.ResponseWriter, r *http.Request, name, _ string) error {
	var cfg Encryption
	if err := readXML(r, "ServerSideEncryptionConfiguration", &cfg); err != nil {
		return err
	}
	if len(cfg.Rules) == 0 {
		return errMalformedXML("ServerSideEncryptionConfiguration", errors.New("no Rule"))
	}
	for _, rule := range cfg.Rules {
		switch alg := rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm; alg {
		case "AES256", "aws:kms", "aws:kms:dsse":
		default:
			return errMalformedXML("ServerSideEncryptionConfiguration", fmt.Errorf("SSEAlgorithm %q is not AES256, aws:kms or aws:kms:dsse", alg))
		}
	}
	if err := s.updateMeta(name, func(m *bucketMeta) { m.Encryption = &cfg }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// defaultEncryption is what every bucket has since January 2023: SSE-S3.
func defaultEncryption() Encryption {
	var rule EncryptionRule
	rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm = "AES256"
	return Encryption{Rules: []EncryptionRule{rule}}
}

func (s *Service) getBucketEncryption(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	m, err := s.meta(name)
	if err != nil {
		return err
	}
	cfg := defaultEncryption()
	if m.Encryption != nil {
		cfg = *m.Encryption
	}
	cfg.NS = Namespace
	writeXML(w, cfg)
	return nil
}

func (s *Service) deleteBucketEncryption(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	if err := s.updateMeta(name, func(m *bucketMeta) { m.Encryption = nil }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sseAlgorithm is the encryption reported on the bucket's new objects.
func (m bucketMeta) sseAlgorithm() string {
	if m.Encryption != nil && len(m.Encryption.Rules) > 0 {
		return m.Encryption.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm
	}
	return "AES256"
}
