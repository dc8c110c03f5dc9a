//go:build !lambdabinary

package cfn

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/s3"

	"github.com/sparta-go/sparta/service"
)

// S3BucketDecorator returns the decorator that adds the service's buckets
// to its template, with stack outputs of their names and ARNs. Functions
// whose S3Permission names a bucket's ARN() get its notification (see
// package cfn/eventsource). It validates every declaration first and adds
// nothing when one is invalid.
func S3BucketDecorator(buckets ...*service.S3Bucket) service.ServiceDecoratorHookHandler {
	return service.NamedDecorator("buckets", bucketDecorator{buckets})
}

type bucketDecorator struct{ buckets []*service.S3Bucket }

var _ service.ServiceDecoratorHookHandler = bucketDecorator{}

// Validate checks every declaration, before anything is built.
func (d bucketDecorator) Validate() error {
	var errs []error
	for _, b := range d.buckets {
		if b == nil {
			errs = append(errs, errors.New("a bucket is nil"))
			continue
		}
		errs = append(errs, b.Validate())
	}
	return errors.Join(errs...)
}

// S3Buckets lists the declared buckets, for the validation of the
// functions' S3Permissions.
func (d bucketDecorator) S3Buckets() []*service.S3Bucket { return d.buckets }

// DecorateService adds the buckets.
func (d bucketDecorator) DecorateService(_ context.Context, sc *service.ServiceContext) error {
	if err := d.Validate(); err != nil {
		return err
	}
	for _, b := range d.buckets {
		if _, dup := sc.Template.Resources[b.LogicalID]; dup {
			return fmt.Errorf("bucket %q: logical ID %q is already in the template; give the bucket another LogicalID", b.LogicalID, b.LogicalID)
		}
		sc.Template.Resources[b.LogicalID] = S3BucketResource(sc.Service, b)
		sc.Template.Outputs[b.LogicalID+"Name"] = cloudformation.Output{Value: Ref(b.LogicalID)}
		sc.Template.Outputs[b.LogicalID+"Arn"] = cloudformation.Output{Value: GetAtt(b.LogicalID, "Arn")}
	}
	return nil
}

// S3BucketResource is the AWS::S3::Bucket of a declaration: private (the
// public access block S3 gives new buckets), its DeletionPolicy Delete.
func S3BucketResource(serviceName string, b *service.S3Bucket) *s3.Bucket {
	name := b.BucketName
	if name == "" {
		name = DerivedBucketName(serviceName, b.LogicalID)
	}
	res := &s3.Bucket{BucketName: cloudformation.String(name)}
	if b.Versioned {
		res.VersioningConfiguration = &s3.Bucket_VersioningConfiguration{Status: "Enabled"}
	}
	return res
}

// DerivedBucketName names a bucket that needs a name before it exists
// (its own notifications are scoped to it): the service and logical ID in
// lower case, then the account and region, cut to S3's 63 characters, as
// an Fn::Sub. Account and region make it unique across AWS, as bucket
// names must be.
func DerivedBucketName(serviceName, logicalID string) string {
	const suffix = "-${AWS::AccountId}-${AWS::Region}"
	// 12 digits of account, 2 hyphens and up to 14 characters of region.
	budget := 63 - 28
	clean := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	base := strings.Trim(clean(serviceName)+"-"+clean(logicalID), "-")
	if len(base) > budget {
		base = strings.TrimRight(base[:budget], "-")
	}
	if base == "" {
		base = "bucket"
	}
	return Sub(base + suffix)
}
