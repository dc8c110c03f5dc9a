package s3_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
)

// TestBucketPolicy follows
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestBucketPolicy(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "pol")
	put(t, cl, "pol", "hello.txt", "hi")
	policy := strings.ReplaceAll(publicRead, "%s", "pol")

	// A new bucket blocks public policies, with S3's message.
	_, err := cl.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol"), Policy: aws.String(policy)})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" ||
		!strings.Contains(apiErr.ErrorMessage(), "because public policies are blocked by the BlockPublicPolicy block public access setting") {
		t.Errorf("PutBucketPolicy(public, blocked) = %v, want AccessDenied naming BlockPublicPolicy", err)
	}
	// A policy naming the account is not public and passes.
	private := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::pol/*"}]}`
	if _, err := cl.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol"), Policy: aws.String(private)}); err != nil {
		t.Errorf("PutBucketPolicy(account principal) = %v", err)
	}
	st, err := cl.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("pol")})
	if err != nil || *st.PolicyStatus.IsPublic {
		t.Errorf("GetBucketPolicyStatus(private) = %+v, %v", st, err)
	}
	for _, tc := range []struct{ name, doc, code string }{
		{"not JSON", "nope", "MalformedPolicy"},
		{"no principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::pol/*"}]}`, "MalformedPolicy"},
		{"other bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`, "MalformedPolicy"},
	} {
		_, err := cl.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol"), Policy: aws.String(tc.doc)})
		wantCode(t, "PutBucketPolicy("+tc.name+")", err, tc.code)
	}

	// Unsigned GET: refused without a public policy.
	anon := func() (int, string) {
		resp, err := http.Get(c.Endpoint() + "/pol/hello.txt")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := anon(); code != http.StatusForbidden {
		t.Errorf("anonymous GET without a public policy = %d, want 403", code)
	}
	// Public access block relaxed, public policy: the object is public.
	if _, err := cl.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("pol"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol"), Policy: aws.String(policy)}); err != nil {
		t.Fatalf("PutBucketPolicy(public, allowed) = %v", err)
	}
	if code, body := anon(); code != 200 || body != "hi" {
		t.Errorf("anonymous GET with a public policy = %d %q, want 200 hi", code, body)
	}
	if st, _ := cl.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("pol")}); !*st.PolicyStatus.IsPublic {
		t.Error("GetBucketPolicyStatus(public) = not public")
	}
	// Anonymous writes stay refused: the policy grants only reads.
	req, _ := http.NewRequest(http.MethodPut, c.Endpoint()+"/pol/evil.txt", strings.NewReader("x"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous PUT = %v, %v; want 403", resp, err)
	}
	got, err := cl.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("pol")})
	if err != nil || !strings.Contains(*got.Policy, "PublicReadGetObject") {
		t.Errorf("GetBucketPolicy = %v, %v", got, err)
	}
	// The AWS CLI reads it anonymously too.
	if out := localtest.CLI(t, c, "s3api", "get-object", "--no-sign-request", "--bucket", "pol", "--key", "hello.txt", t.TempDir()+"/out"); !strings.Contains(out, "ContentLength") {
		t.Errorf("aws s3api get-object --no-sign-request = %s", out)
	}
	if _, err := cl.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("pol")}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("pol")})
	wantCode(t, "GetBucketPolicy(deleted)", err, "NoSuchBucketPolicy")
	if code, _ := anon(); code != http.StatusForbidden {
		t.Errorf("anonymous GET after DeleteBucketPolicy = %d, want 403", code)
	}
}

// TestACLsRefused: new buckets have Object Ownership BucketOwnerEnforced
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
func TestACLsRefused(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	_, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("acl"), ACL: types.BucketCannedACLPublicRead})
	wantCode(t, "CreateBucket(public-read)", err, "InvalidBucketAclWithObjectOwnership")
	if _, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("acl"), ACL: types.BucketCannedACLPrivate}); err != nil {
		t.Fatalf("CreateBucket(private) = %v", err)
	}
	_, err = cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acl"), Key: aws.String("k"), Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead})
	wantCode(t, "PutObject(public-read)", err, "AccessControlListNotSupported")
	if _, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acl"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Errorf("PutObject(bucket-owner-full-control) = %v", err)
	}
	oc, err := cl.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("acl")})
	if err != nil || oc.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Errorf("GetBucketOwnershipControls = %+v, %v", oc, err)
	}
}

// TestCORS follows https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// on the website endpoint, where S3 (not the cloud's guard) answers.
func TestCORS(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	openBucket(t, cl, "corsy", publicRead)
	putTyped(t, cl, "corsy", "index.html", "text/html", "hi")
	if _, err := cl.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("corsy"), WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}}}); err != nil {
		t.Fatal(err)
	}
	preflight := func() *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, c.Endpoint()+"/_website/corsy/", nil)
		req.Header.Set("Origin", c.Endpoint())
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "X-Custom")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := preflight(); resp.StatusCode != http.StatusForbidden {
		t.Errorf("preflight without CORS = %d, want 403", resp.StatusCode)
	}
	if _, err := cl.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("corsy"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"http://127.0.0.1:*"}, AllowedHeaders: []string{"x-*"},
			ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(60)}}}}); err != nil {
		t.Fatalf("PutBucketCors = %v", err)
	}
	resp := preflight()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != c.Endpoint() ||
		resp.Header.Get("Access-Control-Allow-Methods") != "GET" || resp.Header.Get("Access-Control-Max-Age") != "60" {
		t.Errorf("preflight = %d %v", resp.StatusCode, resp.Header)
	}
	got, err := cl.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("corsy")})
	if err != nil || len(got.CORSRules) != 1 {
		t.Errorf("GetBucketCors = %+v, %v", got, err)
	}
	if _, err := cl.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("corsy")}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("corsy")})
	wantCode(t, "GetBucketCors(deleted)", err, "NoSuchCORSConfiguration")
}

// TestBucketPolicyForSignedRequests: within one account a request is
// allowed when the caller's identity policies or the bucket policy allow
// it, and refused when either denies it explicitly.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
func TestBucketPolicyForSignedRequests(t *testing.T) {
	reader, _ := local.ParseCredential("AKIDREADER:readersecret:arn:aws:iam::000000000000:role/reader")
	writer, _ := local.ParseCredential("AKIDWRITER:writersecret:arn:aws:iam::000000000000:role/writer")
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{reader, writer}})
	svc, _ := c.Service("iam")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	for name, policy := range map[string]string{
		"reader": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}`,
		"writer": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`,
	} {
		if _, err := svc.(*iam.Service).CreateRole(iam.RoleInput{RoleName: name, AssumeRolePolicyDocument: trust, Policies: map[string]any{"p": policy}}); err != nil {
			t.Fatal(err)
		}
	}
	root := client(c)
	mustCreate(t, root, "shared")
	put(t, root, "shared", "doc.txt", "shared doc")
	as := func(akid, secret string) *s3.Client {
		cfg := localtest.Config(c)
		cfg.Credentials = credentials.NewStaticCredentialsProvider(akid, secret, "")
		return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	}
	rd, wr := as("AKIDREADER", "readersecret"), as("AKIDWRITER", "writersecret")
	getDoc := func(cl *s3.Client) error {
		_, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("doc.txt")})
		return err
	}
	wantCode(t, "GetObject(reader, no grant)", getDoc(rd), "AccessDenied")
	policy := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"},` +
		`{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::shared/locked/*"}]}`
	if _, err := root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("shared"), Policy: aws.String(policy)}); err != nil {
		t.Fatalf("PutBucketPolicy = %v", err)
	}
	if err := getDoc(rd); err != nil {
		t.Errorf("GetObject(reader, granted by the bucket policy) = %v", err)
	}
	wantCode(t, "GetObject(writer, granted to the reader only)", getDoc(wr), "AccessDenied")
	if _, err := wr.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String("open/x"), Body: strings.NewReader("x")}); err != nil {
		t.Errorf("PutObject(writer, identity allows) = %v", err)
	}
	_, err := wr.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String("locked/x"), Body: strings.NewReader("x")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" || !strings.Contains(apiErr.ErrorMessage(), "explicit deny in a resource-based policy") {
		t.Errorf("PutObject(writer, bucket policy denies) = %v", err)
	}
}
