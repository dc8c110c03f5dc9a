// Package artifacts keeps a service's deployable files in S3: it checks or
// creates the artifacts bucket, uploads code zips only when their
// content-addressed key is absent, and stores templates too large to send
// inline. The same code serves AWS and the local cloud.
package artifacts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Store is a service's artifacts bucket.
type Store struct {
	Client *s3.Client
	Bucket string
	Region string
	// Warn receives advice that does not stop the deployment.
	Warn func(string)
}

// DefaultBucket is the bucket used when the user names none: one per
// account and region, as the template's Fn::Sub spells it.
func DefaultBucket(account, region string) string {
	return fmt.Sprintf("sparta-artifacts-%s-%s", account, region)
}

// UseExisting checks a bucket the user named: it must exist and be in the
// deployment's region (CloudFormation reads code only from its own region).
// A bucket without versioning is only a warning.
func (s *Store) UseExisting(ctx context.Context) error {
	if _, err := s.Client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.Bucket)}); err != nil {
		if notFound(err) {
			return fmt.Errorf("--s3Bucket %s does not exist: create it, or leave --s3Bucket out to use %s", s.Bucket, "sparta-artifacts-<account>-<region>")
		}
		return fmt.Errorf("--s3Bucket %s: %w", s.Bucket, err)
	}
	loc, err := s.Client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(s.Bucket)})
	if err != nil {
		return fmt.Errorf("--s3Bucket %s: reading its region: %w", s.Bucket, err)
	}
	region := string(loc.LocationConstraint)
	if region == "" {
		region = "us-east-1" // S3 reports us-east-1 as no constraint
	}
	if region != s.Region {
		return fmt.Errorf("--s3Bucket %s is in %s, but the stack deploys to %s: CloudFormation reads code only from a bucket in its own region", s.Bucket, region, s.Region)
	}
	v, err := s.Client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(s.Bucket)})
	if err == nil && v.Status != types.BucketVersioningStatusEnabled && s.Warn != nil {
		s.Warn(fmt.Sprintf("bucket %s has versioning off: an overwritten or deleted artifact cannot be recovered", s.Bucket))
	}
	return nil
}

// EnsureDefault creates the default bucket when it is missing, with public
// access blocked and default encryption, and reuses it otherwise.
func (s *Store) EnsureDefault(ctx context.Context) (created bool, err error) {
	_, err = s.Client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.Bucket)})
	if err == nil {
		return false, nil
	}
	if !notFound(err) {
		return false, fmt.Errorf("artifacts bucket %s: %w", s.Bucket, err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(s.Bucket)}
	if s.Region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(s.Region)}
	}
	if _, err := s.Client.CreateBucket(ctx, in); err != nil {
		return false, fmt.Errorf("creating artifacts bucket %s: %w", s.Bucket, err)
	}
	if _, err := s.Client.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{
		Bucket: aws.String(s.Bucket),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true),
		},
	}); err != nil {
		return true, fmt.Errorf("blocking public access to %s: %w", s.Bucket, err)
	}
	if _, err := s.Client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: aws.String(s.Bucket),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256},
		}}},
	}); err != nil {
		return true, fmt.Errorf("turning on default encryption for %s: %w", s.Bucket, err)
	}
	return true, nil
}

// UploadIfAbsent uploads the file at path under key unless the key exists:
// keys carry the content's SHA-256, so an existing key holds these bytes.
func (s *Store) UploadIfAbsent(ctx context.Context, key, path string) (uploaded bool, err error) {
	if _, err := s.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)}); err == nil {
		return false, nil
	} else if !notFound(err) {
		return false, fmt.Errorf("checking s3://%s/%s: %w", s.Bucket, key, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if err := s.put(ctx, key, f); err != nil {
		return false, err
	}
	return true, nil
}

// PutTemplate stores a template under a key carrying its digest and returns
// the URL CloudFormation reads it from.
func (s *Store) PutTemplate(ctx context.Context, service string, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	key := fmt.Sprintf("sparta/%s/templates/%s.json", service, hex.EncodeToString(sum[:]))
	if _, err := s.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)}); err != nil {
		if !notFound(err) {
			return "", fmt.Errorf("checking s3://%s/%s: %w", s.Bucket, key, err)
		}
		if err := s.put(ctx, key, bytes.NewReader(body)); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", s.Bucket, s.Region, key), nil
}

// Purge deletes every object under the service's prefix.
func (s *Store) Purge(ctx context.Context, service string) (int, error) {
	prefix := "sparta/" + service + "/"
	n := 0
	p := s3.NewListObjectsV2Paginator(s.Client, &s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if notFound(err) {
				return n, nil
			}
			return n, fmt.Errorf("listing s3://%s/%s: %w", s.Bucket, prefix, err)
		}
		for _, o := range page.Contents {
			if _, err := s.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.Bucket), Key: o.Key}); err != nil {
				return n, fmt.Errorf("deleting s3://%s/%s: %w", s.Bucket, aws.ToString(o.Key), err)
			}
			n++
		}
	}
	return n, nil
}

// put uploads through the SDK's manager, which switches to multipart for
// large artifacts.
func (s *Store) put(ctx context.Context, key string, body io.Reader) error {
	_, err := manager.NewUploader(s.Client).Upload(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.Bucket), Key: aws.String(key), Body: body,
	})
	if err != nil {
		return fmt.Errorf("uploading s3://%s/%s: %w", s.Bucket, key, err)
	}
	return nil
}

func notFound(err error) bool {
	var nf *types.NotFound
	var nsb *types.NoSuchBucket
	var nsk *types.NoSuchKey
	if errors.As(err, &nf) || errors.As(err, &nsb) || errors.As(err, &nsk) {
		return true
	}
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "NotFound" || ae.ErrorCode() == "NoSuchBucket" || ae.ErrorCode() == "NoSuchKey" || ae.ErrorCode() == "404")
}
