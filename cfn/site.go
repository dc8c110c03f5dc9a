//go:build !lambdabinary

package cfn

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/s3"

	"github.com/sparta-go/sparta/service"
)

// Stack outputs of a site.
const (
	// OutputS3SiteURL is the site's website URL (Sparta's output name).
	OutputS3SiteURL = "S3SiteURL"
	// OutputS3SiteBucket is the site's bucket name, which provision uploads
	// to and delete empties.
	OutputS3SiteBucket = "S3SiteBucket"
)

// AddS3Site adds a static site's bucket to the template: an
// AWS::S3::Bucket with its WebsiteConfiguration and the public access block
// that lets a public bucket policy in (ACLs stay blocked: no ACL is used,
// the bucket is BucketOwnerEnforced as every new bucket), the
// AWS::S3::BucketPolicy that lets everyone s3:GetObject, and the outputs
// S3SiteURL and S3SiteBucket. The files are uploaded after the stack is
// deployed, by provision.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/HostingWebsiteOnS3Setup.html
func AddS3Site(t *cloudformation.Template, site *service.S3Site) error {
	id := site.CloudFormationS3ResourceName()
	if _, dup := t.Resources[id]; dup {
		return fmt.Errorf("S3 site: logical ID %q is already in the template", id)
	}
	bucket := &s3.Bucket{
		WebsiteConfiguration: &s3.Bucket_WebsiteConfiguration{
			IndexDocument: cloudformation.String(site.IndexDocument()),
			ErrorDocument: cloudformation.String(site.ErrorDocument()),
		},
		PublicAccessBlockConfiguration: &s3.Bucket_PublicAccessBlockConfiguration{
			BlockPublicAcls:       cloudformation.Bool(true),
			IgnorePublicAcls:      cloudformation.Bool(true),
			BlockPublicPolicy:     cloudformation.Bool(false),
			RestrictPublicBuckets: cloudformation.Bool(false),
		},
		OwnershipControls: &s3.Bucket_OwnershipControls{Rules: []s3.Bucket_OwnershipControlsRule{{ObjectOwnership: cloudformation.String("BucketOwnerEnforced")}}},
		// The bucket is emptied by `delete` before the stack goes, so
		// that deleting it succeeds and nothing is left behind.
		AWSCloudFormationDeletionPolicy: policies.DeletionPolicy("Delete"),
	}
	if site.BucketName != "" {
		bucket.BucketName = cloudformation.String(site.BucketName)
	}
	t.Resources[id] = bucket
	t.Resources[id+"BucketPolicy"] = &s3.BucketPolicy{
		Bucket: Ref(id),
		PolicyDocument: map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Sid":       "PublicReadGetObject",
				"Effect":    "Allow",
				"Principal": "*",
				"Action":    "s3:GetObject",
				"Resource":  Join("", GetAtt(id, "Arn"), "/*"),
			}},
		},
	}
	t.Outputs[OutputS3SiteURL] = cloudformation.Output{Description: cloudformation.String("S3 Website URL"), Value: GetAtt(id, "WebsiteURL")}
	t.Outputs[OutputS3SiteBucket] = cloudformation.Output{Description: cloudformation.String("S3 site bucket"), Value: Ref(id)}
	return nil
}
