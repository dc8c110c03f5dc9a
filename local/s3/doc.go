// Package s3 is the local cloud's Amazon S3, on S3's REST-XML protocol, with
// objects stored as blobs in the cloud's state directory.
//
// # Addressing
//
// Path-style requests (http://127.0.0.1:port/bucket/key) always work: set
// UsePathStyle on aws-sdk-go-v2's S3 client, or nothing for the AWS CLI,
// which uses path style for IP endpoints. Virtual-hosted-style requests
// work when the host is bucket.localhost[:port] (see [VirtualHostSuffix]):
// use BaseEndpoint http://localhost:port without UsePathStyle, on systems
// where *.localhost resolves to loopback (glibc with nss-myhostname, macOS,
// and clients that dial loopback for .localhost themselves).
//
// # Supported operations
//
// Buckets: CreateBucket (LocationConstraint), HeadBucket, DeleteBucket
// (BucketNotEmpty), ListBuckets, GetBucketLocation, Get/PutBucketVersioning,
// Get/Put/DeletePublicAccessBlock (all four settings on for new buckets, as
// on AWS since April 2023), Get/Put/DeleteBucketEncryption (stored and
// reported; every bucket defaults to SSE-S3 as on AWS since 2023),
// Get/Put/DeleteBucketPolicy and GetBucketPolicyStatus (policy.go),
// Get/Put/DeleteBucketWebsite (website_config.go), Get/Put/DeleteBucketCors
// (cors.go), Get/PutBucketNotificationConfiguration (notification*.go),
// GetBucketOwnershipControls and PutBucketAcl (BucketOwnerEnforced: owner-only
// ACLs accepted, others refused, acl.go), ListMultipartUploads (one page).
//
// # Access
//
// Signed requests are authorized by the router with the caller's identity
// policies and the bucket policy ([Service.ResourcePolicy]). Unsigned
// requests are served ([Service.Public]) on website endpoints
// (http://<bucket>.s3-website.localhost:<port>/, or the path form
// /_website/<bucket>/...; website.go) and for GET/HEAD of objects the bucket
// policy opens to everyone; both are decided by the bucket policy and the
// public access block (BlockPublicPolicy refuses public policies,
// RestrictPublicBuckets refuses anonymous access).
//
// # Notifications
//
// ObjectCreated (Put, Copy, CompleteMultipartUpload) and ObjectRemoved
// (Delete, DeleteMarkerCreated) events, with prefix/suffix filters and
// wildcards, go in AWS's event shape ([Event]) to functions (asynchronous
// invocation), queues and topics through [Destinations], which the local
// cloud wires. Destinations are validated when a configuration is put (the
// function's or queue's resource policy must allow s3.amazonaws.com for the
// bucket; topics must exist) and queues and topics receive s3:TestEvent.
//
// Objects: PutObject, GetObject (single Range, conditional headers,
// response-* overrides, versionId), HeadObject, DeleteObject, DeleteObjects,
// CopyObject (COPY and REPLACE metadata directives), ListObjects and
// ListObjectsV2 (prefix, delimiter, max-keys, continuation, start-after,
// encoding-type=url), multipart upload (Create, UploadPart, Complete, Abort,
// ListParts).
//
// Integrity: Content-MD5, a hex x-amz-content-sha256, and the additional
// checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) in headers or as
// trailers of aws-chunked bodies (Content-Encoding: aws-chunked,
// x-amz-decoded-content-length, STREAMING-UNSIGNED-PAYLOAD-TRAILER and the
// signed STREAMING-AWS4-HMAC-SHA256-PAYLOAD variants) are verified; a
// mismatch is BadDigest and nothing is stored. ETags are the quoted MD5 hex
// ("<md5 of part md5s>-N" for multipart objects). aws-sdk-go-v2 sends
// trailing checksums only over HTTPS; serve Cloud.Handler behind TLS to
// exercise them.
//
// Versioning: when enabled, every write gets a version ID, older versions
// stay readable with versionId, DeleteObject puts a delete marker on top and
// DeleteObject with versionId removes one version (the next one becomes
// current).
//
// # Not supported
//
// Refused with 501 NotImplemented naming the sub-resource: lifecycle,
// replication, object tagging and lock, EventBridge notifications,
// ListObjectVersions, UploadPartCopy, GetObject by partNumber, SSE-C, POST
// (browser form) uploads. AWS::S3::Bucket properties are each applied, kept
// without local effect (tags, lifecycle, logging, metrics...) or refused
// with the reason (provider.go's bucketProperties). Signatures and presigned URL expiry are not
// checked. CreateBucket on an existing bucket answers
// BucketAlreadyOwnedByYou (409) in every region, where AWS answers 200 in
// us-east-1.
//
// # Go API
//
// Other services use [Service.CreateBucket], [Service.DeleteBucket],
// [Service.PutObject], [Service.GetObject], [Service.DeleteObject],
// [Service.Keys] and [Service.Buckets] directly (find the service with
// env.Lookup("s3")).
package s3
