//go:build !lambdabinary

// Package site keeps a static site's bucket in step with its folder: Sync
// uploads what changed (by MD5, which is the ETag of a single-part
// upload), deletes what was removed and leaves the rest, with each file's
// Content-Type from its extension; Empty removes every object, so that
// the bucket's stack can be deleted. provision and delete call them for
// sparta.S3Site.
package site
