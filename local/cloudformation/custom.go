package cloudformation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Custom resources: AWS::CloudFormation::CustomResource and Custom::*
// types, backed by a Lambda function named by ServiceToken. For each
// Create, Update and Delete the function is sent AWS's request object,
// whose ResponseURL is an endpoint of this service with a one-time token;
// the operation waits for the function to PUT its response object there,
// up to ServiceTimeout seconds or Config.CustomResourceTimeout. SUCCESS
// gives the physical ID (Ref) and Data (Fn::GetAtt); FAILED fails the
// resource with the Reason. A new physical ID in an Update's response
// replaces the resource: the old one gets a Delete in the cleanup phase.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-custom-resources.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html and
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html

// CustomResourceType is the type of custom resources; Custom::NAME types
// are served by the same provider.
const CustomResourceType = "AWS::CloudFormation::CustomResource"

// DefaultCustomResourceTimeout is how long a custom resource operation
// waits for the response object: CloudFormation's one hour.
const DefaultCustomResourceTimeout = time.Hour

// CustomResponsePath is the path prefix of custom resources' ResponseURLs.
const CustomResponsePath = "/cloudformation-custom-resource-response/"

// maxCustomResponse is the largest response object CloudFormation takes.
const maxCustomResponse = 4096

// FunctionInvoker runs the Lambda function behind a custom resource. The
// local cloud wires it to its Lambda service.
type FunctionInvoker interface {
	// InvokeFunction invokes the function (by ARN) with payload and
	// returns when it has run: functionError is "" when it succeeded,
	// else Lambda's FunctionError with result holding the error document.
	// An error means the function could not be invoked (it does not
	// exist, the service refused).
	InvokeFunction(ctx context.Context, functionARN string, payload []byte) (functionError string, result []byte, err error)
}

// isCustomType reports whether typ is served by the custom resource
// provider.
func isCustomType(typ string) bool {
	return typ == CustomResourceType || strings.HasPrefix(typ, "Custom::")
}

// customResponse is a response object.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
type customResponse struct {
	Status             string
	Reason             string
	PhysicalResourceID string `json:"PhysicalResourceId"`
	StackID            string `json:"StackId"`
	RequestID          string `json:"RequestId"`
	LogicalResourceID  string `json:"LogicalResourceId"`
	NoEcho             any
	Data               map[string]any
}

// delivery is what arrived at a response URL: a response, or why it is
// not one.
type delivery struct {
	resp customResponse
	err  error
}

// pendingRequest is a request waiting for its response object.
type pendingRequest struct {
	stackID, requestID, logicalID string
	ch                            chan delivery
}

// customResponses holds the requests waiting for a response, by the
// SHA-256 of their token: the token itself is never kept, and looking up
// a hash reveals nothing about how close a guess came.
type customResponses struct {
	mu      sync.Mutex
	pending map[[32]byte]*pendingRequest
}

// register makes a new one-time token for p.
func (c *customResponses) register(p *pendingRequest) (token string, unregister func()) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	token = base64.RawURLEncoding.EncodeToString(b[:])
	key := sha256.Sum256([]byte(token))
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[[32]byte]*pendingRequest{}
	}
	c.pending[key] = p
	c.mu.Unlock()
	return token, func() {
		c.mu.Lock()
		delete(c.pending, key)
		c.mu.Unlock()
	}
}

// take removes and returns the request of token: a token serves once.
func (c *customResponses) take(token string) *pendingRequest {
	key := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pending[key]
	delete(c.pending, key)
	return p
}

// Match claims the unsigned PUTs of custom resource response objects.
func (s *Service) Match(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, CustomResponsePath)
}

// Public serves the response URLs without SigV4, as a presigned URL is:
// the one-time token in the path is the credential.
func (s *Service) Public(r *http.Request) bool { return s.Match(r) }

// ServeHTTP serves response URLs, and the CloudFormation API otherwise.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.Match(r) {
		s.serveCustomResponse(w, r)
		return
	}
	s.QueryService.ServeHTTP(w, r)
}

// serveCustomResponse takes a response object. Whoever holds the token
// may answer once; anything else is refused as S3 refuses a bad presigned
// URL, and nothing about pending requests is revealed.
func (s *Service) serveCustomResponse(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimPrefix(r.URL.Path, CustomResponsePath)
	if r.Method != http.MethodPut {
		core.WriteRESTXMLError(w, r, core.Errorf(http.StatusMethodNotAllowed, "MethodNotAllowed",
			"The specified method is not allowed against this resource: a custom resource response is a PUT"))
		return
	}
	var p *pendingRequest
	if token != "" && !strings.Contains(token, "/") {
		p = s.custom.take(token)
	}
	if p == nil {
		core.WriteRESTXMLError(w, r, core.Errorf(http.StatusForbidden, "AccessDenied",
			"Request has expired: this response URL is unknown, already used, or its request timed out"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxCustomResponse+1))
	var d delivery
	switch {
	case err != nil:
		d.err = fmt.Errorf("reading the response object: %w", err)
	case len(body) > maxCustomResponse:
		d.err = errors.New("Response object is too long.")
	default:
		d.resp, d.err = parseCustomResponse(body, p)
	}
	p.ch <- d // buffered: one delivery per token
	w.Header().Set("ETag", `"`+fmt.Sprintf("%x", sha256.Sum256(body))[:32]+`"`)
	w.WriteHeader(http.StatusOK)
}

// parseCustomResponse checks a response object against its request.
func parseCustomResponse(body []byte, p *pendingRequest) (customResponse, error) {
	var resp customResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return resp, fmt.Errorf("Invalid response object: the response is not a JSON object: %v", err)
	}
	var problems []string
	if resp.Status != "SUCCESS" && resp.Status != "FAILED" {
		problems = append(problems, fmt.Sprintf("Status %q is not SUCCESS or FAILED", resp.Status))
	}
	if resp.StackID != p.stackID {
		problems = append(problems, fmt.Sprintf("StackId %q is not the request's", resp.StackID))
	}
	if resp.RequestID != p.requestID {
		problems = append(problems, fmt.Sprintf("RequestId %q is not the request's", resp.RequestID))
	}
	if resp.LogicalResourceID != p.logicalID {
		problems = append(problems, fmt.Sprintf("LogicalResourceId %q is not the request's", resp.LogicalResourceID))
	}
	if len(resp.PhysicalResourceID) > 1024 {
		problems = append(problems, "PhysicalResourceId is longer than 1 KB")
	}
	if len(problems) > 0 {
		return resp, fmt.Errorf("Invalid response object: %s", strings.Join(problems, "; "))
	}
	return resp, nil
}

// customProvider sends a custom resource's requests to its function.
type customProvider struct{ s *Service }

var _ resource.Provider = customProvider{}

func (p customProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	return p.s.customRequest(ctx, "Create", req)
}

func (p customProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	if !resource.Equal(req.OldProperties["ServiceToken"], req.Properties["ServiceToken"]) {
		return resource.Result{}, errors.New("Modifying service token is not allowed.")
	}
	return p.s.customRequest(ctx, "Update", req)
}

func (p customProvider) Delete(ctx context.Context, req resource.Request) error {
	_, err := p.s.customRequest(ctx, "Delete", req)
	return err
}

// RequiresReplacement is false: the function decides, by answering an
// Update with a new physical ID.
func (customProvider) RequiresReplacement(_, _ map[string]any) bool { return false }

// customRequest sends one request to the function and waits for its
// response object.
func (s *Service) customRequest(ctx context.Context, requestType string, req resource.Request) (resource.Result, error) {
	props := req.Properties
	serviceToken, _ := props["ServiceToken"].(string)
	if serviceToken == "" {
		return resource.Result{}, fmt.Errorf("Properties validation failed for resource %s with message: #: required key [ServiceToken] not found", req.LogicalID)
	}
	if err := s.checkServiceToken(serviceToken); err != nil {
		return resource.Result{}, err
	}
	if s.cfg.Functions == nil || s.cfg.Endpoint == "" {
		return resource.Result{}, errors.New("custom resources need the local cloud's Lambda service and endpoint, which this CloudFormation service was not given")
	}
	timeout := s.cfg.CustomResourceTimeout
	if v, ok := props["ServiceTimeout"]; ok {
		n, err := strconv.Atoi(fmt.Sprint(v))
		if err != nil || n < 1 || n > 3600 {
			return resource.Result{}, fmt.Errorf("Properties validation failed for resource %s with message: #/ServiceTimeout: %v is not an integer from 1 to 3600", req.LogicalID, v)
		}
		timeout = time.Duration(n) * time.Second
	}

	requestID := core.NewRequestID()
	pending := &pendingRequest{stackID: req.StackID, requestID: requestID, logicalID: req.LogicalID, ch: make(chan delivery, 1)}
	token, unregister := s.custom.register(pending)
	defer unregister()
	event := map[string]any{
		"RequestType":        requestType,
		"ServiceToken":       serviceToken,
		"ResponseURL":        strings.TrimSuffix(s.cfg.Endpoint, "/") + CustomResponsePath + token,
		"StackId":            req.StackID,
		"RequestId":          requestID,
		"LogicalResourceId":  req.LogicalID,
		"ResourceType":       req.Type,
		"ResourceProperties": stringProperties(props),
	}
	if requestType != "Create" {
		event["PhysicalResourceId"] = req.PhysicalID
	}
	if requestType == "Update" {
		event["OldResourceProperties"] = stringProperties(req.OldProperties)
	}
	payload, err := json.Marshal(event)
	if err != nil {
		return resource.Result{}, err
	}

	// The function runs beside the wait: it may answer before it returns,
	// and its own failure does not end the wait (CloudFormation waits for
	// a response that never comes), but is kept for the timeout's reason.
	type invoked struct {
		functionError string
		result        []byte
		err           error
	}
	done := make(chan invoked, 1)
	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		fe, res, err := s.cfg.Functions.InvokeFunction(callCtx, serviceToken, payload)
		done <- invoked{fe, res, err}
	}()
	log := s.log.WithField("resource", req.LogicalID).WithField("requestId", requestID)
	log.Infof("custom resource %s: %s request sent to %s", req.LogicalID, requestType, serviceToken)

	limit := time.NewTimer(timeout)
	defer limit.Stop()
	var failure string
	for {
		select {
		case d := <-pending.ch:
			return customResult(requestType, req, d, requestID)
		case inv := <-done:
			done = nil
			if inv.err != nil {
				return resource.Result{}, fmt.Errorf("invoking the custom resource's function %s: %w", serviceToken, inv.err)
			}
			if inv.functionError != "" {
				failure = fmt.Sprintf(" (locally: the function failed without sending a response: %s %s)", inv.functionError, truncate(string(inv.result), 512))
				log.Warnf("custom resource %s: the function failed without sending a response; CloudFormation waits %s for one, as on AWS: %s", req.LogicalID, timeout, inv.result)
			}
		case <-limit.C:
			return resource.Result{}, fmt.Errorf("CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [%s]. "+
				"If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.%s", requestID, failure)
		case <-ctx.Done():
			return resource.Result{}, ctx.Err()
		}
	}
}

// customResult turns a delivered response into the provider's result.
func customResult(requestType string, req resource.Request, d delivery, requestID string) (resource.Result, error) {
	if d.err != nil {
		return resource.Result{}, d.err
	}
	r := d.resp
	if r.Status == "FAILED" {
		err := fmt.Errorf("Received response status [FAILED] from custom resource. Message returned: %s (RequestId: %s)", r.Reason, requestID)
		if requestType == "Create" && r.PhysicalResourceID != "" {
			return resource.Result{}, &failedCreate{err: err, physicalID: r.PhysicalResourceID}
		}
		return resource.Result{}, err
	}
	phys := r.PhysicalResourceID
	if phys == "" {
		if requestType == "Create" {
			return resource.Result{}, errors.New("Invalid PhysicalResourceId")
		}
		phys = req.PhysicalID
	}
	attrs := make(map[string]any, len(r.Data))
	for k, v := range r.Data {
		attrs[k] = v
	}
	return resource.Result{PhysicalID: phys, Attributes: attrs}, nil
}

// failedCreate is a Create that failed with a physical ID: CloudFormation
// keeps the ID, so that the rollback sends the function a Delete for what
// it may have made.
type failedCreate struct {
	err        error
	physicalID string
}

func (e *failedCreate) Error() string { return e.err.Error() }
func (e *failedCreate) Unwrap() error { return e.err }

// checkServiceToken refuses what is not a Lambda function of this cloud.
func (s *Service) checkServiceToken(token string) error {
	parts := strings.Split(token, ":")
	if len(parts) >= 6 && parts[0] == "arn" && parts[2] == "sns" {
		return fmt.Errorf("ServiceToken %s is an SNS topic: the local cloud runs custom resources backed by Lambda functions only; "+
			"point ServiceToken at the function's ARN", token)
	}
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
		return fmt.Errorf("Invalid service token: %s is not the ARN of a Lambda function (arn:aws:lambda:REGION:ACCOUNT:function:NAME)", token)
	}
	if parts[3] != s.cfg.Region {
		return fmt.Errorf("Invalid service token: %s is in region %s; the local cloud runs %s", token, parts[3], s.cfg.Region)
	}
	return nil
}

// stringProperties is ResourceProperties as CloudFormation sends them:
// every number and boolean becomes a string.
func stringProperties(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		out[k] = stringValue(v)
	}
	return out
}

func stringValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return stringProperties(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stringValue(e)
		}
		return out
	case string, nil:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// customAttributeError is Fn::GetAtt of a key the response's Data lacks.
func customAttributeError(stackID, logicalID, attr string, data map[string]any) error {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Errorf("CustomResource attribute error: Vendor response doesn't contain %s key in object %s|%s (its Data has: %s)",
		attr, stackID, logicalID, strings.Join(keys, ", "))
}
