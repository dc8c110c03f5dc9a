package apigateway

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/stepfunctions"
)

func encodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// functionARN reads the function out of a Lambda integration URI:
// arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations.
func functionARN(uri string) (string, bool) {
	_, rest, ok := strings.Cut(uri, ":lambda:path/2015-03-31/functions/")
	if !ok {
		return "", false
	}
	fn, ok := strings.CutSuffix(rest, "/invocations")
	return fn, ok && fn != ""
}

// executeAPIARN is the ARN a function's permission is checked against:
// arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH.
func (x *exchange) executeAPIARN() string {
	return x.s.env.ARN("execute-api", x.api.ID+"/"+x.stage.StageName+"/"+x.r.Method+x.path)
}

// invokeFunction checks that the function's resource policy lets API
// Gateway invoke it from this method, as AWS does, then invokes it.
func (x *exchange) invokeFunction(ctx context.Context, payload []byte) (lambda.InvokeResult, bool) {
	return x.invoke(ctx, x.m.Integration.URI, x.executeAPIARN(), payload)
}

// invoke calls the function of a Lambda URI after checking that its
// resource policy allows apigateway.amazonaws.com from sourceARN.
func (x *exchange) invoke(ctx context.Context, uri, sourceARN string, payload []byte) (lambda.InvokeResult, bool) {
	fail := func(reason string) (lambda.InvokeResult, bool) {
		x.s.log.WithField("method", x.r.Method+" "+x.res.Path).Warn("Execution failed due to configuration error: " + reason)
		x.gatewayError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
		return lambda.InvokeResult{}, false
	}
	fn, ok := functionARN(uri)
	if !ok {
		return fail("the integration URI " + uri + " is not a Lambda function's")
	}
	svc, _ := x.s.env.Lookup("lambda")
	ls, ok := svc.(*lambda.Service)
	if !ok {
		return fail("the local cloud has no Lambda service")
	}
	policy, err := ls.GetPolicy(ctx, fn)
	if err != nil {
		return fail("Invalid permissions on Lambda function " + fn + ": it has no resource policy allowing apigateway.amazonaws.com")
	}
	p, err := x.s.resourcePolicy(policy)
	if err != nil || iam.Evaluate(iam.Request{Action: "lambda:InvokeFunction", Resource: fn,
		Principal: map[string]string{"Service": "apigateway.amazonaws.com"},
		Context:   map[string]string{"aws:SourceArn": sourceARN, "aws:SourceAccount": x.s.env.AccountID}}, p) != iam.Allow {
		return fail("Invalid permissions on Lambda function " + fn + ": its resource policy does not allow " + sourceARN)
	}
	started := time.Now()
	res, err := ls.Invoke(ctx, fn, payload)
	x.intLat = time.Since(started)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			x.gatewayError(http.StatusGatewayTimeout, "InternalServerErrorException", "Endpoint request timed out")
			return lambda.InvokeResult{}, false
		}
		return fail(err.Error())
	}
	return res, true
}

// ProxyEvent builds the Lambda proxy integration's event, in the shape of
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
func (x *exchange) proxyEvent() events.APIGatewayProxyRequest {
	ev := events.APIGatewayProxyRequest{
		Resource:   x.res.Path,
		Path:       x.path,
		HTTPMethod: x.r.Method,
	}
	headers := x.r.Header.Clone()
	headers.Set("Host", x.r.Host)
	if headers.Get("X-Forwarded-For") == "" {
		headers.Set("X-Forwarded-For", x.sourceIP())
	}
	headers.Set("X-Forwarded-Proto", "http")
	if _, port, err := splitPort(x.r.Host); err == nil && port != "" {
		headers.Set("X-Forwarded-Port", port)
	}
	ev.Headers, ev.MultiValueHeaders = map[string]string{}, map[string][]string{}
	for k, v := range headers {
		ev.Headers[k] = v[len(v)-1]
		ev.MultiValueHeaders[k] = v
	}
	if q := x.r.URL.Query(); len(q) > 0 {
		ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string{}
		for k, v := range q {
			ev.QueryStringParameters[k] = v[len(v)-1]
			ev.MultiValueQueryStringParameters[k] = v
		}
	}
	if len(x.pathVars) > 0 {
		ev.PathParameters = x.pathVars
	}
	if len(x.stage.Variables) > 0 {
		ev.StageVariables = x.stage.Variables
	}
	if len(x.body) > 0 {
		ev.Body, ev.IsBase64Encoded = bodyString(x.body)
	}
	ev.RequestContext = events.APIGatewayProxyRequestContext{
		AccountID:         x.s.env.AccountID,
		ResourceID:        x.res.ID,
		Stage:             x.stage.StageName,
		DomainName:        x.domainName(),
		DomainPrefix:      x.api.ID,
		RequestID:         x.requestID,
		ExtendedRequestID: x.requestID,
		Protocol:          x.r.Proto,
		Identity:          x.requestIdentity(),
		ResourcePath:      x.res.Path,
		Path:              "/" + x.stage.StageName + x.path,
		HTTPMethod:        x.r.Method,
		RequestTime:       x.requestTime(),
		RequestTimeEpoch:  x.start.UnixMilli(),
		APIID:             x.api.ID,
		Authorizer:        x.authorizerContext,
	}
	return ev
}

func splitPort(host string) (string, string, error) {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.HasSuffix(host, "]") {
		return host, "", nil
	}
	return host[:i], host[i+1:], nil
}

// lambdaProxy runs an AWS_PROXY method: the event in, the function's
// {statusCode, headers, multiValueHeaders, body, isBase64Encoded} out; a
// failed function or a malformed answer is 502, as on AWS.
func (x *exchange) lambdaProxy(ctx context.Context) {
	payload, _ := json.Marshal(x.proxyEvent())
	res, ok := x.invokeFunction(ctx, payload)
	if !ok {
		return
	}
	if res.FunctionError != "" {
		x.gatewayError(http.StatusBadGateway, "InternalServerErrorException", "Internal server error")
		return
	}
	var out struct {
		StatusCode        *int                `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              *string             `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(res.Payload, &out); err != nil || out.StatusCode == nil || *out.StatusCode < 100 || *out.StatusCode > 599 {
		x.s.log.WithField("method", x.r.Method+" "+x.res.Path).Warn("Execution failed due to configuration error: Malformed Lambda proxy response")
		x.gatewayError(http.StatusBadGateway, "InternalServerErrorException", "Internal server error")
		return
	}
	h := x.w.Header()
	for k, vs := range out.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for k, v := range out.Headers {
		h.Set(k, v)
	}
	var body []byte
	if out.Body != nil {
		body = []byte(*out.Body)
		if out.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(*out.Body)
			if err != nil {
				x.gatewayError(http.StatusBadGateway, "InternalServerErrorException", "Internal server error")
				return
			}
			body = b
		}
	}
	x.write(*out.StatusCode, "application/json", body)
}

// awsIntegration runs an AWS method: a Lambda function (non-proxy) or
// Step Functions' StartExecution/StartSyncExecution, shaped by the mapping
// templates.
func (x *exchange) awsIntegration(ctx context.Context) {
	ctxVars := x.contextVars()
	req, ok := x.integrationBody(ctxVars)
	if !ok {
		return
	}
	uri := x.m.Integration.URI
	if _, isFn := functionARN(uri); isFn {
		res, ok := x.invokeFunction(ctx, req)
		if !ok {
			return
		}
		if res.FunctionError != "" {
			var fe struct {
				ErrorMessage string `json:"errorMessage"`
			}
			_ = json.Unmarshal(res.Payload, &fe)
			x.respond(fe.ErrorMessage, true, res.Payload, ctxVars)
			return
		}
		x.respond("", false, res.Payload, ctxVars)
		return
	}
	if _, action, ok := strings.Cut(uri, ":states:action/"); ok {
		status, body := x.startExecution(ctx, action, req)
		if status == 0 {
			return
		}
		x.respond(strconv.Itoa(status), false, body, ctxVars)
		return
	}
	x.s.log.WithField("uri", uri).Warn("the local API Gateway integrates with Lambda and Step Functions only")
	x.gatewayError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
}

// startExecution calls Step Functions in-process as the integration's
// role: the role must trust apigateway.amazonaws.com and allow the action
// on the machine, as under IAM on AWS. It returns Step Functions' status
// and body (0 when it already answered).
func (x *exchange) startExecution(ctx context.Context, action string, req []byte) (int, []byte) {
	fail := func(reason string) (int, []byte) {
		x.s.log.WithField("method", x.r.Method+" "+x.res.Path).Warn("Execution failed due to configuration error: " + reason)
		x.gatewayError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
		return 0, nil
	}
	svc, _ := x.s.env.Lookup("states")
	sfn, ok := svc.(*stepfunctions.Service)
	if !ok {
		return fail("the local cloud has no Step Functions service")
	}
	errBody := func(err error) (int, []byte) {
		e := core.AsError(err)
		b, _ := json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
		return e.Status, b
	}
	var in stepfunctions.StartExecutionInput
	if err := json.Unmarshal(req, &in); err != nil {
		return errBody(core.Errorf(http.StatusBadRequest, "SerializationException", "the integration request is not a JSON StartExecution request: %v", err))
	}
	if role := x.m.Integration.Credentials; role != "" {
		isvc, _ := x.s.env.Lookup("iam")
		ims, ok := isvc.(*iam.Service)
		if !ok {
			return fail("the local cloud has no IAM service")
		}
		if !ims.CheckTrust(role, []string{"apigateway.amazonaws.com"}, map[string]string{"aws:SourceAccount": x.s.env.AccountID}) {
			return fail("API Gateway does not have permission to assume the provided role " + role)
		}
		if err := ims.Authorize(role, "", iam.Request{Action: "states:" + action, Resource: in.StateMachineARN}); err != nil {
			return errBody(core.Errorf(http.StatusBadRequest, "AccessDeniedException", "%s", err.Error()))
		}
	}
	started := time.Now()
	defer func() { x.intLat = time.Since(started) }()
	switch action {
	case "StartExecution":
		e, err := sfn.StartExecution(in)
		if err != nil {
			return errBody(err)
		}
		b, _ := json.Marshal(map[string]any{"executionArn": e.ARN, "startDate": epochSeconds(e.StartDate)})
		return http.StatusOK, b
	case "StartSyncExecution":
		e, err := sfn.StartSyncExecution(ctx, in)
		if err != nil {
			return errBody(err)
		}
		out := map[string]any{"executionArn": e.ARN, "stateMachineArn": e.StateMachineARN, "name": e.Name,
			"startDate": epochSeconds(e.StartDate), "stopDate": epochSeconds(e.StopDate), "status": e.Status, "input": e.Input}
		if e.Status == "SUCCEEDED" {
			out["output"] = e.Output
		} else {
			out["error"], out["cause"] = e.Error, e.Cause
		}
		b, _ := json.Marshal(out)
		return http.StatusOK, b
	}
	return errBody(core.Errorf(http.StatusBadRequest, "UnknownOperationException", "the local API Gateway's Step Functions integration supports StartExecution and StartSyncExecution, not %s", action))
}

func epochSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// accessLog writes the stage's access log line, when it has one, to its
// CloudWatch Logs group.
func (x *exchange) accessLog() {
	als := x.stage.AccessLogSettings
	if als == nil || als.DestinationARN == "" || x.status == 0 {
		return
	}
	group, ok := logGroupName(als.DestinationARN)
	if !ok {
		return
	}
	c := x.contextVars()
	c.Set("status", int64(x.status))
	c.Set("responseLength", int64(x.length))
	c.Set("responseLatency", time.Since(x.start).Milliseconds())
	c.Set("integrationLatency", x.intLat.Milliseconds())
	format := als.Format
	if format == "" {
		format = `$context.requestId`
	}
	line, err := x.render(format, nil, c)
	if err != nil {
		x.s.log.WithError(err).Warn("access log format failed")
		return
	}
	select {
	case x.s.accessLogs <- accessLine{group: group, stream: x.stage.StageName, message: line, at: x.start}:
	default:
		x.s.log.Warn("access log queue full: a line was dropped")
	}
}

// logGroupName reads the group out of arn:aws:logs:R:A:log-group:NAME[:*].
func logGroupName(arn string) (string, bool) {
	_, name, ok := strings.Cut(arn, ":log-group:")
	if !ok || name == "" {
		return "", false
	}
	return strings.TrimSuffix(name, ":*"), true
}

// requestIdentity is requestContext.identity: the client, the API key it
// was admitted with, and the IAM principal of a signed request.
func (x *exchange) requestIdentity() events.APIGatewayRequestIdentity {
	id := events.APIGatewayRequestIdentity{SourceIP: x.sourceIP(), UserAgent: x.r.UserAgent()}
	if x.key != nil {
		id.APIKey, id.APIKeyID = x.key.Value, x.key.ID
	}
	if p := x.caller; p != nil {
		id.AccountID, id.AccessKey, id.Caller, id.User, id.UserArn = p.Account, p.AccessKeyID, p.UserID(), p.UserID(), p.ARN
	}
	return id
}

// resourcePolicy parses a function's resource policy once per text: it
// is read on every request and changes only with AddPermission and
// RemovePermission, which change the text.
func (s *Service) resourcePolicy(text string) (*iam.Policy, error) {
	if p, ok := s.policies.Load(text); ok {
		return p.(*iam.Policy), nil
	}
	p, err := iam.ParsePolicy(text)
	if err != nil {
		return nil, err
	}
	if s.policyCount.Add(1) > maxPolicyCache {
		// Bounded: many functions with changing policies must not grow
		// the cache without end.
		s.policies.Clear()
		s.policyCount.Store(1)
	}
	s.policies.Store(text, p)
	return p, nil
}

// maxPolicyCache bounds the parsed resource policies kept.
const maxPolicyCache = 1024
