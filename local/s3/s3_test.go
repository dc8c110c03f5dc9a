package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

var ctx = context.Background()

func client(c *local.Cloud) *s3.Client {
	return s3.NewFromConfig(localtest.Config(c), func(o *s3.Options) { o.UsePathStyle = true })
}

// wantCode fails unless err is an AWS error with code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Errorf("%s = %v, want error code %s", what, err, code)
	}
}

func mustCreate(t testing.TB, cl *s3.Client, name string) {
	t.Helper()
	if _, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket(%s) = %v", name, err)
	}
}

func put(t *testing.T, cl *s3.Client, bucket, key, body string) *s3.PutObjectOutput {
	t.Helper()
	out, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject(%s/%s) = %v", bucket, key, err)
	}
	return out
}

func get(t *testing.T, cl *s3.Client, in *s3.GetObjectInput) (string, *s3.GetObjectOutput) {
	t.Helper()
	out, err := cl.GetObject(ctx, in)
	if err != nil {
		t.Fatalf("GetObject(%s/%s) = %v", *in.Bucket, *in.Key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("reading GetObject(%s/%s) = %v", *in.Bucket, *in.Key, err)
	}
	return string(b), out
}

func TestBuckets(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)

	if _, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String("artifacts-eu"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1},
	}); err != nil {
		t.Fatalf("CreateBucket with LocationConstraint = %v", err)
	}
	mustCreate(t, cl, "artifacts")

	loc, err := cl.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("artifacts-eu")})
	if err != nil || loc.LocationConstraint != types.BucketLocationConstraintEuWest1 {
		t.Errorf("GetBucketLocation(artifacts-eu) = %v, %v; want eu-west-1", loc, err)
	}
	loc, err = cl.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("artifacts")})
	if err != nil || loc.LocationConstraint != "" {
		t.Errorf("GetBucketLocation(artifacts) = %q, %v; want empty for us-east-1", loc.LocationConstraint, err)
	}
	if _, err := cl.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("artifacts")}); err != nil {
		t.Errorf("HeadBucket = %v", err)
	}
	_, err = cl.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("nope")})
	wantCode(t, "HeadBucket(missing)", err, "NotFound")

	_, err = cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("artifacts")})
	wantCode(t, "CreateBucket(existing)", err, "BucketAlreadyOwnedByYou")
	for _, bad := range []string{"UPPER", "ab", "a..b", "192.168.1.1", "-dash", "xn--punycode"} {
		_, err = cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bad)})
		wantCode(t, fmt.Sprintf("CreateBucket(%q)", bad), err, "InvalidBucketName")
	}

	list, err := cl.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list.Buckets {
		names = append(names, *b.Name)
		if b.CreationDate == nil || time.Since(*b.CreationDate) > time.Minute {
			t.Errorf("bucket %s CreationDate = %v", *b.Name, b.CreationDate)
		}
	}
	if diff := cmp.Diff([]string{"artifacts", "artifacts-eu"}, names); diff != "" {
		t.Errorf("ListBuckets (-want +got):\n%s", diff)
	}

	// Versioning, public access block and encryption round-trip.
	v, err := cl.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("artifacts")})
	if err != nil || v.Status != "" {
		t.Errorf("GetBucketVersioning(new bucket) = %q, %v; want empty", v.Status, err)
	}
	if _, err := cl.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("artifacts"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatalf("PutBucketVersioning = %v", err)
	}
	if v, _ := cl.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("artifacts")}); v.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("GetBucketVersioning = %q, want Enabled", v.Status)
	}
	// New buckets block public access since April 2023:
	// https://aws.amazon.com/about-aws/whats-new/2022/12/amazon-s3-automatically-enable-block-public-access-disable-access-control-lists-buckets-april-2023/
	def, err := cl.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("artifacts")})
	if err != nil || !*def.PublicAccessBlockConfiguration.BlockPublicAcls || !*def.PublicAccessBlockConfiguration.IgnorePublicAcls ||
		!*def.PublicAccessBlockConfiguration.BlockPublicPolicy || !*def.PublicAccessBlockConfiguration.RestrictPublicBuckets {
		t.Errorf("GetPublicAccessBlock(new bucket) = %+v, %v; want all four on", def, err)
	}
	if _, err := cl.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("artifacts")}); err != nil {
		t.Fatalf("DeletePublicAccessBlock = %v", err)
	}
	_, err = cl.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("artifacts")})
	wantCode(t, "GetPublicAccessBlock(unset)", err, "NoSuchPublicAccessBlockConfiguration")
	if _, err := cl.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("artifacts"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}); err != nil {
		t.Fatalf("PutPublicAccessBlock = %v", err)
	}
	pab, err := cl.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("artifacts")})
	if err != nil || !*pab.PublicAccessBlockConfiguration.BlockPublicAcls || !*pab.PublicAccessBlockConfiguration.RestrictPublicBuckets {
		t.Errorf("GetPublicAccessBlock = %+v, %v", pab, err)
	}
	enc, err := cl.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("artifacts")})
	if err != nil || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
		t.Errorf("GetBucketEncryption(default) = %+v, %v; want AES256", enc, err)
	}
	if _, err := cl.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("artifacts"),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("alias/aws/s3")},
			BucketKeyEnabled:                   aws.Bool(true)}}}}); err != nil {
		t.Fatalf("PutBucketEncryption = %v", err)
	}
	enc, err = cl.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("artifacts")})
	if err != nil {
		t.Fatal(err)
	}
	rule := enc.ServerSideEncryptionConfiguration.Rules[0]
	if rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAwsKms || *rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID != "alias/aws/s3" || !*rule.BucketKeyEnabled {
		t.Errorf("GetBucketEncryption = %+v", rule)
	}

	put(t, cl, "artifacts", "k", "x")
	_, err = cl.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("artifacts-eu")})
	if err != nil {
		t.Errorf("DeleteBucket(empty) = %v", err)
	}
	_, err = cl.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("artifacts-eu")})
	wantCode(t, "DeleteBucket(deleted)", err, "NoSuchBucket")

	// Unsupported sub-resources are refused, not ignored.
	_, err = cl.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("artifacts"),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{ID: aws.String("r"),
			Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")},
			Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}}}}})
	wantCode(t, "PutBucketLifecycleConfiguration", err, "NotImplemented")
	_, err = cl.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("artifacts"), Policy: aws.String("{}")})
	wantCode(t, "PutBucketPolicy({})", err, "MalformedPolicy")
}

func TestDeleteBucketNotEmpty(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "full")
	put(t, cl, "full", "a/b", "data")
	_, err := cl.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("full")})
	wantCode(t, "DeleteBucket(non-empty)", err, "BucketNotEmpty")
	if _, err := cl.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("full"), Key: aws.String("a/b")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("full")}); err != nil {
		t.Errorf("DeleteBucket after emptying = %v", err)
	}
	// A bucket re-created under the same name starts empty.
	mustCreate(t, cl, "full")
	out, err := cl.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("full")})
	if err != nil || len(out.Contents) != 0 {
		t.Errorf("ListObjectsV2(re-created) = %d objects, %v", len(out.Contents), err)
	}
}

func TestObjects(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "bkt")
	body := "hello, local cloud"
	sum := md5.Sum([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:]) + `"`

	out, err := cl.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("bkt"), Key: aws.String("dir/hello world+ü.txt"), Body: strings.NewReader(body),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"build": "42"},
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
	})
	if err != nil {
		t.Fatalf("PutObject = %v", err)
	}
	if *out.ETag != etag || out.ChecksumSHA256 == nil {
		t.Errorf("PutObject ETag = %s, checksum %v; want %s and a SHA256", *out.ETag, out.ChecksumSHA256, etag)
	}

	got, g := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello world+ü.txt"), ChecksumMode: types.ChecksumModeEnabled})
	if got != body || *g.ContentType != "text/plain" || g.Metadata["build"] != "42" || *g.ETag != etag || *g.ContentLength != int64(len(body)) {
		t.Errorf("GetObject = %q %s %v %s %d", got, *g.ContentType, g.Metadata, *g.ETag, *g.ContentLength)
	}
	if g.ChecksumSHA256 == nil || *g.ChecksumSHA256 != *out.ChecksumSHA256 {
		t.Errorf("GetObject checksum = %v, want %s", g.ChecksumSHA256, *out.ChecksumSHA256)
	}

	// Ranges.
	for _, tt := range []struct{ rng, want, contentRange string }{
		{"bytes=0-4", "hello", "bytes 0-4/18"},
		{"bytes=7-", "local cloud", "bytes 7-17/18"},
		{"bytes=-5", "cloud", "bytes 13-17/18"},
		{"bytes=13-100", "cloud", "bytes 13-17/18"},
	} {
		got, g := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello world+ü.txt"), Range: aws.String(tt.rng)})
		if got != tt.want || *g.ContentRange != tt.contentRange {
			t.Errorf("GetObject(Range %s) = %q %s, want %q %s", tt.rng, got, *g.ContentRange, tt.want, tt.contentRange)
		}
	}
	_, err = cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello world+ü.txt"), Range: aws.String("bytes=100-")})
	wantCode(t, "GetObject(Range past the end)", err, "InvalidRange")

	// Conditionals.
	_, err = cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello world+ü.txt"), IfMatch: aws.String(`"nope"`)})
	wantCode(t, "GetObject(If-Match mismatch)", err, "PreconditionFailed")
	_, err = cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello world+ü.txt"), IfNoneMatch: aws.String(etag)})
	wantCode(t, "GetObject(If-None-Match match)", err, "NotModified")

	head, err := cl.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello world+ü.txt")})
	if err != nil || *head.ContentLength != int64(len(body)) || *head.ETag != etag || head.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Errorf("HeadObject = %+v, %v", head, err)
	}
	_, err = cl.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("missing")})
	wantCode(t, "HeadObject(missing)", err, "NotFound")
	_, err = cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("missing")})
	wantCode(t, "GetObject(missing)", err, "NoSuchKey")
	_, err = cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k")})
	wantCode(t, "GetObject(missing bucket)", err, "NoSuchBucket")

	// A wrong Content-MD5 stores nothing.
	_, err = cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("bad"), Body: strings.NewReader("abc"),
		ContentMD5: aws.String("1B2M2Y8AsgTpgAmY7PhCfg==")})
	wantCode(t, "PutObject(wrong Content-MD5)", err, "BadDigest")
	_, err = cl.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("bad")})
	wantCode(t, "HeadObject after BadDigest", err, "NotFound")

	// Copy, with metadata copied or replaced.
	cp, err := cl.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("copy"), CopySource: aws.String("bkt/dir/hello%20world%2B%C3%BC.txt")})
	if err != nil || *cp.CopyObjectResult.ETag != etag {
		t.Fatalf("CopyObject = %v, %v", cp, err)
	}
	got, g = get(t, cl, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("copy")})
	if got != body || g.Metadata["build"] != "42" {
		t.Errorf("copied object = %q %v", got, g.Metadata)
	}
	if _, err := cl.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("copy"), CopySource: aws.String("bkt/copy"),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("application/json")}); err != nil {
		t.Fatalf("CopyObject(REPLACE onto itself) = %v", err)
	}
	_, g = get(t, cl, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("copy")})
	if *g.ContentType != "application/json" || len(g.Metadata) != 0 {
		t.Errorf("replaced metadata = %s %v", *g.ContentType, g.Metadata)
	}
	_, err = cl.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("copy"), CopySource: aws.String("bkt/copy")})
	wantCode(t, "CopyObject(onto itself unchanged)", err, "InvalidRequest")

	// Delete is idempotent; DeleteObjects reports each key.
	for range 2 {
		if _, err := cl.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("copy")}); err != nil {
			t.Errorf("DeleteObject = %v", err)
		}
	}
	put(t, cl, "bkt", "x1", "1")
	put(t, cl, "bkt", "x2", "2")
	del, err := cl.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("bkt"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("x1")}, {Key: aws.String("x2")}, {Key: aws.String("never")}}}})
	if err != nil || len(del.Deleted) != 3 || len(del.Errors) != 0 {
		t.Errorf("DeleteObjects = %+v, %v", del, err)
	}
	keys, err := c.S3().Keys("bkt", "")
	if err != nil || !cmp.Equal(keys, []string{"dir/hello world+ü.txt"}) {
		t.Errorf("keys left = %q, %v", keys, err)
	}
}

func TestListObjectsV2(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "list")
	for _, k := range []string{"a/1", "a/2", "a/b/3", "b/1", "c", "d", "e/x/y", "f g"} {
		put(t, cl, "list", k, k)
	}
	tests := []struct {
		name              string
		prefix, delimiter string
		maxKeys           int32
		keys, prefixes    []string
		pages             int
	}{
		{name: "all", maxKeys: 1000, keys: []string{"a/1", "a/2", "a/b/3", "b/1", "c", "d", "e/x/y", "f g"}, pages: 1},
		{name: "paged", maxKeys: 3, keys: []string{"a/1", "a/2", "a/b/3", "b/1", "c", "d", "e/x/y", "f g"}, pages: 3},
		{name: "delimiter", delimiter: "/", maxKeys: 2, keys: []string{"c", "d", "f g"}, prefixes: []string{"a/", "b/", "e/"}, pages: 3},
		{name: "prefix and delimiter", prefix: "a/", delimiter: "/", maxKeys: 1, keys: []string{"a/1", "a/2"}, prefixes: []string{"a/b/"}, pages: 3},
		{name: "no match", prefix: "zzz", maxKeys: 10, pages: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var keys, prefixes []string
			pages := 0
			p := s3.NewListObjectsV2Paginator(cl, &s3.ListObjectsV2Input{Bucket: aws.String("list"),
				Prefix: aws.String(tt.prefix), Delimiter: aws.String(tt.delimiter), MaxKeys: aws.Int32(tt.maxKeys)})
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					t.Fatalf("ListObjectsV2 page %d = %v", pages, err)
				}
				pages++
				for _, o := range out.Contents {
					keys = append(keys, *o.Key)
				}
				for _, cp := range out.CommonPrefixes {
					prefixes = append(prefixes, *cp.Prefix)
				}
				if int(*out.KeyCount) != len(out.Contents)+len(out.CommonPrefixes) {
					t.Errorf("KeyCount = %d, want %d", *out.KeyCount, len(out.Contents)+len(out.CommonPrefixes))
				}
			}
			if diff := cmp.Diff(tt.keys, keys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.prefixes, prefixes); diff != "" {
				t.Errorf("common prefixes (-want +got):\n%s", diff)
			}
			if pages != tt.pages {
				t.Errorf("pages = %d, want %d", pages, tt.pages)
			}
		})
	}
	out, err := cl.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), StartAfter: aws.String("d")})
	if err != nil || len(out.Contents) != 2 || *out.Contents[0].Key != "e/x/y" {
		t.Errorf("ListObjectsV2(StartAfter d) = %+v, %v", out.Contents, err)
	}
	v1, err := cl.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
	if err != nil || len(v1.CommonPrefixes) != 2 || !*v1.IsTruncated || *v1.NextMarker != "b/" {
		t.Errorf("ListObjects v1 = %+v, %v", v1, err)
	}
}

func TestVersioning(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "ver")
	if _, err := cl.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("ver"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	v1 := put(t, cl, "ver", "k", "one")
	v2 := put(t, cl, "ver", "k", "two")
	if v1.VersionId == nil || v2.VersionId == nil || *v1.VersionId == *v2.VersionId {
		t.Fatalf("version IDs = %v %v, want two distinct", v1.VersionId, v2.VersionId)
	}
	if got, _ := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("k")}); got != "two" {
		t.Errorf("current = %q, want two", got)
	}
	if got, _ := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("k"), VersionId: v1.VersionId}); got != "one" {
		t.Errorf("version 1 = %q, want one", got)
	}
	del, err := cl.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("k")})
	if err != nil || !*del.DeleteMarker || del.VersionId == nil {
		t.Fatalf("DeleteObject(versioned) = %+v, %v; want a delete marker", del, err)
	}
	_, err = cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("k")})
	wantCode(t, "GetObject(deleted)", err, "NoSuchKey")
	if out, _ := cl.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("ver")}); len(out.Contents) != 0 {
		t.Errorf("listing shows a deleted key: %+v", out.Contents)
	}
	// Removing the marker brings version 2 back.
	if _, err := cl.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("k"), VersionId: del.VersionId}); err != nil {
		t.Fatal(err)
	}
	if got, _ := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("k")}); got != "two" {
		t.Errorf("after removing the marker = %q, want two", got)
	}
	_, err = cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("k"), VersionId: aws.String("nope")})
	wantCode(t, "GetObject(unknown version)", err, "NoSuchVersion")
}

func TestGoAPI(t *testing.T) {
	c := localtest.Start(t)
	svc := c.S3()
	if err := svc.CreateBucket("code", ""); err != nil {
		t.Fatal(err)
	}
	info, err := svc.PutObject("code", "fn.zip", "application/zip", bytes.NewReader([]byte("PK")))
	if err != nil || info.Size != 2 {
		t.Fatalf("PutObject = %+v, %v", info, err)
	}
	rc, got, err := svc.GetObject("code", "fn.zip")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "PK" || got.ETag != info.ETag {
		t.Errorf("GetObject = %q %+v", b, got)
	}
	// Visible through the wire protocol too.
	out, _ := get(t, client(c), &s3.GetObjectInput{Bucket: aws.String("code"), Key: aws.String("fn.zip")})
	if out != "PK" {
		t.Errorf("GetObject over HTTP = %q", out)
	}
}
