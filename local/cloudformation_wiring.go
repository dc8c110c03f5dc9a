package local

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/sparta-go/sparta/local/s3"
)

// providerOwner is a service that owns CloudFormation resource types.
type providerOwner interface {
	Providers() map[string]resource.Provider
}

// withCloudFormation builds the CloudFormation service last, over the
// providers of every other service: factories cannot look each other up
// while the cloud is being built, and CloudFormation needs them all. Being
// last, it is also closed first, so stack operations stop before the
// services they drive.
func (c *Cloud) withCloudFormation(services []core.Service) ([]core.Service, error) {
	registry := resource.Registry{}
	for _, s := range services {
		if s.Name() == "cloudformation" {
			return services, nil // a test supplied its own
		}
		if owner, ok := s.(providerOwner); ok {
			if err := registry.Register(owner.Providers()); err != nil {
				return nil, fmt.Errorf("local: %s: %w", s.Name(), err)
			}
		}
	}
	cf, err := cloudformation.New(cloudformation.Config{
		Store:     c.store.Collection("cloudformation"),
		Region:    c.env.Region,
		AccountID: c.env.AccountID,
		Providers: registry,
		Templates: s3TemplateFetcher{env: c.env},
		Log:       c.env.Log,
		Clock:     c.env.Clock.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("local: starting cloudformation: %w", err)
	}
	return append(services, cf), nil
}

// s3TemplateFetcher reads a TemplateURL from the local S3, in any of the
// URL forms S3 has: virtual-hosted (https://bucket.s3.region.amazonaws.com/key),
// path-style (https://s3.region.amazonaws.com/bucket/key) or the local
// endpoint's own path-style URL.
type s3TemplateFetcher struct{ env *core.Env }

func (f s3TemplateFetcher) Fetch(_ context.Context, raw string) ([]byte, error) {
	bucket, key, err := ParseS3URL(raw)
	if err != nil {
		return nil, err
	}
	svc, ok := f.env.Lookup("s3")
	if !ok {
		return nil, fmt.Errorf("TemplateURL %s: the local cloud runs no S3", raw)
	}
	objects, ok := svc.(*s3.Service)
	if !ok {
		return nil, fmt.Errorf("TemplateURL %s: the s3 service is not the local S3", raw)
	}
	body, _, err := objects.GetObject(bucket, key)
	if err != nil {
		return nil, fmt.Errorf("TemplateURL %s: %w", raw, err)
	}
	defer body.Close()
	return io.ReadAll(body)
}

// ParseS3URL returns the bucket and key an S3 object URL names.
func ParseS3URL(raw string) (bucket, key string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", fmt.Errorf("TemplateURL %q is not an S3 URL", raw)
	}
	host := u.Hostname()
	path := strings.TrimPrefix(u.Path, "/")
	if i := strings.Index(host, ".s3"); i > 0 && strings.HasSuffix(host, ".amazonaws.com") {
		bucket, key = host[:i], path
	} else {
		bucket, key, _ = strings.Cut(path, "/")
	}
	if bucket == "" || key == "" {
		return "", "", fmt.Errorf("TemplateURL %q names no bucket and key", raw)
	}
	return bucket, key, nil
}
