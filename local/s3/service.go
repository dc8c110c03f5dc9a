package s3

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// Service implements S3. Build it with [New]; other services reach it with
// env.Lookup("s3") and use its Go API ([Service.PutObject],
// [Service.GetObject], [Service.EnsureBucket]) to read and write objects
// without HTTP (the Lambda service reading a function's code, the
// CloudFormation engine creating AWS::S3::Bucket).
type Service struct {
	env   *core.Env
	log   logrus.FieldLogger
	owner Owner

	mu      sync.RWMutex
	buckets map[string]*bucket

	uploadsMu sync.Mutex
	uploads   map[string]*upload

	destMu sync.RWMutex
	dest   Destinations
}

var (
	_ core.Service  = (*Service)(nil)
	_ core.Fallback = (*Service)(nil)
	_ core.Public   = (*Service)(nil)
)

// New builds the S3 service, reloading bucket metadata and in-progress
// multipart uploads from the store. Objects of a bucket are loaded on the
// bucket's first use.
func New(env *core.Env) (core.Service, error) {
	sum := sha256.Sum256([]byte("sparta-local:" + env.AccountID))
	s := &Service{
		env:     env,
		log:     env.Log.WithField(core.FieldService, "s3"),
		owner:   Owner{ID: hex.EncodeToString(sum[:]), DisplayName: "local"},
		buckets: map[string]*bucket{},
		uploads: map[string]*upload{},
	}
	err := store.ScanAs(s.bucketsColl(), "bucket", func(name string, m bucketMeta) error {
		s.buckets[name] = &bucket{meta: m}
		return nil
	})
	if err == nil {
		err = s.loadUploads()
	}
	if err != nil {
		return nil, fmt.Errorf("s3: reloading state: %w", err)
	}
	return s, nil
}

// Name returns "s3", S3's signing name.
func (s *Service) Name() string { return "s3" }

// Match claims unsigned requests that no other protocol explains (no
// X-Amz-Target, no awsQuery form): anonymous GETs of objects, aws
// --no-sign-request. S3 is the only REST-XML service of the cloud.
func (s *Service) Match(r *http.Request) bool {
	if r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	return !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
}

// Fallback marks Match as a catch-all, asked after other services' matchers.
func (s *Service) Fallback() {}

func (s *Service) bucketsColl() *store.Collection { return s.env.Store.Collection("s3", "buckets") }
func (s *Service) objectsColl(b string) *store.Collection {
	return s.env.Store.Collection("s3", "objects", b)
}
func (s *Service) blobsColl(b string) *store.Collection {
	return s.env.Store.Collection("s3", "blobs", b)
}

// VirtualHostSuffix is the host suffix that selects virtual-hosted-style
// addressing: a request for bucket.localhost:port (or bucket.s3.localhost)
// addresses the bucket "bucket". *.localhost resolves to loopback on most
// systems (RFC 6761), so aws-sdk-go-v2 works with
// BaseEndpoint http://localhost:port and UsePathStyle false. Any other host
// (127.0.0.1, localhost) means path-style: /bucket/key.
const VirtualHostSuffix = ".localhost"

// address splits a request into bucket and key, from the Host header for
// virtual-hosted style or from the path.
func address(r *http.Request) (bucket, key string) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	path := strings.TrimPrefix(r.URL.Path, "/")
	if b, ok := strings.CutSuffix(host, VirtualHostSuffix); ok {
		b = strings.TrimSuffix(b, ".s3")
		if b != "" && b != "s3" {
			return b, path
		}
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// subresources are the query parameters that select a bucket or object
// sub-resource (an operation other than the plain one).
var subresources = []string{
	"accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption",
	"intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging",
	"metadataTable", "metrics", "notification", "object-lock", "ownershipControls",
	"policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment",
	"restore", "retention", "select", "session", "tagging", "torrent", "uploads",
	"versioning", "versions", "website",
}

func subresource(r *http.Request) string {
	q := r.URL.Query()
	for _, s := range subresources {
		if _, ok := q[s]; ok {
			return s
		}
	}
	return ""
}

// ServeHTTP routes an S3 REST request to its operation.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := core.CallFrom(r.Context())
	w.Header().Set("X-Amz-Id-2", call.RequestID)
	if bucket, key, ok := websiteTarget(r); ok {
		if !s.corsPreflight(w, r, bucket) {
			s.corsHeaders(w, r, bucket)
			s.serveWebsite(w, r, bucket, key)
		}
		return
	}
	bucket, key := address(r)
	if s.corsPreflight(w, r, bucket) {
		return
	}
	s.corsHeaders(w, r, bucket)
	sub := subresource(r)
	op, fn := s.operation(r, bucket, key, sub)
	call.SetOperation(op)
	if fn == nil {
		switch {
		case sub != "":
			core.WriteRESTXMLError(w, r, errNotSupported(fmt.Sprintf("%s %s?%s (%s)", r.Method, resourceKind(bucket, key), sub, op)))
		default:
			core.WriteRESTXMLError(w, r, errMethodNotAllowed(r.Method, strings.ToUpper(resourceKind(bucket, key))))
		}
		return
	}
	if err := fn(w, r, bucket, key); err != nil {
		core.WriteRESTXMLError(w, r, err)
	}
}

func resourceKind(bucket, key string) string {
	switch {
	case bucket == "":
		return "service"
	case key == "":
		return "bucket"
	default:
		return "object"
	}
}

type handler func(w http.ResponseWriter, r *http.Request, bucket, key string) error

// operation maps method, address and sub-resource to an operation name and
// its handler (nil when not supported).
func (s *Service) operation(r *http.Request, bucket, key, sub string) (string, handler) {
	q := r.URL.Query()
	switch {
	case bucket == "":
		if r.Method == http.MethodGet {
			return "ListBuckets", s.listBuckets
		}
	case key == "":
		return s.bucketOperation(r.Method, sub, q.Get("list-type"))
	default:
		_, hasUpload := q["uploadId"]
		switch r.Method {
		case http.MethodPut:
			switch {
			case sub != "":
				return "PutObject?" + sub, nil
			case hasUpload && r.Header.Get("X-Amz-Copy-Source") != "":
				return "UploadPartCopy", nil
			case hasUpload:
				return "UploadPart", s.uploadPart
			case r.Header.Get("X-Amz-Copy-Source") != "":
				return "CopyObject", s.copyObject
			}
			return "PutObject", s.putObject
		case http.MethodGet:
			switch {
			case sub != "":
				return "GetObject?" + sub, nil
			case hasUpload:
				return "ListParts", s.listParts
			}
			return "GetObject", s.getObject
		case http.MethodHead:
			if sub == "" {
				return "HeadObject", s.getObject
			}
		case http.MethodDelete:
			switch {
			case sub != "":
				return "DeleteObject?" + sub, nil
			case hasUpload:
				return "AbortMultipartUpload", s.abortUpload
			}
			return "DeleteObject", s.deleteObject
		case http.MethodPost:
			switch {
			case sub == "uploads":
				return "CreateMultipartUpload", s.createUpload
			case sub == "" && hasUpload:
				return "CompleteMultipartUpload", s.completeUpload
			}
		}
	}
	return r.Method, nil
}

func (s *Service) bucketOperation(method, sub, listType string) (string, handler) {
	switch method {
	case http.MethodPut:
		switch sub {
		case "":
			return "CreateBucket", s.createBucket
		case "versioning":
			return "PutBucketVersioning", s.putBucketVersioning
		case "publicAccessBlock":
			return "PutPublicAccessBlock", s.putPublicAccessBlock
		case "encryption":
			return "PutBucketEncryption", s.putBucketEncryption
		case "policy":
			return "PutBucketPolicy", s.putBucketPolicy
		case "website":
			return "PutBucketWebsite", s.putBucketWebsite
		case "notification":
			return "PutBucketNotificationConfiguration", s.putBucketNotification
		case "cors":
			return "PutBucketCors", s.putBucketCors
		case "acl":
			return "PutBucketAcl", s.putBucketACL
		}
		return "PutBucket?" + sub, nil
	case http.MethodGet:
		switch sub {
		case "":
			if listType == "2" {
				return "ListObjectsV2", s.listObjectsV2
			}
			return "ListObjects", s.listObjectsV1
		case "location":
			return "GetBucketLocation", s.getBucketLocation
		case "versioning":
			return "GetBucketVersioning", s.getBucketVersioning
		case "publicAccessBlock":
			return "GetPublicAccessBlock", s.getPublicAccessBlock
		case "encryption":
			return "GetBucketEncryption", s.getBucketEncryption
		case "uploads":
			return "ListMultipartUploads", s.listUploads
		case "policy":
			return "GetBucketPolicy", s.getBucketPolicy
		case "policyStatus":
			return "GetBucketPolicyStatus", s.getBucketPolicyStatus
		case "website":
			return "GetBucketWebsite", s.getBucketWebsite
		case "notification":
			return "GetBucketNotificationConfiguration", s.getBucketNotification
		case "cors":
			return "GetBucketCors", s.getBucketCors
		case "ownershipControls":
			return "GetBucketOwnershipControls", s.getOwnershipControls
		}
		return "GetBucket?" + sub, nil
	case http.MethodHead:
		if sub == "" {
			return "HeadBucket", s.headBucket
		}
	case http.MethodDelete:
		switch sub {
		case "":
			return "DeleteBucket", s.deleteBucket
		case "publicAccessBlock":
			return "DeletePublicAccessBlock", s.deletePublicAccessBlock
		case "encryption":
			return "DeleteBucketEncryption", s.deleteBucketEncryption
		case "policy":
			return "DeleteBucketPolicy", s.deleteBucketPolicy
		case "website":
			return "DeleteBucketWebsite", s.deleteBucketWebsite
		case "cors":
			return "DeleteBucketCors", s.deleteBucketCors
		}
		return "DeleteBucket?" + sub, nil
	case http.MethodPost:
		if sub == "delete" {
			return "DeleteObjects", s.deleteObjects
		}
		return "PostBucket?" + sub, nil
	}
	return method, nil
}
