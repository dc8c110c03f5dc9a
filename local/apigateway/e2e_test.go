//go:build !lambdabinary

package apigateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/sparta-go/sparta/cfn"
	cfnapi "github.com/sparta-go/sparta/cfn/apigateway"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func proxyStub(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{}, nil
}

// dragonModel is the workshop's Dragon model, as a JSON Schema draft 4.
const dragonModel = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "Dragon",
  "type": "object",
  "required": ["dragonName", "description", "family", "city", "country", "state", "neighborhood", "reportingPhoneNumber", "confirmationRequired"],
  "properties": {
    "dragonName": {"type": "string"}, "description": {"type": "string"}, "family": {"type": "string"},
    "city": {"type": "string"}, "country": {"type": "string"}, "state": {"type": "string"},
    "neighborhood": {"type": "string"}, "reportingPhoneNumber": {"type": "string"},
    "confirmationRequired": {"type": "boolean"}
  }
}`

// workshopTemplate is a mapping template in the workshop's shape: the body
// read with $input.path, an object built from its fields, passed through
// $util.escapeJavaScript as StartExecution's input, the ARN injected.
const workshopTemplate = `#set($data = $input.path('$'))
#set($input = { "dragon_name_str" : "$data.dragonName", "description_str" : "$data.description",
  "family_str" : "$data.family", "location_city_str" : "$data.city", "location_country_str" : "$data.country",
  "location_state_str" : "$data.state", "location_neighborhood_str" : "$data.neighborhood",
  "reportingPhoneNumber" : "$data.reportingPhoneNumber", "confirmationRequired" : $data.confirmationRequired})
{
  "input": "$util.escapeJavaScript($input).replaceAll("\\'", "'")",
  "stateMachineArn": "${StateMachineArn}"
}`

type greeting struct {
	Name string `json:"name"`
}

func typedStub(context.Context, greeting) (greeting, error) { return greeting{}, nil }

type stack struct {
	cloud    *local.Cloud
	apiID    string
	endpoint string
}

// deploy builds proxyecho, uploads it, and deploys a stack made by the
// framework's own emitters: a proxy function on GET /echo/{proxy+} and
// /items/{id}, a standard machine behind POST /dragons (model, the
// workshop's template) and an express machine behind POST /sync.
func deploy(t testing.TB) *stack {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a Lambda function; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/apigateway/testdata/proxyecho", Dir: "../..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
		t.Fatalf("building proxyecho: %v", err)
	}
	zipPath := filepath.Join(dir, "code.zip")
	if _, err := build.Zip(bin, zipPath); err != nil {
		t.Fatal(err)
	}
	typedBin := filepath.Join(dir, "typed", "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/apigateway/testdata/typed", Dir: "../..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: typedBin}); err != nil {
		t.Fatalf("building typed: %v", err)
	}
	typedZip := filepath.Join(dir, "typed.zip")
	if _, err := build.Zip(typedBin, typedZip); err != nil {
		t.Fatal(err)
	}
	c := localtest.Start(t, local.Options{Credentials: callerCredentials})
	cfg := localtest.Config(c)
	s3c := s3sdk.NewFromConfig(cfg, func(o *s3sdk.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3sdk.CreateBucketInput{Bucket: aws.String("artifacts")}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(zipPath)
	defer f.Close()
	if _, err := s3c.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("code.zip"), Body: f}); err != nil {
		t.Fatal(err)
	}
	tf, _ := os.Open(typedZip)
	defer tf.Close()
	if _, err := s3c.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("typed.zip"), Body: tf}); err != nil {
		t.Fatal(err)
	}

	arch, err := service.ArchitectureForGOARCH(runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	fn, err := service.NewAWSLambda("proxyecho", proxyStub, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	fn.Options = &service.LambdaFunctionOptions{Architecture: arch}
	typed, err := service.NewAWSLambda("typed", typedStub, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	typed.Options = &service.LambdaFunctionOptions{Architecture: arch}
	standard := step.NewStateMachine("sightings", step.NewPassState("accept"))
	express := step.NewStateMachine("quick", step.NewPassState("echo")).WithType(step.Express)
	failing := step.NewStateMachine("broken", step.NewFailState("fail", "Dragon.Unknown", "no such dragon")).WithType(step.Express)

	stage := service.NewStage("v1")
	stage.Variables["color"] = "green"
	stage.AccessLogging = true
	api := service.NewAPIGateway("dragons", stage)
	api.CORSEnabled = true
	echo, _ := api.NewResource("/echo/{proxy+}", fn)
	echo.NewMethod("ANY", 200)
	items, _ := api.NewResource("/items/{id}", fn)
	get, _ := items.NewMethod("GET", 200)
	get.Parameters["method.request.querystring.limit"] = true
	dr, _ := api.NewStateMachineResource("/dragons", standard)
	post, _ := dr.NewMethod("POST", 200)
	post.Models["application/json"] = &service.Model{Name: "Dragon", Schema: dragonModel}
	post.Integration.RequestTemplates["application/json"] = workshopTemplate
	au, err := api.NewLambdaAuthorizer("tokens", fn, service.AuthorizerToken)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := api.NewResource("/secret", fn)
	sm, _ := secret.NewMethod("GET", 200)
	sm.Authorizer = au
	addAccessControl(t, api, fn)
	greet, _ := api.NewResource("/greet", typed)
	greet.NewMethod("POST", 201)
	sr, _ := api.NewStateMachineResource("/sync", express)
	sr.NewMethod("POST", 200)
	br, _ := api.NewStateMachineResource("/broken", failing)
	br.NewMethod("POST", 200)

	tpl := cfn.NewServiceTemplate("apigateway e2e", "b1", "dev")
	cfn.AddFunction(tpl, "dragons", fn, service.Artifact{Bucket: "artifacts", Key: "code.zip"})
	cfn.AddFunction(tpl, "dragons", typed, service.Artifact{Bucket: "artifacts", Key: "typed.zip"})
	addCallerRoles(tpl)
	sc := &service.ServiceContext{Service: "dragons", Template: tpl, Lambdas: []*service.LambdaAWSInfo{fn, typed}, Values: map[string]any{}}
	for _, d := range []service.ServiceDecoratorHookHandler{standard.StateMachineDecorator(), express.StateMachineDecorator(), failing.StateMachineDecorator(), cfnapi.Decorator(api)} {
		if err := d.DecorateService(ctx, sc); err != nil {
			t.Fatal(err)
		}
	}
	body, err := cfn.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	// The template is over CreateStack's 51,200-byte TemplateBody limit:
	// it goes through S3, as provision sends large templates.
	if _, err := s3c.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("template.json"), Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	cf := cfnsdk.NewFromConfig(cfg)
	if _, err := cf.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String("dragons"), TemplateURL: aws.String("https://artifacts.s3.amazonaws.com/template.json"),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam}}); err != nil {
		t.Fatal(err)
	}
	var outputs map[string]string
	for {
		out, err := cf.DescribeStacks(ctx, &cfnsdk.DescribeStacksInput{StackName: aws.String("dragons")})
		if err != nil {
			t.Fatal(err)
		}
		st := out.Stacks[0]
		status := string(st.StackStatus)
		if strings.HasSuffix(status, "_COMPLETE") || strings.HasSuffix(status, "_FAILED") {
			if status != "CREATE_COMPLETE" {
				ev, _ := cf.DescribeStackEvents(ctx, &cfnsdk.DescribeStackEventsInput{StackName: aws.String("dragons")})
				for _, e := range ev.StackEvents {
					if e.ResourceStatusReason != nil {
						t.Logf("%s %s: %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
					}
				}
				t.Fatalf("stack %s", status)
			}
			outputs = map[string]string{}
			for _, o := range st.Outputs {
				outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
			}
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	id := outputs[cfnapi.RestAPIIDOutput]
	if id == "" {
		t.Fatalf("no API ID in outputs %v", outputs)
	}
	return &stack{cloud: c, apiID: id, endpoint: c.Endpoint()}
}

// call sends a request in the path form (or, with host, the Host form).
func (s *stack) call(t testing.TB, method, path, body string, hostForm bool, headers ...string) (*http.Response, string) {
	t.Helper()
	url := s.endpoint + "/restapis/" + s.apiID + "/v1/_user_request_" + path
	if hostForm {
		url = s.endpoint + "/v1" + path
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if hostForm {
		req.Host = s.apiID + ".execute-api.localhost:" + s.endpoint[strings.LastIndexByte(s.endpoint, ':')+1:]
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestEndToEnd(t *testing.T) {
	s := deploy(t)

	t.Run("ProxyEventMatchesAWSShape", func(t *testing.T) {
		resp, body := s.call(t, "POST", "/echo/a/b?x=1&x=2&y=3", `{"hello":"world"}`, true, "X-Custom", "v")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		if got := resp.Header.Values("X-Echo"); len(got) != 2 {
			t.Errorf("multiValueHeaders not returned: %v", got)
		}
		checkProxyEvent(t, body, s.apiID)
	})
	t.Run("PathForm", func(t *testing.T) {
		resp, body := s.call(t, "GET", "/items/42?limit=5", "", false)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal([]byte(body), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.PathParameters["id"] != "42" || ev.Resource != "/items/{id}" || ev.StageVariables["color"] != "green" {
			t.Errorf("event %+v", ev)
		}
	})
	t.Run("RequiredParameter", func(t *testing.T) {
		resp, body := s.call(t, "GET", "/items/42", "", false)
		if resp.StatusCode != 400 || body != `{"message":"Missing required request parameters: [limit]"}` {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("UnknownRoute", func(t *testing.T) {
		resp, body := s.call(t, "GET", "/nowhere", "", false)
		if resp.StatusCode != 403 || body != `{"message":"Missing Authentication Token"}` {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("FunctionError", func(t *testing.T) {
		resp, body := s.call(t, "GET", "/echo/fail", "", false)
		if resp.StatusCode != 502 || body != `{"message":"Internal server error"}` {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("LambdaAuthorizer", func(t *testing.T) {
		for _, c := range []struct {
			token, want string
			status      int
		}{
			{"", `{"message":"Unauthorized"}`, 401},
			{"unauthorized", `{"message":"Unauthorized"}`, 401},
			{"deny", `{"Message":"User is not authorized to access this resource with an explicit deny"}`, 403},
			{"nobody", `{"Message":"User is not authorized to access this resource"}`, 403},
		} {
			var headers []string
			if c.token != "" {
				headers = []string{"Authorization", c.token}
			}
			resp, body := s.call(t, "GET", "/secret", "", false, headers...)
			if resp.StatusCode != c.status || body != c.want {
				t.Errorf("token %q: %d %s", c.token, resp.StatusCode, body)
			}
		}
		resp, body := s.call(t, "GET", "/secret", "", false, "Authorization", "allow")
		if resp.StatusCode != 200 {
			t.Fatalf("allow: %d %s", resp.StatusCode, body)
		}
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal([]byte(body), &ev); err != nil {
			t.Fatal(err)
		}
		if a := ev.RequestContext.Authorizer; a["principalId"] != "ana-principal" || a["user"] != "ana" {
			t.Errorf("requestContext.authorizer = %v", a)
		}
	})
	t.Run("TypedHandler", func(t *testing.T) {
		resp, body := s.call(t, "POST", "/greet", `{"name": "Ana"}`, false)
		if resp.StatusCode != 201 || body != `{"greeting":"Hello, Ana"}` || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%d %s %v", resp.StatusCode, body, resp.Header)
		}
		resp, body = s.call(t, "POST", "/greet", `{"name": "fail"}`, false)
		if resp.StatusCode != 500 || !strings.Contains(body, "typed: asked to fail") {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("CORSPreflight", func(t *testing.T) {
		resp, body := s.call(t, "OPTIONS", "/dragons", "", false)
		if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Allow-Methods") == "" {
			t.Errorf("%d %v %s", resp.StatusCode, resp.Header, body)
		}
	})
	t.Run("InvalidSightingIsRefusedByTheModel", func(t *testing.T) {
		resp, body := s.call(t, "POST", "/dragons", `{"dragonName": "Frank"}`, false)
		if resp.StatusCode != 400 || body != `{"message":"Invalid request body"}` {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
		resp, body = s.call(t, "POST", "/dragons", `not json`, false)
		if resp.StatusCode != 400 || body != `{"message":"Invalid request body"}` {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("ValidSightingStartsAnExecution", func(t *testing.T) {
		sighting := `{"dragonName": "Frank", "description": "Frank's new dragon", "family": "purple", "city": "Dallas", "country": "USA",
			"state": "TX", "neighborhood": "Downtown", "reportingPhoneNumber": "15555555555", "confirmationRequired": true}`
		resp, body := s.call(t, "POST", "/dragons", sighting, true)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		var out struct {
			ExecutionArn string  `json:"executionArn"`
			StartDate    float64 `json:"startDate"`
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil || !strings.Contains(out.ExecutionArn, ":execution:") || out.StartDate == 0 {
			t.Fatalf("%s (%v)", body, err)
		}
		e := waitExecution(t, s, out.ExecutionArn)
		want := `{"dragon_name_str":"Frank","description_str":"Frank's new dragon","family_str":"purple","location_city_str":"Dallas",` +
			`"location_country_str":"USA","location_state_str":"TX","location_neighborhood_str":"Downtown","reportingPhoneNumber":"15555555555","confirmationRequired":true}`
		if e.Status != "SUCCEEDED" || e.Input != want {
			t.Errorf("execution %s input %s, want %s", e.Status, e.Input, want)
		}
	})
	t.Run("ExpressMachineAnswersWithItsOutput", func(t *testing.T) {
		resp, body := s.call(t, "POST", "/sync", `{"n": 7}`, false)
		if resp.StatusCode != 200 || strings.TrimSpace(body) != `{"n":7}` {
			t.Errorf("%d %q", resp.StatusCode, body)
		}
		resp, body = s.call(t, "POST", "/broken", `{}`, false)
		if resp.StatusCode != 500 || !strings.Contains(body, `"error": "Dragon.Unknown"`) {
			t.Errorf("%d %q", resp.StatusCode, body)
		}
	})
	t.Run("UnsupportedMediaType", func(t *testing.T) {
		resp, body := s.call(t, "POST", "/sync", `x=1`, false, "Content-Type", "application/x-www-form-urlencoded")
		if resp.StatusCode != 415 {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("AccessLogs", func(t *testing.T) {
		// Access logs are written asynchronously, as on AWS.
		found := false
		for deadline := time.Now().Add(5 * time.Second); !found && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			for _, g := range s.cloud.Logs().Groups() {
				if evs, err := s.cloud.Logs().Events(g, "v1"); err == nil && len(evs) > 0 {
					found = strings.Contains(evs[0].Message, `"httpMethod":"`)
				}
			}
		}
		if !found {
			t.Error("no access log line")
		}
	})
	t.Run("CLI", func(t *testing.T) {
		out := localtest.CLI(t, s.cloud, "apigateway", "get-rest-apis")
		if !strings.Contains(out, s.apiID) || !strings.Contains(out, `"name": "dragons-dragons"`) {
			t.Errorf("get-rest-apis: %s", out)
		}
		out = localtest.CLI(t, s.cloud, "apigateway", "get-resources", "--rest-api-id", s.apiID)
		var res struct {
			Items []struct {
				ID, Path        string
				ResourceMethods map[string]any
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		paths := map[string]string{}
		for _, r := range res.Items {
			paths[r.Path] = r.ID
		}
		for _, p := range []string{"/", "/dragons", "/echo/{proxy+}", "/items/{id}", "/sync"} {
			if paths[p] == "" {
				t.Errorf("get-resources lacks %s: %s", p, out)
			}
		}
		out = localtest.CLI(t, s.cloud, "apigateway", "get-method", "--rest-api-id", s.apiID, "--resource-id", paths["/dragons"], "--http-method", "POST")
		if !strings.Contains(out, "states:action/StartExecution") || !strings.Contains(out, `"requestValidatorId"`) {
			t.Errorf("get-method: %s", out)
		}
		out = localtest.CLI(t, s.cloud, "apigateway", "get-stages", "--rest-api-id", s.apiID)
		if !strings.Contains(out, `"stageName": "v1"`) {
			t.Errorf("get-stages: %s", out)
		}
		out = localtest.CLI(t, s.cloud, "apigateway", "get-deployments", "--rest-api-id", s.apiID)
		if !strings.Contains(out, `"id"`) {
			t.Errorf("get-deployments: %s", out)
		}
	})
}

type execution struct{ Status, Input, Output string }

func waitExecution(t *testing.T, s *stack, arn string) execution {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		out := localtest.CLI(t, s.cloud, "stepfunctions", "describe-execution", "--execution-arn", arn)
		var e struct{ Status, Input, Output string }
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			t.Fatal(err)
		}
		if e.Status != "RUNNING" {
			return execution(e)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("execution %s still running", arn)
	return execution{}
}

// checkProxyEvent compares the event proxyecho received with AWS's
// documented proxy event, field for field: every field of aws-lambda-go's
// events.APIGatewayProxyRequest is present, with the values AWS would send.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
func checkProxyEvent(t *testing.T, body, apiID string) {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
		"multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("event lacks %s", k)
		}
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	rc := ev.RequestContext
	checks := []struct {
		name      string
		got, want any
	}{
		{"resource", ev.Resource, "/echo/{proxy+}"},
		{"path", ev.Path, "/echo/a/b"},
		{"httpMethod", ev.HTTPMethod, "POST"},
		{"headers.X-Custom", ev.Headers["X-Custom"], "v"},
		{"headers.Host", ev.Headers["Host"], apiID + ".execute-api.localhost:" + strings.Split(ev.Headers["Host"], ":")[1]},
		{"queryStringParameters.x (last value)", ev.QueryStringParameters["x"], "2"},
		{"multiValueQueryStringParameters.x", fmt.Sprint(ev.MultiValueQueryStringParameters["x"]), "[1 2]"},
		{"pathParameters.proxy", ev.PathParameters["proxy"], "a/b"},
		{"stageVariables.color", ev.StageVariables["color"], "green"},
		{"body", ev.Body, `{"hello":"world"}`},
		{"isBase64Encoded", ev.IsBase64Encoded, false},
		{"requestContext.accountId", rc.AccountID, "000000000000"},
		{"requestContext.apiId", rc.APIID, apiID},
		{"requestContext.stage", rc.Stage, "v1"},
		{"requestContext.resourcePath", rc.ResourcePath, "/echo/{proxy+}"},
		{"requestContext.path", rc.Path, "/v1/echo/a/b"},
		{"requestContext.httpMethod", rc.HTTPMethod, "POST"},
		{"requestContext.protocol", rc.Protocol, "HTTP/1.1"},
		{"requestContext.identity.sourceIp", rc.Identity.SourceIP, "127.0.0.1"},
		{"requestContext.domainPrefix", rc.DomainPrefix, apiID},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if rc.RequestID == "" || rc.ResourceID == "" || rc.RequestTimeEpoch == 0 || rc.RequestTime == "" || ev.Headers["X-Forwarded-For"] == "" {
		t.Errorf("requestContext incomplete: %+v", rc)
	}
}
