//go:build !lambdabinary

package eventsource

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// invokePermission is the AWS::Lambda::Permission that lets principal
// invoke the function, scoped to sourceArn (and sourceAccount when set) so
// that no other resource of that service can
// (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html).
// It is added under a logical ID made of the function, kind and index, which
// it returns.
func invokePermission(t *cloudformation.Template, fn *service.LambdaAWSInfo, res cfn.FunctionResources, kind string, i int, principal string, base service.BasePermission) string {
	id := cfn.LogicalID(fn.Name, kind, strconv.Itoa(i), "Permission")
	perm := &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		FunctionName: cloudformation.GetAtt(res.Function, "Arn"),
		Principal:    principal,
		SourceArn:    cloudformation.String(base.SourceArn),
	}
	if base.SourceAccount != "" {
		perm.SourceAccount = cloudformation.String(base.SourceAccount)
	}
	t.Resources[id] = perm
	return id
}

// addLambdaPermission emits only the permission: the source is configured
// elsewhere (by the user or another stack).
func addLambdaPermission(t *cloudformation.Template, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.LambdaPermission) error {
	invokePermission(t, fn, res, "Invoke", i, p.Principal, p.BasePermission)
	return nil
}
