//go:build !lambdabinary

package sparta

import (
	"context"
	"fmt"

	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cli"
	"github.com/sparta-go/sparta/internal/site"
)

// uploadSite syncs the site's folder to its bucket, named by the deployed
// stack's outputs, with MANIFEST.json holding the outputs and the site's
// UserManifestData.
func uploadSite(ctx context.Context, tgt *target, svc *serviceDefinition, outputs map[string]string, log logrus.FieldLogger) error {
	bucket := outputs[cfn.OutputS3SiteBucket]
	if bucket == "" {
		return fmt.Errorf("S3 site: the stack %s has no %s output to upload to", svc.name, cfn.OutputS3SiteBucket)
	}
	manifest, err := site.Manifest(outputs, svc.site.UserManifestData)
	if err != nil {
		return err
	}
	res, err := site.Sync(ctx, tgt.s3Client(), bucket, svc.site.Resources(), manifest)
	if err != nil {
		return err
	}
	log.WithFields(logrus.Fields{"bucket": bucket, "uploaded": len(res.Uploaded), "deleted": len(res.Deleted), "unchanged": res.Unchanged}).
		Info("Synced the S3 site")
	log.WithField("url", outputs[cfn.OutputS3SiteURL]).Info("Site: " + outputs[cfn.OutputS3SiteURL])
	return nil
}

// emptySite empties the bucket of the stack's site, if it has one, so that
// deleting the stack (or, once the site is removed from main.go, updating
// it) deletes the bucket too. It reads the stack's outputs rather than the
// service's declaration: a site removed from main.go still has its bucket
// in the stack.
func emptySite(ctx context.Context, tgt *target, stack string, log logrus.FieldLogger) error {
	st, err := newDeployer(tgt, log, false).Describe(ctx, stack)
	if err != nil || st == nil {
		return err
	}
	for _, o := range st.Outputs {
		if o.OutputKey == nil || *o.OutputKey != cfn.OutputS3SiteBucket || o.OutputValue == nil {
			continue
		}
		n, err := site.Empty(ctx, tgt.s3Client(), *o.OutputValue)
		if err != nil {
			return fmt.Errorf("emptying the S3 site's bucket %s before deleting the stack: %w", *o.OutputValue, err)
		}
		log.WithFields(logrus.Fields{cli.FieldStack: stack, "bucket": *o.OutputValue, "objects": n}).Info("Emptied the S3 site's bucket")
	}
	return nil
}
