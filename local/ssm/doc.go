// Package ssm is the local cloud's AWS Systems Manager Parameter Store:
// String and StringList parameters with their version history, served
// over the awsJson 1.1 protocol (X-Amz-Target AmazonSSM.<Operation>) to the
// SDKs and `aws ssm`, the AWS::SSM::Parameter resource type, and the
// lookup the local CloudFormation resolves {{resolve:ssm:NAME[:VERSION]}}
// dynamic references with ([Service.Parameter]).
//
// Supported operations: PutParameter (Name, Value, Type, Overwrite,
// Description, AllowedPattern, DataType "text", Tier Standard, Tags),
// GetParameter and GetParameters (by name, NAME:VERSION or an ARN),
// DeleteParameter and DeleteParameters. Each maps to ssm:<Operation> on the
// parameter's ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME) in authz.go.
//
// Refused, with a message that says so: SecureString parameters (the
// local cloud runs no KMS to encrypt them), the Advanced and
// Intelligent-Tiering tiers, parameter labels, policies, and the other
// Systems Manager operations (GetParametersByPath, DescribeParameters,
// GetParameterHistory...).
//
// Parameters live in the store under "ssm/parameters", one document per
// parameter holding every version (at most 100, as on AWS: the oldest is
// dropped), written through on every change.
//
// See https://docs.aws.amazon.com/systems-manager/latest/APIReference/Welcome.html
package ssm
