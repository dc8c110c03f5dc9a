package s3_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	locals3 "github.com/sparta-go/sparta/local/s3"
)

const publicRead = `{"Version":"2012-10-17","Statement":[{"Sid":"PublicReadGetObject","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/*"}]}`

// openBucket makes name a public website bucket the way AWS requires since
// April 2023: public access block off for policies, then the policy.
func openBucket(t testing.TB, cl *s3.Client, name, policy string) {
	t.Helper()
	mustCreate(t, cl, name)
	if _, err := cl.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(name),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true),
			BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false)}}); err != nil {
		t.Fatalf("PutPublicAccessBlock = %v", err)
	}
	if _, err := cl.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name),
		Policy: aws.String(strings.ReplaceAll(policy, "%s", name))}); err != nil {
		t.Fatalf("PutBucketPolicy = %v", err)
	}
}

func putTyped(t *testing.T, cl *s3.Client, bucket, key, ct, body string) {
	t.Helper()
	if _, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ContentType: aws.String(ct),
		Body: strings.NewReader(body)}); err != nil {
		t.Fatalf("PutObject(%s) = %v", key, err)
	}
}

// visit GETs a website URL anonymously without following redirects,
// setting Host to the website host (as a browser would for the host form).
func visit(t *testing.T, c *local.Cloud, host, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Endpoint()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		u, _ := url.Parse(c.Endpoint())
		req.Host = host + ":" + u.Port()
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestWebsiteEndpoint follows
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/IndexDocumentSupport.html,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/CustomErrorDocSupport.html and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html
func TestWebsiteEndpoint(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	openBucket(t, cl, "site", publicRead)
	putTyped(t, cl, "site", "index.html", "text/html", "<h1>home</h1>")
	putTyped(t, cl, "site", "docs/index.html", "text/html", "<h1>docs</h1>")
	putTyped(t, cl, "site", "error.html", "text/html", "<h1>oops</h1>")
	putTyped(t, cl, "site", "app.js", "text/javascript", "alert(1)")

	// Before a website configuration: NoSuchWebsiteConfiguration.
	resp, body := visit(t, c, "site.s3-website.localhost", "/")
	if resp.StatusCode != 404 || !strings.Contains(body, "Code: NoSuchWebsiteConfiguration") {
		t.Errorf("GET / without website = %d %q", resp.StatusCode, body)
	}
	if _, err := cl.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("site"), WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
		ErrorDocument: &types.ErrorDocument{Key: aws.String("error.html")},
		RoutingRules: []types.RoutingRule{{Condition: &types.Condition{KeyPrefixEquals: aws.String("old/")},
			Redirect: &types.Redirect{ReplaceKeyPrefixWith: aws.String("docs/"), HttpRedirectCode: aws.String("302")}}},
	}}); err != nil {
		t.Fatalf("PutBucketWebsite = %v", err)
	}
	got, err := cl.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("site")})
	if err != nil || *got.IndexDocument.Suffix != "index.html" || *got.ErrorDocument.Key != "error.html" || len(got.RoutingRules) != 1 {
		t.Errorf("GetBucketWebsite = %+v, %v", got, err)
	}

	for _, tc := range []struct {
		name, host, path string
		status           int
		body, ct, loc    string
	}{
		{"index", "site.s3-website.localhost", "/", 200, "<h1>home</h1>", "text/html", ""},
		{"regional host", "site.s3-website-us-east-1.localhost", "/", 200, "<h1>home</h1>", "text/html", ""},
		{"dotted regional host", "site.s3-website.us-east-1.localhost", "/", 200, "<h1>home</h1>", "text/html", ""},
		{"folder index", "site.s3-website.localhost", "/docs/", 200, "<h1>docs</h1>", "text/html", ""},
		{"folder without slash redirects", "site.s3-website.localhost", "/docs", 302, "", "", "/docs/"},
		{"object", "site.s3-website.localhost", "/app.js", 200, "alert(1)", "text/javascript", ""},
		// Only s3:GetObject is public: a missing key is 403, as on AWS,
		// served with the error document.
		{"missing key gets the error document", "site.s3-website.localhost", "/nope.html", 403, "<h1>oops</h1>", "text/html", ""},
		{"routing rule", "site.s3-website.localhost", "/old/page.html", 302, "", "", "http://site.s3-website.localhost"},
		{"path form", "", "/_website/site/docs/", 200, "<h1>docs</h1>", "text/html", ""},
		{"path form folder redirect", "", "/_website/site/docs", 302, "", "", "/_website/site/docs/"},
		{"no such bucket", "nobucket.s3-website.localhost", "/", 404, "Code: NoSuchBucket", "text/html; charset=utf-8", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := visit(t, c, tc.host, tc.path)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.body) {
				t.Errorf("GET %s %s = %d %q, want %d %q", tc.host, tc.path, resp.StatusCode, body, tc.status, tc.body)
			}
			if tc.ct != "" && resp.Header.Get("Content-Type") != tc.ct {
				t.Errorf("Content-Type = %q, want %q", resp.Header.Get("Content-Type"), tc.ct)
			}
			if tc.loc != "" && !strings.Contains(resp.Header.Get("Location"), tc.loc) {
				t.Errorf("Location = %q, want it to contain %q", resp.Header.Get("Location"), tc.loc)
			}
		})
	}
	if resp, _ := visit(t, c, "site.s3-website.localhost", "/old/page.html"); !strings.HasSuffix(resp.Header.Get("Location"), "/docs/page.html") {
		t.Errorf("routing rule Location = %q, want .../docs/page.html", resp.Header.Get("Location"))
	}

	// Granting s3:ListBucket turns the missing key into 404.
	listable := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"},` +
		`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::site"}]}`
	if _, err := cl.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("site"), Policy: aws.String(listable)}); err != nil {
		t.Fatal(err)
	}
	if resp, body := visit(t, c, "site.s3-website.localhost", "/nope.html"); resp.StatusCode != 404 || body != "<h1>oops</h1>" {
		t.Errorf("missing key with ListBucket = %d %q, want 404 and the error document", resp.StatusCode, body)
	}
	// Without the error document: S3's own HTML page.
	if _, err := cl.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("site"), Key: aws.String("error.html")}); err != nil {
		t.Fatal(err)
	}
	resp, body = visit(t, c, "site.s3-website.localhost", "/nope.html")
	if resp.StatusCode != 404 || !strings.Contains(body, "<li>Code: NoSuchKey</li>") ||
		!strings.Contains(body, "An Error Occurred While Attempting to Retrieve a Custom Error Document") {
		t.Errorf("missing key, missing error document = %d %q", resp.StatusCode, body)
	}

	// RestrictPublicBuckets shuts anonymous access out again.
	if _, err := cl.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("site"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{RestrictPublicBuckets: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	if resp, body := visit(t, c, "site.s3-website.localhost", "/"); resp.StatusCode != 403 || !strings.Contains(body, "Code: AccessDenied") {
		t.Errorf("GET / under RestrictPublicBuckets = %d %q, want 403 AccessDenied", resp.StatusCode, body)
	}
	// A website is read-only.
	req, _ := http.NewRequest(http.MethodPut, c.Endpoint()+"/_website/site/x", strings.NewReader("x"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 405 {
		t.Errorf("PUT on the website = %v, %v; want 405", resp, err)
	}
	if got := locals3.WebsiteURL(c.Endpoint(), "site"); !strings.HasPrefix(got, "http://site.s3-website.localhost:") {
		t.Errorf("WebsiteURL = %q", got)
	}
}

func TestWebsiteRedirectAll(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "old-site")
	if _, err := cl.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("old-site"), WebsiteConfiguration: &types.WebsiteConfiguration{
		RedirectAllRequestsTo: &types.RedirectAllRequestsTo{HostName: aws.String("example.com"), Protocol: types.ProtocolHttps}}}); err != nil {
		t.Fatal(err)
	}
	resp, _ := visit(t, c, "old-site.s3-website.localhost", "/a/b.html")
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "https://example.com/a/b.html" {
		t.Errorf("redirect-all = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// PutBucketWebsite's own checks.
	_, err := cl.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("old-site"), WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("a/index.html")}}})
	wantCode(t, "PutBucketWebsite(suffix with slash)", err, "InvalidArgument")
	_, err = cl.DeleteBucketWebsite(ctx, &s3.DeleteBucketWebsiteInput{Bucket: aws.String("old-site")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("old-site")})
	wantCode(t, "GetBucketWebsite(deleted)", err, "NoSuchWebsiteConfiguration")
}
