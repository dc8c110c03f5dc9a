//go:build !lambdabinary

package cfn

import "github.com/awslabs/goformation/v7/cloudformation"

// Intrinsic helpers that read as the CloudFormation they produce. They wrap
// goformation's, which encode intrinsics inside strings so that they can sit
// in string-typed resource properties.

// Ref refers to a resource, parameter or pseudo parameter.
func Ref(logicalID string) string { return cloudformation.Ref(logicalID) }

// GetAtt reads an attribute of a resource.
func GetAtt(logicalID, attribute string) string { return cloudformation.GetAtt(logicalID, attribute) }

// Sub substitutes ${...} variables in s.
func Sub(s string) string { return cloudformation.Sub(s) }

// Join joins values with a delimiter.
func Join(delimiter string, values ...any) string { return cloudformation.Join(delimiter, values) }

// ARN builds an ARN for service and resource in this stack's partition,
// region and account: ARN("logs", "log-group:/aws/lambda/f:*").
func ARN(service, resource string) string {
	return cloudformation.Sub("arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + resource)
}
