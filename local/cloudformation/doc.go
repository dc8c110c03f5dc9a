// Package cloudformation is the local cloud's CloudFormation: the awsQuery
// API (CreateStack, UpdateStack, DeleteStack, change sets, describes,
// ValidateTemplate, GetTemplateSummary, ListExports) over stacks whose resources are made by
// the providers of the other services, through [resource.Provider].
//
// Templates are parsed and evaluated by the template subpackage. A stack
// operation runs in the background, as on AWS: the API returns at once and
// clients poll DescribeStacks and DescribeStackEvents. Resources are
// created in dependency order (independent ones concurrently), deleted in
// reverse order, updated in place or replaced as their provider's
// RequiresReplacement says; a failure rolls back (ROLLBACK_COMPLETE,
// UPDATE_ROLLBACK_COMPLETE), keeping the failing resource's reason on its
// event. Stacks, resources, events, change sets and exports are persisted
// in the store the service is given; an operation interrupted by a stop
// ends, on the next start, in a failed state from which the stack can be
// deleted (or, after an update, rolled back with ContinueUpdateRollback).
//
// Dynamic references: {{resolve:ssm:NAME[:VERSION]}} in resource
// properties take the value of the Parameter Store given as
// [Config.Parameters] (local/ssm) when the operation is planned; a
// missing parameter fails it with AWS's ValidationError ("Parameters:
// [ssm:NAME] cannot be found."). ssm-secure and secretsmanager references
// are refused naming the resource and property (no KMS, no Secrets
// Manager locally). Template parameters of type
// AWS::SSM::Parameter::Value<T> stand for the value of the parameter they
// name, or fail with AWS's "Unable to fetch parameters [NAME] from
// parameter store for this account."
//
// Custom resources (AWS::CloudFormation::CustomResource, Custom::*) are
// served by this package: each Create, Update and Delete invokes the
// Lambda function of ServiceToken (through [Config.Functions]) with AWS's
// request object and waits for the response object at a one-time
// ResponseURL this service serves without SigV4 (Match, Public), up to the
// resource's ServiceTimeout or [Config.CustomResourceTimeout]; Data feeds
// Fn::GetAtt. SNS-backed custom resources are refused.
//
// Types without a provider fail their resource with "resource type X is
// not supported by the local cloud". Types that have no local meaning (the
// EC2 network of a Fargate service, CloudWatch dashboards and alarms) have
// inert providers here (see [InertProviders]).
//
// Not supported (refused with a clear error): transforms (SAM, language
// extensions), nested stacks, IMPORT change sets, stack policies, rollback
// triggers, drift detection, stack sets; NextToken paging (every list is
// returned whole).
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/Welcome.html
package cloudformation
