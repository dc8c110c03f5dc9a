package service

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// S3Bucket declares an AWS::S3::Bucket of the service, so that functions
// can be notified of its events (an S3Permission whose SourceArn is the
// bucket's ARN()) and granted access to its objects (Allow). Add it to the
// template with cfn.S3BucketDecorator. The zero value of each optional
// field is AWS's default: a private bucket, unversioned.
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html
type S3Bucket struct {
	// LogicalID names the resource: letters and digits only.
	LogicalID string
	// BucketName is the physical name. Empty gives a name derived from the
	// service, LogicalID, account and region: a bucket that notifies a
	// function of the same stack needs a name known before it exists, to
	// scope the function's permission without a circular dependency.
	BucketName string
	// Versioned enables versioning.
	Versioned bool
}

// NewS3Bucket declares a private bucket.
func NewS3Bucket(logicalID string) *S3Bucket { return &S3Bucket{LogicalID: logicalID} }

// ARN is the bucket's ARN as an intrinsic ({"Fn::GetAtt": [LogicalID,
// "Arn"]}), for an S3Permission's SourceArn.
func (b *S3Bucket) ARN() string { return getAtt(b.LogicalID, "Arn") }

// Bucket object actions for [S3Bucket.Allow].
var (
	// BucketReadActions read objects.
	BucketReadActions = []string{"s3:GetObject"}
	// BucketWriteActions write and delete objects.
	BucketWriteActions = []string{"s3:PutObject", "s3:DeleteObject"}
)

// Allow grants fn exactly actions ("s3:..." names, no wildcard) on the
// bucket's objects (arn:aws:s3:::bucket/*), and s3:ListBucket on the
// bucket itself when asked for.
func (b *S3Bucket) Allow(fn *LambdaAWSInfo, actions ...string) error {
	if fn == nil {
		return fmt.Errorf("bucket %q: Allow needs a function", b.LogicalID)
	}
	if fn.Role.ExistingRole != "" {
		return fmt.Errorf("bucket %q: function %q runs as the existing role %s; grant the bucket there", b.LogicalID, fn.Name, fn.Role.ExistingRole)
	}
	var objects, bucket []string
	for _, a := range actions {
		switch {
		case !strings.HasPrefix(a, "s3:") || strings.Contains(a, "*"):
			return fmt.Errorf("bucket %q: action %q is not an exact s3: action", b.LogicalID, a)
		case a == "s3:ListBucket" || a == "s3:ListBucketVersions" || strings.HasPrefix(a, "s3:GetBucket"):
			bucket = append(bucket, a)
		default:
			objects = append(objects, a)
		}
	}
	if len(objects) > 0 {
		fn.Role.Privileges = append(fn.Role.Privileges, IAMRolePrivilege{Actions: objects, Resource: join(b.ARN(), "/*")})
	}
	if len(bucket) > 0 {
		fn.Role.Privileges = append(fn.Role.Privileges, IAMRolePrivilege{Actions: bucket, Resource: b.ARN()})
	}
	return nil
}

var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// Validate reports every problem of the declaration, each naming the bucket.
func (b *S3Bucket) Validate() error {
	var errs []error
	if !logicalIDPattern.MatchString(b.LogicalID) {
		errs = append(errs, fmt.Errorf("bucket %q: LogicalID must be 1 to 255 letters and digits", b.LogicalID))
	}
	if b.BucketName != "" && (!bucketNamePattern.MatchString(b.BucketName) || strings.Contains(b.BucketName, "..")) {
		errs = append(errs, fmt.Errorf("bucket %q: BucketName %q must be 3 to 63 lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)", b.LogicalID, b.BucketName))
	}
	return errors.Join(errs...)
}

// isEncodedIntrinsic reports whether s is an intrinsic as package cfn
// encodes it in a string (base64 of a JSON object with one Ref or Fn::
// key), which a name field may hold instead of a literal.
func isEncodedIntrinsic(s string) bool {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) == 0 || raw[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}
