// Package iam holds Sparta's IAM policy statement type, so that programs
// written against Sparta's aws/iam package compile with only their import
// path changed. Resources and principals are strings that may carry
// CloudFormation intrinsics (package cfn, or goformation's helpers), which
// goformation's Template.JSON expands.
package iam
