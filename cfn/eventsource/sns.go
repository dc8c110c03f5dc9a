//go:build !lambdabinary

package eventsource

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// addSNS subscribes the function to the topic at p.SourceArn: an
// AWS::SNS::Subscription with protocol lambda, and the
// AWS::Lambda::Permission that lets sns.amazonaws.com invoke the function
// for that topic only. The subscription waits for the permission, so that
// no message published in between is refused by Lambda.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
func addSNS(t *cloudformation.Template, _ string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.SNSPermission) error {
	if err := p.Validate(fn.Name); err != nil {
		return err
	}
	perm := invokePermission(t, fn, res, "SNS", i, p.ServicePrincipal(), p.BasePermission)
	t.Resources[cfn.LogicalID(fn.Name, "SNS", strconv.Itoa(i), "Subscription")] = &sns.Subscription{
		Protocol:                   "lambda",
		Endpoint:                   cloudformation.String(cloudformation.GetAtt(res.Function, "Arn")),
		TopicArn:                   p.SourceArn,
		AWSCloudFormationDependsOn: []string{perm},
	}
	return nil
}
