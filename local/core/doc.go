// Package core is the contract between the local cloud's router and its
// services, and the AWS wire-protocol plumbing they share.
//
// A service is a [Service] (its SigV4 signing name and an http.Handler)
// built by a [Factory] from an [Env]: the durable store, the clock, the
// region and account, the endpoint, a logger, and [Env.Lookup] to reach the
// other services. The router puts a [Call] (request ID, credential scope) in
// every request's context.
//
// Protocols: [QueryService] serves awsQuery (STS, SNS, CloudFormation),
// [JSONService] serves awsJson 1.0/1.1 (CloudWatch Logs, Step Functions);
// REST protocols (S3, Lambda) route themselves and render errors with
// [WriteRESTXMLError] or [WriteRESTJSONError]. Operations return [*Error]
// values, which each writer renders in its protocol's shape with the right
// HTTP status.
package core
