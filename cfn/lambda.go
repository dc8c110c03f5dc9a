//go:build !lambdabinary

package cfn

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
	"github.com/sparta-go/sparta/service"
)

// LambdaRuntime is the Lambda runtime for Go binaries named bootstrap.
const LambdaRuntime = "provided.al2023"

// ServiceTagKey tags every function with the service it belongs to.
const ServiceTagKey = "sparta:service"

// FunctionResources are the logical IDs of what AddFunction adds.
type FunctionResources struct {
	Function string // AWS::Lambda::Function
	Role     string // AWS::IAM::Role; empty when the function uses an existing role
	LogGroup string // AWS::Logs::LogGroup
}

// AddFunction adds one function to the template: the AWS::Lambda::Function,
// its AWS::Logs::LogGroup (/aws/lambda/<function name>), unless it names an
// existing role its own AWS::IAM::Role allowed to write only to that log
// group plus the declared privileges, and an Output with the function ARN.
func AddFunction(t *cloudformation.Template, serviceName string, fn *service.LambdaAWSInfo, code service.Artifact) FunctionResources {
	opts := fn.Options
	if opts == nil {
		opts = &service.LambdaFunctionOptions{}
	}
	ids := FunctionResources{
		Function: FunctionLogicalID(fn.Name),
		LogGroup: LogicalID(fn.Name, "LogGroup"),
	}
	physicalName := FunctionName(serviceName, fn.Name)
	logGroupName := "/aws/lambda/" + physicalName

	logGroup := &logs.LogGroup{LogGroupName: cloudformation.String(logGroupName)}
	if opts.LogRetentionInDays > 0 {
		logGroup.RetentionInDays = cloudformation.Int(opts.LogRetentionInDays)
	}
	t.Resources[ids.LogGroup] = logGroup

	var roleARN string
	if existing, isARN, ok := fn.Role.ExistingRoleARN(); ok {
		roleARN = existing
		if !isARN {
			roleARN = cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + existing)
		}
	} else {
		ids.Role = LogicalID(fn.Name, "Role")
		t.Resources[ids.Role] = functionRole(fn, logGroupName)
		roleARN = cloudformation.GetAtt(ids.Role, "Arn")
	}

	f := &lambda.Function{
		FunctionName:  cloudformation.String(physicalName),
		Handler:       cloudformation.String(fn.Name),
		Runtime:       cloudformation.String(LambdaRuntime),
		Architectures: []string{string(opts.Architecture.Or(service.ArchARM64))},
		Code: &lambda.Function_Code{
			S3Bucket: cloudformation.String(code.Bucket),
			S3Key:    cloudformation.String(code.Key),
		},
		Role: roleARN,
		Tags: functionTags(serviceName, opts.Tags),
		// The log group must exist before the function can log, or Lambda
		// creates it first and the stack then fails to create it.
		AWSCloudFormationDependsOn: []string{ids.LogGroup},
	}
	if opts.Description != "" {
		f.Description = cloudformation.String(opts.Description)
	}
	if opts.MemorySize != 0 {
		f.MemorySize = cloudformation.Int(int(opts.MemorySize))
	}
	if opts.Timeout != 0 {
		f.Timeout = cloudformation.Int(int(opts.Timeout))
	}
	if len(opts.Environment) > 0 {
		f.Environment = &lambda.Function_Environment{Variables: opts.Environment}
	}
	if opts.ReservedConcurrentExecutions != nil {
		f.ReservedConcurrentExecutions = cloudformation.Int(*opts.ReservedConcurrentExecutions)
	}
	if opts.EphemeralStorage != 0 {
		f.EphemeralStorage = &lambda.Function_EphemeralStorage{Size: opts.EphemeralStorage}
	}
	t.Resources[ids.Function] = f
	t.Outputs[ids.Function+"Arn"] = cloudformation.Output{
		Description: cloudformation.String(fmt.Sprintf("ARN of function %s", fn.Name)),
		Value:       cloudformation.GetAtt(ids.Function, "Arn"),
	}
	return ids
}

// functionRole is the least-privilege execution role: only its own log group,
// not the account-wide AWSLambdaBasicExecutionRole, then the user's statements.
func functionRole(fn *service.LambdaAWSInfo, logGroupName string) *iam.Role {
	statements := []any{map[string]any{
		"Effect":   "Allow",
		"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource": ARN("logs", "log-group:"+logGroupName+":*"),
	}}
	for _, p := range fn.Role.Privileges {
		statements = append(statements, map[string]any{
			"Effect":   "Allow",
			"Action":   p.Actions,
			"Resource": p.Resource,
		})
	}
	return &iam.Role{
		AssumeRolePolicyDocument: AssumeRolePolicy("lambda.amazonaws.com"),
		Policies: []iam.Role_Policy{{
			PolicyName:     "FunctionPolicy",
			PolicyDocument: map[string]any{"Version": "2012-10-17", "Statement": statements},
		}},
	}
}

// AssumeRolePolicy lets an AWS service principal assume a role.
func AssumeRolePolicy(principal string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": []string{principal}},
			"Action":    []string{"sts:AssumeRole"},
		}},
	}
}

func functionTags(serviceName string, user map[string]string) []tags.Tag {
	out := []tags.Tag{{Key: ServiceTagKey, Value: serviceName}}
	for _, k := range service.SortedKeys(user) {
		out = append(out, tags.Tag{Key: k, Value: user[k]})
	}
	return out
}
