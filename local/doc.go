// Package local is the embedded local cloud: one HTTP endpoint on loopback
// that speaks the AWS wire protocols the framework and its users need, with
// its state kept on disk, so that a service can be provisioned, run and
// inspected on one machine with the same SDK code and AWS CLI commands as
// on AWS.
//
// # Running it
//
// [Start] runs a cloud in-process on an ephemeral loopback port (for
// --local commands and tests) and [Serve] runs one in the foreground until
// its context ends (the body of `local serve`). Point clients at
// [Cloud.Endpoint]: aws-sdk-go-v2's BaseEndpoint (S3 also needs
// UsePathStyle, or an endpoint of http://localhost:port for
// bucket.localhost virtual hosts), AWS_ENDPOINT_URL, or the CLI's
// --endpoint-url.
//
// # Security
//
// Every request must carry a valid SigV4 signature (header or presigned
// query) made with a known key: the default pair
// core.DefaultAccessKeyID/core.DefaultSecretAccessKey (test/test, the
// account's root), Options.Credentials, or a session the cloud issued (a
// Lambda sandbox's execution role, an ECS task role, STS AssumeRole).
// [core.VerifyRequest] checks it as AWS does (15-minute skew, presigned
// expiry, payload hash, S3 chunk signatures) and refuses with each
// protocol's error codes. Every principal but the root is then authorized
// by local/iam against the permissions the service names
// ([core.Authorizable]). Before routing, requests from a foreign web
// Origin or for a Host that is not loopback, localhost or *.localhost are
// refused (Options.AllowOrigins, Options.AllowHosts). Anonymous requests
// reach only services implementing [core.Public]. It binds 127.0.0.1; an
// address beyond loopback needs Options.ExposeToNetwork. See
// docs/local-cloud.md#security.
//
// # Routing
//
// One http.Handler routes each request by the service name of its SigV4
// credential scope (the Authorization header's Credential=AKID/date/
// region/SERVICE/aws4_request, or X-Amz-Credential on presigned URLs);
// the service then dispatches on X-Amz-Target (awsJson), Action (awsQuery)
// or the REST path. Unsigned requests go to the service whose
// [core.Matcher] claims them (S3 claims plain REST requests last), which
// serves them only if it is [core.Public] for them. A service
// the cloud does not run gets a NotImplemented error (HTTP 501, not retried
// by the SDKs) naming it, in the protocol's error shape. Every response
// carries x-amzn-RequestId and x-amz-request-id.
//
// # Services
//
//   - sts: GetCallerIdentity (package [github.com/sparta-go/sparta/local/sts]).
//   - s3: buckets, objects, versioning, multipart uploads, checksums
//     ([github.com/sparta-go/sparta/local/s3]).
//   - logs: CloudWatch Logs groups, streams and events
//     ([github.com/sparta-go/sparta/local/logs]).
//   - sns: topics and kept messages ([github.com/sparta-go/sparta/local/sns]).
//   - ssm: the Parameter Store, String and StringList parameters with their
//     versions ([github.com/sparta-go/sparta/local/ssm]).
//   - apigateway: REST APIs and their execute-api data plane
//     ([github.com/sparta-go/sparta/local/apigateway]).
//
// Each package's documentation lists what it supports and what it refuses.
//
// # State
//
// Everything lives under Options.StateDir (default .sparta/local) in a
// [store.Store]: JSON documents, blobs and append-only JSON-lines logs, each
// written through a temporary file renamed into place, so a killed cloud
// restarts with every acknowledged write. Only one process may use a state
// directory at a time (it is locked). A running cloud names its endpoint in
// the directory's [AdvertFile], so that another process wanting the same
// state finds it with [Running] and becomes its client instead. Remove the
// directory to start afresh.
//
// # Adding a service
//
// A service is a package under local/ with a [core.Factory]:
//
//	func New(env *core.Env) (core.Service, error)
//
// returning a value whose Name is its SigV4 signing name ("cloudformation",
// "lambda", "states") and whose ServeHTTP speaks its protocol. Add New to
// builtinServices in services.go (or pass it in Options.Services while it
// matures; a factory there replaces a built-in of the same name). A
// service that gives CloudFormation resource types their behaviour has a
// Providers() map[string]resource.Provider method: Start builds the
// CloudFormation service last, over the providers of every service, so
// nothing else needs registering. The [core.Env] it receives carries:
//
//   - Store: persist under env.Store.Collection(<service name>, ...). Keep
//     the working set in memory, write through on every change, reload in
//     New, and load large things lazily so Start stays fast. Documents
//     (Put/Get/Scan) suit resources (stacks, functions, state machines);
//     logs (Append/ReadLog) suit what only grows (stack events, execution
//     history); blobs suit bytes (code, artifacts). New is also where a
//     service repairs what a kill interrupted: an execution still marked
//     RUNNING when New reloads it was running when the cloud stopped, so
//     mark it failed with a cause that says so.
//   - Clock: read time through it (Now, After) so tests can drive it.
//   - Region, AccountID, ARN(service, resource): for ARNs and responses.
//   - Endpoint: the cloud's URL, for processes the service starts (a Lambda
//     function's AWS_ENDPOINT_URL) and for Location headers.
//   - Log: a logrus.FieldLogger; add core.FieldService.
//   - Lookup(name): another service, resolved at call time (so order does
//     not matter); type-assert it to the other package's *Service to use its
//     Go API, e.g. logs.(*logs.Service).Append for a function's output,
//     s3.(*s3.Service).GetObject for its code, sns.(*sns.Service).Publish
//     for a Step Functions SNS task.
//
// Protocol plumbing is in package core: [core.QueryService] for awsQuery
// (CloudFormation, IAM) and [core.JSONService] for awsJson 1.0/1.1 (Step
// Functions, ECS, ECR) dispatch a map of operations and render results and
// [core.Error] values in the protocol's shape; REST services (Lambda, S3)
// route themselves and render errors with [core.WriteRESTJSONError] or
// [core.WriteRESTXMLError]. Operations return *core.Error for AWS errors
// (code, message, status); any other error becomes a 500 InternalFailure
// carrying its text. Unsupported operations must be refused (the
// JSONService and QueryService do it for unknown names; [core.NotSupported]
// for the rest), never acknowledged and ignored.
//
// Optional interfaces: [core.Matcher] (claim unsigned requests, e.g. an
// OCI registry under /v2/), [core.Public] (serve some of them without a
// signature), [core.Authorizable] (map an operation to its IAM action and
// resource ARN, and the roles it passes: without it a request is checked
// as "<service>:<Operation>" on "*"), [core.Fallback] (a broad matcher
// asked last) and [core.Closer] (stop child processes and
// goroutines; called in reverse construction order on Close, before the
// store is closed). Tests use package localtest, which starts a cloud on a
// temporary state directory and runs the AWS CLI against it.
package local
