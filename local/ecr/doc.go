// Package ecr is the local cloud's Amazon ECR: the ECR JSON API
// (CreateRepository, DescribeRepositories, DeleteRepository,
// DescribeImages, ListImages, BatchDeleteImage, GetAuthorizationToken)
// over a real OCI distribution registry (go-containerregistry's registry
// handler) served on the cloud's own loopback endpoint under /v2/.
//
// The registry is what the Docker engine and go-containerregistry push to
// and pull from: a repository's URI is <endpoint host>/<name>, e.g.
// 127.0.0.1:4566/orders, and Docker allows plain HTTP to 127.0.0.0/8
// registries without configuration. Like ECR, the registry takes the Basic
// login that GetAuthorizationToken returns (user AWS) and refuses pushes to
// a repository that was not created first.
//
// Blobs live on disk under the state directory (<state>/ecr/blobs); image
// records and manifests are documents in the store and are replayed into
// the registry when the cloud starts, so images survive a restart. The
// CloudFormation provider of AWS::ECR::Repository is in provider.go.
//
// See https://docs.aws.amazon.com/AmazonECR/latest/APIReference/Welcome.html.
package ecr
