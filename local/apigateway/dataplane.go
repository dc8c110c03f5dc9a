package apigateway

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sparta-go/sparta/local/apigateway/internal/vtl"
	"github.com/sparta-go/sparta/local/core"
)

// maxPayload is API Gateway's limit on a request body (10 MB).
const maxPayload = 10 << 20

// defaultTimeout is API Gateway's default integration timeout (29 s).
const defaultTimeout = 29 * time.Second

// router is a deployment compiled for serving.
type router struct {
	routes      []route
	schemas     map[string]*jsonschema.Schema // by model name
	validators  map[string]*validator
	authorizers map[string]*authorizer
	templates   sync.Map // template text -> *vtl.Template or error
}

type route struct {
	res  *apiResource
	segs []string
}

// routerFor returns the compiled router of a deployment, compiling it once.
func (s *Service) routerFor(apiID string, d *deployment) *router {
	key := apiID + "/" + d.ID
	s.mu.RLock()
	rt := s.compiled[key]
	s.mu.RUnlock()
	if rt != nil {
		return rt
	}
	rt = &router{schemas: map[string]*jsonschema.Schema{}, validators: d.Validators, authorizers: d.Authorizers}
	for _, r := range d.Resources {
		rt.routes = append(rt.routes, route{res: r, segs: segments(r.Path)})
	}
	// Most specific first: literal parts before {param}, {param} before
	// {proxy+}, then longer paths first.
	sort.Slice(rt.routes, func(i, j int) bool { return lessSpecific(rt.routes[j].segs, rt.routes[i].segs) })
	for name, m := range d.Models {
		if sch, err := compileSchema(m.Schema); err == nil {
			rt.schemas[name] = sch
		}
	}
	s.mu.Lock()
	s.compiled[key] = rt
	s.mu.Unlock()
	return rt
}

func segments(path string) []string {
	p := strings.Trim(path, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func rank(seg string) int {
	switch {
	case strings.HasSuffix(seg, "+}"):
		return 0
	case strings.HasPrefix(seg, "{"):
		return 1
	}
	return 2
}

// lessSpecific reports whether a is less specific than b.
func lessSpecific(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if ra, rb := rank(a[i]), rank(b[i]); ra != rb {
			return ra < rb
		}
	}
	return len(a) < len(b)
}

// match finds the resource of a request path and its path parameters.
func (rt *router) match(path string) (*apiResource, map[string]string) {
	req := segments(path)
	for _, r := range rt.routes {
		if params, ok := matchSegments(r.segs, req); ok {
			return r.res, params
		}
	}
	return nil, nil
}

func matchSegments(pattern, req []string) (map[string]string, bool) {
	var params map[string]string
	for i, p := range pattern {
		if strings.HasSuffix(p, "+}") {
			if i >= len(req) {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[strings.TrimSuffix(p[1:], "+}")] = strings.Join(req[i:], "/")
			return params, true
		}
		if i >= len(req) {
			return nil, false
		}
		if strings.HasPrefix(p, "{") {
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = req[i]
			continue
		}
		if p != req[i] {
			return nil, false
		}
	}
	return params, len(pattern) == len(req)
}

func (rt *router) template(text string) (*vtl.Template, error) {
	if v, ok := rt.templates.Load(text); ok {
		if err, isErr := v.(error); isErr {
			return nil, err
		}
		return v.(*vtl.Template), nil
	}
	t, err := vtl.Parse(text)
	if err != nil {
		rt.templates.Store(text, err)
		return nil, err
	}
	rt.templates.Store(text, t)
	return t, nil
}

// exchange is one request through the data plane.
type exchange struct {
	s         *Service
	w         http.ResponseWriter
	r         *http.Request
	api       *restAPI
	stage     *stage
	rt        *router
	res       *apiResource
	m         *method
	path      string // the path after the stage
	pathVars  map[string]string
	body      []byte
	requestID string
	start     time.Time
	status    int
	length    int
	intLat    time.Duration
	// authorizerContext is what a Lambda authorizer allowed the request
	// with: principalId and its context.
	authorizerContext map[string]any
	// caller is the principal of a request signed for an AWS_IAM method.
	caller *core.Principal
	// key is the API key the request was admitted with.
	key *apiKey
}

// gatewayError is a response API Gateway itself writes.
func (x *exchange) gatewayError(status int, errType, message string) {
	x.w.Header().Set("x-amzn-ErrorType", errType)
	x.writeJSON(status, map[string]string{"message": message})
}

func (x *exchange) writeJSON(status int, v any) {
	b, _ := json.Marshal(v)
	x.write(status, "application/json", b)
}

func (x *exchange) write(status int, contentType string, body []byte) {
	h := x.w.Header()
	if contentType != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("x-amzn-RequestId", x.requestID)
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
	x.status, x.length = status, len(body)
}

func (s *Service) serveDataPlane(w http.ResponseWriter, r *http.Request, apiID, rest string) {
	x := &exchange{s: s, w: w, r: r, start: time.Now(), requestID: core.NewRequestID()}
	if call := core.CallFrom(r.Context()); call != nil {
		call.SetOperation("Invoke " + r.Method)
	}
	stageName, path, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	x.path = "/" + path
	s.mu.RLock()
	a := s.apis[apiID]
	var d *deployment
	if a != nil {
		x.api = a
		x.stage = a.Stages[stageName]
		if x.stage != nil {
			d = a.Deployments[x.stage.DeploymentID]
		}
	}
	s.mu.RUnlock()
	switch {
	case a == nil:
		x.gatewayError(http.StatusNotFound, "NotFoundException", "the local API Gateway has no API "+apiID)
		return
	case x.stage == nil || d == nil:
		x.gatewayError(http.StatusForbidden, "ForbiddenException", "Forbidden")
		return
	}
	defer x.accessLog()
	x.rt = s.routerFor(apiID, d)
	x.res, x.pathVars = x.rt.match(x.path)
	if x.res != nil {
		if x.m = x.res.Methods[r.Method]; x.m == nil {
			x.m = x.res.Methods["ANY"]
		}
	}
	if x.m == nil || x.m.Integration == nil {
		// AWS answers an unknown route this way, not with 404.
		x.gatewayError(http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
		return
	}
	// IAM authorization verifies the signature, which covers the body,
	// before anything else reads it.
	if x.m.AuthorizationType == "AWS_IAM" && !x.authorizeIAM() {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil {
		x.gatewayError(http.StatusBadRequest, "BadRequestException", "the request body could not be read")
		return
	}
	if len(body) > maxPayload {
		x.gatewayError(http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request Too Long")
		return
	}
	x.body = body
	timeout := defaultTimeout
	if ms := x.m.Integration.TimeoutInMillis; ms > 0 {
		timeout = time.Duration(ms) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	if x.m.AuthorizationType == "CUSTOM" && !x.authorize(ctx) {
		return
	}
	if x.m.APIKeyRequired && !x.checkAPIKey() {
		return
	}
	if !x.validate() {
		return
	}
	switch x.m.Integration.Type {
	case "AWS_PROXY":
		x.lambdaProxy(ctx)
	case "AWS":
		x.awsIntegration(ctx)
	case "MOCK":
		x.mock()
	default:
		x.gatewayError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
	}
}

// mediaType is the request's content type without parameters, or
// application/json when there is none (API Gateway's default).
func (x *exchange) mediaType() string {
	mt, _, err := mime.ParseMediaType(x.r.Header.Get("Content-Type"))
	if err != nil || mt == "" {
		return "application/json"
	}
	return mt
}

// validate applies the method's request validator: required parameters,
// then the body against the model of its content type.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
func (x *exchange) validate() bool {
	v := x.rt.validators[x.m.RequestValidatorID]
	if v == nil {
		return true
	}
	if v.ValidateRequestParameters {
		var missing []string
		for _, k := range sortedKeys(x.m.RequestParameters) {
			if !x.m.RequestParameters[k] {
				continue
			}
			if !x.hasParameter(k) {
				missing = append(missing, k[strings.LastIndexByte(k, '.')+1:])
			}
		}
		if len(missing) > 0 {
			x.gatewayError(http.StatusBadRequest, "BadRequestException", "Missing required request parameters: ["+strings.Join(missing, ", ")+"]")
			return false
		}
	}
	if v.ValidateRequestBody {
		name, ok := x.m.RequestModels[x.mediaType()]
		if !ok {
			name, ok = x.m.RequestModels["$default"]
		}
		if ok {
			sch := x.rt.schemas[name]
			if sch == nil || validBody(sch, x.body) != nil {
				x.gatewayError(http.StatusBadRequest, "BadRequestException", "Invalid request body")
				return false
			}
		}
	}
	return true
}

func (x *exchange) hasParameter(key string) bool {
	parts := strings.SplitN(key, ".", 4)
	if len(parts) != 4 {
		return false
	}
	switch name := parts[3]; parts[2] {
	case "querystring", "multivaluequerystring":
		return x.r.URL.Query().Has(name)
	case "header", "multivalueheader":
		return x.r.Header.Get(name) != ""
	case "path":
		_, ok := x.pathVars[name]
		return ok
	}
	return false
}

// sourceIP is the client's address.
func (x *exchange) sourceIP() string {
	host, _, err := net.SplitHostPort(x.r.RemoteAddr)
	if err != nil {
		return x.r.RemoteAddr
	}
	return host
}

func (x *exchange) requestTime() string { return x.start.UTC().Format("02/Jan/2006:15:04:05 -0700") }

// domainName is the Host the client used.
func (x *exchange) domainName() string { return x.r.Host }

// contextVars is $context, as mapping templates and access logs read it.
func (x *exchange) contextVars() *vtl.Map {
	c := vtl.NewMap()
	c.Set("accountId", x.s.env.AccountID)
	c.Set("apiId", x.api.ID)
	c.Set("domainName", x.domainName())
	c.Set("domainPrefix", x.api.ID)
	c.Set("extendedRequestId", x.requestID)
	c.Set("httpMethod", x.r.Method)
	identity := vtl.NewMap()
	identity.Set("sourceIp", x.sourceIP())
	identity.Set("userAgent", x.r.UserAgent())
	if x.key != nil {
		identity.Set("apiKey", x.key.Value)
		identity.Set("apiKeyId", x.key.ID)
	}
	if p := x.caller; p != nil {
		identity.Set("accountId", p.Account)
		identity.Set("accessKey", p.AccessKeyID)
		identity.Set("caller", p.UserID())
		identity.Set("user", p.UserID())
		identity.Set("userArn", p.ARN)
	}
	c.Set("identity", identity)
	c.Set("path", "/"+x.stage.StageName+x.path)
	c.Set("protocol", x.r.Proto)
	c.Set("requestId", x.requestID)
	c.Set("requestTime", x.requestTime())
	c.Set("requestTimeEpoch", x.start.UnixMilli())
	if x.res != nil {
		c.Set("resourceId", x.res.ID)
		c.Set("resourcePath", x.res.Path)
	}
	c.Set("stage", x.stage.StageName)
	if x.authorizerContext != nil {
		au := vtl.NewMap()
		for _, k := range sortedKeys(x.authorizerContext) {
			au.Set(k, x.authorizerContext[k])
		}
		c.Set("authorizer", au)
	}
	override := vtl.NewMap()
	override.Set("header", vtl.NewMap())
	c.Set("responseOverride", override)
	return c
}

func (x *exchange) params() map[string]map[string]string {
	q := map[string]string{}
	for k, v := range x.r.URL.Query() {
		q[k] = v[len(v)-1]
	}
	h := map[string]string{}
	for k, v := range x.r.Header {
		h[k] = v[len(v)-1]
	}
	return map[string]map[string]string{"path": x.pathVars, "querystring": q, "header": h}
}

// render evaluates a mapping template over input (the request or the
// integration's response body).
func (x *exchange) render(text string, input []byte, ctxVars *vtl.Map) (string, error) {
	t, err := x.rt.template(text)
	if err != nil {
		return "", err
	}
	vars := map[string]any{
		"input":          &inputObject{body: input, params: x.params()},
		"util":           utilObject{},
		"context":        ctxVars,
		"stageVariables": stringMapValue(x.stage.Variables),
	}
	return t.Execute(vars)
}

// integrationBody shapes the integration request with the template of the
// request's content type, or passes the body through as the method's
// passthrough behaviour allows; ok is false when it answered 415.
func (x *exchange) integrationBody(ctxVars *vtl.Map) ([]byte, bool) {
	in := x.m.Integration
	if text, found := in.RequestTemplates[x.mediaType()]; found {
		out, err := x.render(text, x.body, ctxVars)
		if err != nil {
			x.s.log.WithError(err).Warn("request mapping template failed")
			x.gatewayError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
			return nil, false
		}
		return []byte(out), true
	}
	switch in.PassthroughBehavior {
	case "NEVER":
		x.gatewayError(http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException", "Unsupported Media Type")
		return nil, false
	case "WHEN_NO_TEMPLATES":
		if len(in.RequestTemplates) > 0 {
			x.gatewayError(http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException", "Unsupported Media Type")
			return nil, false
		}
	}
	return x.body, true
}

// respond picks the integration response (selection patterns are matched
// against match: the status code of an AWS service, a Lambda function's
// errorMessage) and applies its template and header mappings.
func (x *exchange) respond(match string, isError bool, backend []byte, ctxVars *vtl.Map) {
	var chosen *integrationResponse
	for _, k := range sortedKeys(x.m.Integration.IntegrationResponses) {
		ir := x.m.Integration.IntegrationResponses[k]
		if ir.SelectionPattern == "" {
			if chosen == nil {
				chosen = ir
			}
			continue
		}
		if re, err := regexp.Compile("^(?:" + ir.SelectionPattern + ")$"); err == nil && re.MatchString(match) {
			chosen = ir
			break
		}
	}
	if chosen == nil {
		if isError {
			x.gatewayError(http.StatusBadGateway, "InternalServerErrorException", "Internal server error")
			return
		}
		// No integration response at all: API Gateway answers 200 with
		// the backend's body.
		chosen = &integrationResponse{StatusCode: "200"}
	}
	status, _ := strconv.Atoi(chosen.StatusCode)
	body := backend
	if text, ok := chosen.ResponseTemplates["application/json"]; ok && text != "" {
		out, err := x.render(text, backend, ctxVars)
		if err != nil {
			x.s.log.WithError(err).Warn("response mapping template failed")
			x.gatewayError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
			return
		}
		body = []byte(out)
	} else if ok {
		body = nil
	}
	for k, v := range chosen.ResponseParameters {
		name, found := strings.CutPrefix(k, "method.response.header.")
		if !found {
			continue
		}
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			x.w.Header().Set(name, v[1:len(v)-1])
		}
	}
	if override, ok := ctxVars.Get("responseOverride"); ok {
		om := override.(*vtl.Map)
		if v, ok := om.Get("status"); ok {
			if n, err := strconv.Atoi(vtl.Render(v)); err == nil && n >= 100 && n <= 599 {
				status = n
			}
		}
		if hv, ok := om.Get("header"); ok {
			if hm, ok := hv.(*vtl.Map); ok {
				for _, k := range hm.Keys() {
					v, _ := hm.Get(k)
					x.w.Header().Set(k, vtl.Render(v))
				}
			}
		}
	}
	x.write(status, "application/json", body)
}

// mock answers from the integration responses alone; the request
// template's statusCode selects the response.
func (x *exchange) mock() {
	ctxVars := x.contextVars()
	body, ok := x.integrationBody(ctxVars)
	if !ok {
		return
	}
	status := "200"
	var req struct {
		StatusCode json.Number `json:"statusCode"`
	}
	if json.Unmarshal(body, &req) == nil && req.StatusCode != "" {
		status = req.StatusCode.String()
	}
	x.respond(status, false, nil, ctxVars)
}

// bodyString is a body as the proxy event carries it: text, or base64
// when it is not UTF-8.
func bodyString(b []byte) (string, bool) {
	if utf8.Valid(b) {
		return string(b), false
	}
	return encodeBase64(b), true
}
