package s3_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/sparta-go/sparta/local/localtest"
)

// BenchmarkWebsiteGet serves a site's index page to an anonymous visitor
// through the cloud's router (guard, Public, bucket policy, index
// document), over loopback HTTP.
func BenchmarkWebsiteGet(b *testing.B) {
	c := localtest.Start(b)
	cl := client(c)
	openBucket(b, cl, "bench", publicRead)
	if _, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String("index.html"),
		ContentType: aws.String("text/html"), Body: strings.NewReader("<h1>bench</h1>")}); err != nil {
		b.Fatal(err)
	}
	if _, err := cl.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("bench"), WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}}}); err != nil {
		b.Fatal(err)
	}
	url := c.Endpoint() + "/_website/bench/"
	b.ResetTimer()
	for b.Loop() {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
