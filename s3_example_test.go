//go:build !lambdabinary

package sparta_test

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/events"

	sparta "github.com/sparta-go/sparta"
)

// A static site is a folder; provision uploads it to a public website
// bucket after the stack is deployed, and its URL is the stack output
// S3SiteURL.
func ExampleNewS3Site() {
	dir, _ := os.MkdirTemp("", "www")
	defer os.RemoveAll(dir)
	site, _ := sparta.NewS3Site(dir)
	notFound := "404.html"
	site.WebsiteConfiguration = &sparta.S3WebsiteConfiguration{ErrorDocument: &sparta.S3ErrorDocument{Key: &notFound}}
	site.UserManifestData["release"] = "2026.12"
	fmt.Println(site.CloudFormationS3ResourceName(), site.IndexDocument(), site.ErrorDocument(), sparta.OutputS3SiteURL)
	fmt.Println(site.Validate())
	// Output:
	// S3Site index.html 404.html S3SiteURL
	// <nil>
}

func onUpload(_ context.Context, e events.S3Event) error {
	for _, r := range e.Records {
		fmt.Println(r.EventName, r.S3.Object.URLDecodedKey)
	}
	return nil
}

// A bucket declared in the service notifies a function of its events;
// cfn.S3BucketDecorator adds it to the template.
func ExampleNewS3Bucket() {
	uploads := sparta.NewS3Bucket("Uploads")
	fn, _ := sparta.NewAWSLambda("onUpload", onUpload, sparta.IAMRoleDefinition{})
	fn.Permissions = append(fn.Permissions, sparta.S3Permission{
		BasePermission: sparta.BasePermission{SourceArn: uploads.ARN()},
		Events:         []string{"s3:ObjectCreated:*"},
	})
	if err := uploads.Allow(fn, "s3:GetObject"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(uploads.Validate(), fn.Role.Privileges[0].Actions)
	// Output: <nil> [s3:GetObject]
}
