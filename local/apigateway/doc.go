// Package apigateway is the local cloud's Amazon API Gateway (REST APIs):
// a control plane that CloudFormation drives and the AWS CLI reads, and an
// execute-api data plane that serves real HTTP.
//
// # Calling an API
//
// A deployed stage answers, without SigV4 (as an API whose methods have no
// IAM authorization does on AWS; an AWS_IAM method verifies the signature
// itself), at
//
//	http://API-ID.execute-api.localhost:PORT/STAGE/PATH
//
// or, for clients that cannot set the Host header, at the path form
// LocalStack also uses:
//
//	http://127.0.0.1:PORT/restapis/API-ID/STAGE/_user_request_/PATH
//
// # Supported
//
// CloudFormation types AWS::ApiGateway::RestApi (Ref: the ID; GetAtt
// RootResourceId), Resource, Method, Model (JSON Schema draft 4),
// RequestValidator, Authorizer, Deployment (a snapshot of the API: stages
// serve the deployment they point to, so a changed API reaches clients
// only through a new deployment, as on AWS), Stage (variables, access log
// settings), and the account's ApiKey, UsagePlan (throttle, quota) and
// UsagePlanKey.
//
// Read calls of the REST API, signed for "apigateway" and held to IAM as
// apigateway:VERB on arn:aws:apigateway:REGION::/PATH (authz.go): GetRestApis,
// GetRestApi, GetResources, GetResource, GetMethod, GetIntegration,
// GetStages, GetStage, GetDeployments, GetModels, GetRequestValidators,
// GetApiKeys, GetApiKey, GetUsagePlans, GetUsagePlan, GetUsagePlanKeys,
// GetUsagePlanKey, and DeleteRestApi. Other writes are refused (NotImplemented) naming the
// call: APIs are made through CloudFormation.
//
// The data plane routes by the resource tree (literal parts first, then
// {param}, then a greedy {proxy+}), matches the method (or ANY), applies
// the request validator (required parameters: 400 "Missing required request
// parameters: [...]"; the body against the model of its content type: 400
// "Invalid request body"), and runs the integration:
//   - AWS_PROXY to a Lambda function, with the proxy event of
//     events.APIGatewayProxyRequest and its response (statusCode, headers,
//     multiValueHeaders, body, isBase64Encoded); a failed function or a
//     malformed answer is 502 "Internal server error". The function's
//     resource policy must allow apigateway.amazonaws.com from this
//     method's execute-api ARN, as on AWS.
//   - AWS to a Lambda function (the mapping template's output is the
//     event; a function error selects the integration response whose
//     pattern matches its errorMessage) or to Step Functions'
//     StartExecution and StartSyncExecution, called in-process as the
//     integration's role: the role must trust apigateway.amazonaws.com and
//     allow the action on the machine under the local IAM.
//   - MOCK (CORS preflight answers).
//
// Methods with a Lambda authorizer (AWS::ApiGateway::Authorizer, TOKEN or
// REQUEST, AuthorizationType CUSTOM) run it first: a missing identity or
// an "Unauthorized" error is 401 {"message":"Unauthorized"}; the returned
// policy is evaluated for execute-api:Invoke on the method's ARN (403
// {"Message":"User is not authorized to access this resource"}, "... with
// an explicit deny" for a Deny); principalId and the context reach the
// integration as requestContext.authorizer and $context.authorizer.
// Results are cached for AuthorizerResultTtlInSeconds (default 300) by
// stage, deployment, authorizer and identity source values, and the cached
// policy is evaluated against each request's method, as on AWS.
//
// AWS_IAM methods need a SigV4 signature for execute-api by a key of the
// cloud's keyring; the principal's IAM policies must allow
// execute-api:Invoke on the method's ARN (the root is allowed, an IAM user
// has no policies). The refusals are API Gateway's 403s: Missing
// Authentication Token, the signature errors, and {"Message":"User: ...
// is not authorized to perform: execute-api:Invoke on resource: ..."}.
//
// Methods with ApiKeyRequired take the x-api-key header: an enabled key of
// a usage plan of the stage (else 403 Forbidden), within the plan's
// throttle (a token bucket per key: 429 Too Many Requests) and quota (per
// UTC day, week or month: 429 Limit Exceeded). Counters and cached
// authorizer results live in memory.
//
// Mapping templates (request and response) are evaluated by the VTL
// subset of internal/vtl with $input (body, json, path, params), $util
// (escapeJavaScript, parseJson, base64Encode, base64Decode, urlEncode,
// urlDecode), $context (including responseOverride.status and .header)
// and $stageVariables. Passthrough behaviours WHEN_NO_MATCH,
// WHEN_NO_TEMPLATES and NEVER (415 "Unsupported Media Type") apply.
// Unknown routes answer 403 "Missing Authentication Token", as on AWS.
// Stages with access log settings write one line per request, rendered
// from the format's $context variables, to the CloudWatch Logs group of
// the destination ARN (stream: the stage name).
//
// # Refused
//
// Cognito authorizers, resource policies, API keys from authorizers,
// per-method usage plan throttles and ApiKey StageKeys, OpenAPI bodies, HTTP and VPC link integrations, and
// AWS integrations other than Lambda and Step Functions are refused or
// answered 500 with a log line naming what is unsupported.
package apigateway
