//go:build !lambdabinary

package sparta

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cfnlint"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestS3SiteLifecycleOnTheLocalCloud provisions a site-only service on the
// local cloud, visits its website endpoint, re-provisions after the folder
// changed (one file changed, one removed, one unchanged), and deletes the
// stack, which empties the bucket first so that nothing is left.
func TestS3SiteLifecycleOnTheLocalCloud(t *testing.T) {
	ctx := context.Background()
	work := t.TempDir()
	folder := filepath.Join(t.TempDir(), "www")
	writeFiles(t, folder, map[string]string{
		"index.html": "<h1>v1</h1>", "error.html": "<h1>lost</h1>", "css/site.css": "body{}", "old.txt": "bye",
	})
	site, _ := NewS3Site(folder)
	site.UserManifestData["build"] = "v1"
	svc := &serviceDefinition{name: "SiteDemo", description: "a site", site: site}
	log := logrus.New()
	log.SetOutput(io.Discard)

	// Validation names a missing folder before anything else.
	missing, _ := NewS3Site(filepath.Join(folder, "nope"))
	if _, err := provision(ctx, &serviceDefinition{name: "SiteDemo", site: missing}, provisionFlags{local: true, workDir: work}, log); err == nil ||
		!strings.Contains(err.Error(), "S3 site: the resources folder") || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("provision(missing folder) = %v", err)
	}

	// --noop writes the template and uploads nothing.
	res, err := provision(ctx, svc, provisionFlags{noop: true, workDir: work}, log)
	if err != nil {
		t.Fatalf("provision --noop = %v", err)
	}
	for _, want := range []string{`"AWS::S3::BucketPolicy"`, `"WebsiteConfiguration"`, `"BlockPublicPolicy": false`, `"S3SiteURL"`} {
		if !strings.Contains(string(res.Template), want) {
			t.Errorf("template lacks %s", want)
		}
	}
	if strings.Contains(string(res.Template), "AccessControl") {
		t.Error("the site's template uses an ACL; buckets refuse them since April 2023")
	}
	cfnlint.Check(t, res.TemplatePath)

	res, err = provision(ctx, svc, provisionFlags{local: true, workDir: work}, log)
	if err != nil {
		t.Fatalf("provision --local = %v", err)
	}
	siteURL := res.Deploy.Outputs[cfn.OutputS3SiteURL]
	bucket := res.Deploy.Outputs[cfn.OutputS3SiteBucket]
	if !strings.Contains(siteURL, ".s3-website.localhost:") || bucket == "" {
		t.Fatalf("outputs = %v", res.Deploy.Outputs)
	}

	tgt, err := openTarget(ctx, true, work, logrus.NewEntry(log))
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	visit := func(path string) (int, string, string) {
		t.Helper()
		u, _ := url.Parse(siteURL)
		// The website host, reached through the cloud's loopback address
		// (as a browser resolving *.localhost does).
		req, _ := http.NewRequest(http.MethodGet, tgt.endpoint+path, nil)
		req.Host = u.Host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	if code, ct, body := visit("/"); code != 200 || body != "<h1>v1</h1>" || ct != "text/html; charset=utf-8" {
		t.Errorf("GET / = %d %q %q", code, ct, body)
	}
	if code, ct, _ := visit("/css/site.css"); code != 200 || ct != "text/css; charset=utf-8" {
		t.Errorf("GET /css/site.css = %d %q", code, ct)
	}
	// Only GetObject is public (the bucket cannot be listed): a missing
	// page is 403, with the error document, as on AWS.
	if code, _, body := visit("/missing.html"); code != 403 || body != "<h1>lost</h1>" {
		t.Errorf("GET /missing.html = %d %q, want 403 and the error document", code, body)
	}
	var manifest map[string]any
	_, _, mb := visit("/MANIFEST.json")
	if err := json.Unmarshal([]byte(mb), &manifest); err != nil || manifest["userdata"].(map[string]any)["build"] != "v1" || manifest[cfn.OutputS3SiteURL] == nil {
		t.Errorf("MANIFEST.json = %s (%v)", mb, err)
	}

	// Re-provision after a change: one upload, one delete, the rest kept.
	writeFiles(t, folder, map[string]string{"index.html": "<h1>v2</h1>"})
	if err := os.Remove(filepath.Join(folder, "old.txt")); err != nil {
		t.Fatal(err)
	}
	tgt.Close()
	if _, err := provision(ctx, svc, provisionFlags{local: true, workDir: work}, log); err != nil {
		t.Fatalf("provision --local again = %v", err)
	}
	tgt, err = openTarget(ctx, true, work, logrus.NewEntry(log))
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	if code, _, body := visit("/"); code != 200 || body != "<h1>v2</h1>" {
		t.Errorf("GET / after re-provision = %d %q", code, body)
	}
	list, err := tgt.s3Client().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, *o.Key)
	}
	if strings.Join(keys, ",") != "MANIFEST.json,css/site.css,error.html,index.html" {
		t.Errorf("bucket keys after re-provision = %v", keys)
	}
	tgt.Close()

	// Removing the site from the service removes its bucket at the next
	// provision (emptied first, as S3 refuses to delete a full bucket).
	noSite := &serviceDefinition{name: "SiteDemo", description: "a site",
		hooks: &WorkflowHooks{ServiceDecorators: []ServiceDecoratorHookHandler{cfn.S3BucketDecorator(NewS3Bucket("Other"))}}}
	if _, err := provision(ctx, noSite, provisionFlags{local: true, workDir: work}, log); err != nil {
		t.Fatalf("provision without the site = %v", err)
	}
	tgt, err = openTarget(ctx, true, work, logrus.NewEntry(log))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tgt.s3Client().HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err == nil {
		t.Errorf("bucket %s outlived the site's removal", bucket)
	}
	tgt.Close()
	if _, err := provision(ctx, svc, provisionFlags{local: true, workDir: work}, log); err != nil {
		t.Fatalf("provision with the site again = %v", err)
	}
	res, err = provision(ctx, svc, provisionFlags{local: true, workDir: work}, log)
	if err != nil {
		t.Fatal(err)
	}
	bucket = res.Deploy.Outputs[cfn.OutputS3SiteBucket]

	// delete empties the bucket, then deletes the stack with it.
	cl := newCommandLine()
	cl.workDir, cl.local = work, true
	cl.level = "error"
	del := newDeleteCommand(svc, cl)
	del.SetContext(ctx)
	if err := del.RunE(del, nil); err != nil {
		t.Fatalf("delete = %v", err)
	}
	tgt, err = openTarget(ctx, true, work, logrus.NewEntry(log))
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	if _, err := tgt.s3Client().HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err == nil {
		t.Errorf("bucket %s outlived the stack", bucket)
	}
}
