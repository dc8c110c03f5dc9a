//go:build !lambdabinary

// Package apigateway turns a declared API (service.API) into CloudFormation:
// the AWS::ApiGateway::RestApi, its tree of AWS::ApiGateway::Resource, one
// AWS::ApiGateway::Method per declared method (Lambda proxy, Lambda or
// Step Functions integration; request models and validators; a MOCK OPTIONS
// method per resource when CORS is on), an AWS::ApiGateway::Deployment
// whose logical ID carries a hash of the API so that any change deploys, an
// AWS::ApiGateway::Stage (with access logs to a log group of its own when
// asked), the AWS::Lambda::Permission of each function scoped to its method
// and path, a least-privilege role per state machine method, and the
// invoke URL as a stack output.
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_ApiGateway.html.
package apigateway
