//go:build !lambdabinary

package site_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/internal/site"
	"github.com/sparta-go/sparta/local/localtest"
)

func TestContentType(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"index.html", "text/html; charset=utf-8"},
		{"a/b/app.JS", "text/javascript; charset=utf-8"},
		{"logo.svg", "image/svg+xml"},
		{"font.woff2", "font/woff2"},
		{"data.bin", "application/octet-stream"},
		{"README", "application/octet-stream"},
	} {
		if got := site.ContentType(tc.key); got != tc.want {
			t.Errorf("ContentType(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

func TestSyncAndEmpty(t *testing.T) {
	ctx := context.Background()
	c := localtest.Start(t)
	cl := s3.NewFromConfig(localtest.Config(c), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("www")}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", "1")
	write("img/a.png", "png")
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	res, err := site.Sync(ctx, cl, "www", dir, []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(site.Result{Uploaded: []string{"img/a.png", "index.html", site.ManifestKey}}, res); diff != "" {
		t.Errorf("first Sync (-want +got):\n%s", diff)
	}
	write("index.html", "2")
	_ = os.Remove(filepath.Join(dir, "img/a.png"))
	res, err = site.Sync(ctx, cl, "www", dir, []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(site.Result{Uploaded: []string{"index.html"}, Deleted: []string{"img/a.png"}, Unchanged: 1}, res); diff != "" {
		t.Errorf("second Sync (-want +got):\n%s", diff)
	}
	head, err := cl.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("www"), Key: aws.String("index.html")})
	if err != nil || aws.ToString(head.ContentType) != "text/html; charset=utf-8" {
		t.Errorf("HeadObject(index.html) = %v, %v", head, err)
	}
	n, err := site.Empty(ctx, cl, "www")
	if err != nil || n != 2 {
		t.Errorf("Empty = %d, %v; want 2", n, err)
	}
	if n, err := site.Empty(ctx, cl, "no-such-bucket"); err != nil || n != 0 {
		t.Errorf("Empty(missing bucket) = %d, %v", n, err)
	}
}
