// Package cloudformation holds the helpers of Sparta's aws/cloudformation
// package that Sparta's documented programs use, so that they compile with
// only their import path changed
// (github.com/mweagle/Sparta/aws/cloudformation becomes
// github.com/sparta-go/sparta/aws/cloudformation). Each forwards to package
// cfn, which owns them; new code may use cfn directly. Sparta's stack
// workflow functions (StackEvents, ConvergeStackState, UploadTemplate...)
// are not here: provisioning is the framework's job (cfn's deployer).
package cloudformation

import (
	"slices"

	"github.com/sparta-go/sparta/cfn"
)

// UserScopedStackName returns basename followed by the sanitized name of
// the current OS user ("MyService-alice"), so that teammates deploying the
// same service into one account get separate stacks.
func UserScopedStackName(basename string) string { return cfn.UserScopedStackName(basename) }

// ResourceName returns a stable logical ID built from prefix and parts,
// valid as a CloudFormation logical ID. Unlike Sparta's, the same
// arguments always give the same name, also when parts is empty.
func ResourceName(prefix string, parts ...string) string {
	return cfn.LogicalID(append([]string{prefix}, parts...)...)
}

// StableResourceName is ResourceName(value, value), as in Sparta.
func StableResourceName(value string) string { return ResourceName(value, value) }

// S3ArnForBucket returns the bucket's ARN expression: bucket is an ARN or a
// template reference that yields one (cfn.GetAtt(id, "Arn")).
func S3ArnForBucket(bucket string) string { return cfn.Join("", bucket) }

// S3AllKeysArnForBucket returns the ARN expression of every key of the
// bucket (bucket ARN followed by "/*"), for object-level IAM statements.
func S3AllKeysArnForBucket(bucket string) string { return cfn.Join("", bucket, "/*") }

// MapToResourceTags turns a map into CloudFormation's Tags list, each
// {"Key": k, "Value": v}, in key order so that templates are stable.
func MapToResourceTags(tagMap map[string]string) []any {
	keys := make([]string, 0, len(tagMap))
	for k := range tagMap {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	tags := make([]any, len(keys))
	for i, k := range keys {
		tags[i] = map[string]any{"Key": k, "Value": tagMap[k]}
	}
	return tags
}
