package s3

import (
	"context"
	"errors"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives AWS::S3::Bucket its behaviour in the local cloud's
// CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{"AWS::S3::Bucket": bucketProvider{s}}
}

type bucketProvider struct{ s *Service }

// Create makes the bucket: BucketName, or a generated lower-case
// stack-logicalid-random name as CloudFormation makes. Properties with no
// local meaning (encryption, lifecycle, notifications...) are accepted.
func (p bucketProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	name := resource.String(req.Properties, "BucketName")
	if name == "" {
		name = strings.ToLower(resource.PhysicalName(req.StackName, req.LogicalID, 63))
	}
	if err := p.s.CreateBucket(name, ""); err != nil {
		var ce *core.Error
		if errors.As(err, &ce) && ce.Code == "BucketAlreadyOwnedByYou" {
			return resource.Result{}, errors.New(name + " already exists")
		}
		return resource.Result{}, err
	}
	if err := p.versioning(name, req.Properties); err != nil {
		return resource.Result{}, err
	}
	return p.result(name), nil
}

// Update applies VersioningConfiguration; everything else the local cloud
// keeps only as properties.
func (p bucketProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	if err := p.versioning(req.PhysicalID, req.Properties); err != nil {
		return resource.Result{}, err
	}
	return p.result(req.PhysicalID), nil
}

// Delete removes the bucket; as on AWS, a bucket that still holds objects
// cannot be deleted, and the stack's deletion fails with that reason.
func (p bucketProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.DeleteBucket(req.PhysicalID)
	var ce *core.Error
	if errors.As(err, &ce) && ce.Code == "NoSuchBucket" {
		return nil
	}
	return err
}

// RequiresReplacement: a bucket's name cannot change.
func (bucketProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "BucketName")
}

func (p bucketProvider) versioning(name string, props map[string]any) error {
	cfg, _ := props["VersioningConfiguration"].(map[string]any)
	status, _ := cfg["Status"].(string)
	if status == "" {
		return nil
	}
	return p.s.updateMeta(name, func(m *bucketMeta) { m.Versioning = status })
}

func (p bucketProvider) result(name string) resource.Result {
	region := p.s.env.Region
	return resource.Result{PhysicalID: name, Attributes: map[string]any{
		"Arn":                 "arn:aws:s3:::" + name,
		"DomainName":          name + ".s3.amazonaws.com",
		"RegionalDomainName":  name + ".s3." + region + ".amazonaws.com",
		"DualStackDomainName": name + ".s3.dualstack." + region + ".amazonaws.com",
		"WebsiteURL":          "http://" + name + ".s3-website-" + region + ".amazonaws.com",
	}}
}
