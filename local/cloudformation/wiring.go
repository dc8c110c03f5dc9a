package cloudformation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/s3"
)

// providerServices are the signing names of the local cloud's services
// that may own resource types.
// S3Templates reads TemplateURL objects from the local cloud's S3.
type S3Templates struct{ Env *core.Env }

// Fetch reads the object a TemplateURL names. URLs are S3's path-style
// (https://s3.amazonaws.com/bucket/key, or the local endpoint followed by
// /bucket/key) or virtual-hosted (https://bucket.s3.amazonaws.com/key).
func (f S3Templates) Fetch(_ context.Context, rawURL string) ([]byte, error) {
	bucket, key, err := SplitTemplateURL(rawURL)
	if err != nil {
		return nil, err
	}
	svc, ok := f.Env.Lookup("s3")
	s, isS3 := svc.(*s3.Service)
	if !ok || !isS3 {
		return nil, errors.New("the local cloud runs no S3 service to read templates from")
	}
	rc, _, err := s.GetObject(bucket, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, maxTemplateURL+1))
}

// SplitTemplateURL returns the bucket and key of an S3 object URL.
func SplitTemplateURL(rawURL string) (bucket, key string, err error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", "", fmt.Errorf("%q is not an http(s) URL of an S3 object", rawURL)
	}
	host := u.Hostname()
	path := strings.TrimPrefix(u.Path, "/")
	if i := strings.Index(host, ".s3"); i > 0 && strings.HasSuffix(host, ".amazonaws.com") {
		bucket, key = host[:i], path
	} else {
		bucket, key, _ = strings.Cut(path, "/")
	}
	if bucket == "" || key == "" {
		return "", "", fmt.Errorf("%q does not name a bucket and a key", rawURL)
	}
	return bucket, key, nil
}
