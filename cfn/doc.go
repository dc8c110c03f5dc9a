// Package cfn owns the service's CloudFormation template: assembly on
// goformation v7, stable logical IDs, user-scoped stack names, intrinsic
// helpers, the resources of each Lambda function, and deterministic JSON.
package cfn
