//go:build !lambdabinary

package apigateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/service"
)

// callerCredentials are the keys the IAM tests sign with besides the
// root's test/test: a role allowed GET /iam, a role denied it explicitly,
// and an IAM user (who has no policies in the local cloud).
var callerCredentials = []local.Credential{
	{AccessKeyID: "caller", SecretAccessKey: "caller-secret", Principal: "arn:aws:iam::000000000000:role/ApiCaller"},
	{AccessKeyID: "stranger", SecretAccessKey: "stranger-secret", Principal: "arn:aws:iam::000000000000:role/Stranger"},
	{AccessKeyID: "bob", SecretAccessKey: "bob-secret", Principal: "arn:aws:iam::000000000000:user/bob"},
	{AccessKeyID: "reader", SecretAccessKey: "reader-secret", Principal: "arn:aws:iam::000000000000:role/Reader"},
}

const (
	partnerKey = "partner-key-0123456789abcdef"
	fastKey    = "fast-key-0123456789abcdefghij"
	offKey     = "disabled-key-0123456789abcdef"
)

// addAccessControl adds the routes of the access tests: GET /iam under
// IAM authorization, GET /keyed behind API keys (a plan with a quota of 3
// a day, one with a throttle of 2 at once), GET /cached behind a TOKEN
// authorizer cached for 1 s, and GET /tenant behind a REQUEST authorizer.
func addAccessControl(t testing.TB, api *service.API, fn *service.LambdaAWSInfo) {
	t.Helper()
	iamRes, _ := api.NewResource("/iam", fn)
	if _, err := iamRes.NewAuthorizedMethod("GET", service.AuthorizationIAM, 200); err != nil {
		t.Fatal(err)
	}
	keyed, _ := api.NewResource("/keyed", fn)
	km, _ := keyed.NewMethod("GET", 200)
	km.APIKeyRequired = true
	partner, _ := api.NewAPIKey("partner")
	partner.Value = partnerKey
	fast, _ := api.NewAPIKey("fast")
	fast.Value = fastKey
	off, _ := api.NewAPIKey("off")
	off.Value, off.Disabled = offKey, true
	basic, _ := api.NewUsagePlan("basic", partner, off)
	basic.Quota = &service.QuotaSettings{Limit: 3, Period: service.QuotaDay}
	burst, _ := api.NewUsagePlan("burst", fast)
	burst.Throttle = &service.ThrottleSettings{RateLimit: 0.01, BurstLimit: 2}

	cached, err := api.NewLambdaAuthorizer("cached", fn, service.AuthorizerToken)
	if err != nil {
		t.Fatal(err)
	}
	cached.ResultTTLInSeconds = 1
	cr, _ := api.NewResource("/cached", fn)
	cm, _ := cr.NewMethod("GET", 200)
	cm.Authorizer = cached
	req, err := api.NewLambdaAuthorizer("requests", fn, service.AuthorizerRequest)
	if err != nil {
		t.Fatal(err)
	}
	req.IdentitySource = "method.request.header.X-User, method.request.querystring.tenant"
	tr, _ := api.NewResource("/tenant/{id}", fn)
	tm, _ := tr.NewMethod("GET", 200)
	tm.Authorizer = req
}

// addCallerRoles adds the roles callerCredentials act as.
func addCallerRoles(tpl *cloudformation.Template) {
	statement := func(effect, resource string) map[string]any {
		return map[string]any{"Effect": effect, "Action": "execute-api:Invoke", "Resource": resource}
	}
	readAPIs := map[string]any{"Effect": "Allow", "Action": "apigateway:GET", "Resource": "arn:aws:apigateway:*::/restapis/*"}
	role := func(name string, statements ...any) *iam.Role {
		return &iam.Role{RoleName: cloudformation.String(name), AssumeRolePolicyDocument: cfn.AssumeRolePolicy("ec2.amazonaws.com"),
			Policies: []iam.Role_Policy{{PolicyName: "invoke", PolicyDocument: map[string]any{"Version": "2012-10-17", "Statement": statements}}}}
	}
	tpl.Resources["ApiCallerRole"] = role("ApiCaller", statement("Allow", "arn:aws:execute-api:*:*:*/*/GET/iam"))
	tpl.Resources["ReaderRole"] = role("Reader", readAPIs)
	tpl.Resources["StrangerRole"] = role("Stranger", statement("Allow", "arn:aws:execute-api:*:*:*"), statement("Deny", "arn:aws:execute-api:*:*:*/*/GET/iam"))
}

// signed sends a request in the path form, SigV4-signed for service with
// the given key.
func (s *stack) signed(t testing.TB, method, path, service, akid, secret string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.endpoint+"/restapis/"+s.apiID+"/v1/_user_request_"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	localtest.SignAs(t, req, service, nil, akid, secret, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func proxyEventOf(t *testing.T, body string) events.APIGatewayProxyRequest {
	t.Helper()
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return ev
}

func TestAccessControlEndToEnd(t *testing.T) {
	s := deploy(t)
	methodARN := "arn:aws:execute-api:us-east-1:********0000:" + s.apiID + "/v1/GET/iam"

	// IAM authorization, with the refusals API Gateway documents at
	// https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
	t.Run("IAM", func(t *testing.T) {
		resp, body := s.call(t, "GET", "/iam", "", false)
		if resp.StatusCode != 403 || body != `{"message":"Missing Authentication Token"}` || resp.Header.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
			t.Errorf("unsigned: %d %s %v", resp.StatusCode, body, resp.Header)
		}
		for _, c := range []struct {
			name, akid, secret, principal string
		}{
			{"root", "test", "test", "arn:aws:iam::000000000000:root"},
			{"allowed role", "caller", "caller-secret", "arn:aws:sts::000000000000:assumed-role/ApiCaller/caller"},
		} {
			resp, body := s.signed(t, "GET", "/iam", "execute-api", c.akid, c.secret)
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
				continue
			}
			if id := proxyEventOf(t, body).RequestContext.Identity; id.UserArn != c.principal || id.AccessKey != c.akid || id.AccountID != "000000000000" {
				t.Errorf("%s: requestContext.identity = %+v", c.name, id)
			}
		}
		for _, c := range []struct {
			name, service, akid, secret string
			status                      int
			want, errType               string
		}{
			{"explicit deny", "execute-api", "stranger", "stranger-secret", 403,
				`{"Message":"User: arn:aws:sts::000000000000:assumed-role/Stranger/stranger is not authorized to perform: execute-api:Invoke on resource: ` + methodARN + ` with an explicit deny"}`, "AccessDeniedException"},
			{"user without policies", "execute-api", "bob", "bob-secret", 403,
				`{"Message":"User: arn:aws:iam::000000000000:user/bob is not authorized to perform: execute-api:Invoke on resource: ` + methodARN + `"}`, "AccessDeniedException"},
			{"wrong secret", "execute-api", "caller", "nope", 403,
				`{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}`, "InvalidSignatureException"},
			{"unknown key", "execute-api", "nobody", "x", 403, `{"message":"The security token included in the request is invalid."}`, "AccessDeniedException"},
			{"another service", "es", "test", "test", 403, `{"message":"Credential should be scoped to correct service: 'execute-api'. "}`, "InvalidSignatureException"},
		} {
			resp, body := s.signed(t, "GET", "/iam", c.service, c.akid, c.secret)
			if resp.StatusCode != c.status || body != c.want || resp.Header.Get("x-amzn-ErrorType") != c.errType {
				t.Errorf("%s: %d %s (%s)\nwant %d %s (%s)", c.name, resp.StatusCode, body, resp.Header.Get("x-amzn-ErrorType"), c.status, c.want, c.errType)
			}
		}
		// Methods without IAM authorization stay public even when signed.
		if resp, body := s.signed(t, "GET", "/items/1?limit=1", "execute-api", "bob", "bob-secret"); resp.StatusCode != 200 {
			t.Errorf("signed call of a public method: %d %s", resp.StatusCode, body)
		}
	})

	// API keys and usage plans, with the gateway responses of
	// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
	t.Run("APIKeys", func(t *testing.T) {
		for _, c := range []struct{ name, key string }{{"no key", ""}, {"unknown key", "unknown-key-0123456789abcdef"}, {"disabled key", offKey}} {
			var h []string
			if c.key != "" {
				h = []string{"x-api-key", c.key}
			}
			resp, body := s.call(t, "GET", "/keyed", "", false, h...)
			if resp.StatusCode != 403 || body != `{"message":"Forbidden"}` || resp.Header.Get("x-amzn-ErrorType") != "ForbiddenException" {
				t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
			}
		}
		for i := 1; i <= 4; i++ {
			resp, body := s.call(t, "GET", "/keyed", "", false, "x-api-key", partnerKey)
			switch {
			case i <= 3 && resp.StatusCode != 200:
				t.Errorf("request %d within the quota: %d %s", i, resp.StatusCode, body)
			case i <= 3:
				if id := proxyEventOf(t, body).RequestContext.Identity; id.APIKey != partnerKey || id.APIKeyID == "" {
					t.Errorf("requestContext.identity = %+v", id)
				}
			case resp.StatusCode != 429 || body != `{"message":"Limit Exceeded"}`:
				t.Errorf("request over the quota: %d %s", resp.StatusCode, body)
			}
		}
		for i := 1; i <= 3; i++ {
			resp, body := s.call(t, "GET", "/keyed", "", false, "x-api-key", fastKey)
			if want := map[bool]int{true: 200, false: 429}[i <= 2]; resp.StatusCode != want {
				t.Errorf("burst request %d: %d %s, want %d", i, resp.StatusCode, body, want)
			}
			if i == 3 && body != `{"message":"Too Many Requests"}` {
				t.Errorf("throttled: %s", body)
			}
		}
		out := localtest.CLI(t, s.cloud, "apigateway", "get-api-keys", "--include-values")
		if !strings.Contains(out, partnerKey) || !strings.Contains(out, `"enabled": false`) {
			t.Errorf("get-api-keys: %s", out)
		}
		out = localtest.CLI(t, s.cloud, "apigateway", "get-usage-plans")
		var plans struct {
			Items []struct {
				ID        string
				APIStages []struct{ APIID, Stage string } `json:"apiStages"`
				Throttle  *struct{ RateLimit float64 }
				Quota     *struct {
					Limit  int
					Period string
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans.Items) != 2 {
			t.Fatalf("get-usage-plans: %v %s", err, out)
		}
		for _, p := range plans.Items {
			if len(p.APIStages) != 1 || p.APIStages[0].Stage != "v1" || (p.Quota == nil) == (p.Throttle == nil) {
				t.Errorf("plan %+v", p)
			}
			keys := localtest.CLI(t, s.cloud, "apigateway", "get-usage-plan-keys", "--usage-plan-id", p.ID)
			if !strings.Contains(keys, `"type": "API_KEY"`) {
				t.Errorf("get-usage-plan-keys: %s", keys)
			}
		}
	})

	// The TOKEN authorizer's result is cached for its TTL (1 s) by token.
	// See https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
	t.Run("AuthorizerCache", func(t *testing.T) {
		invocation := func(token string) string {
			resp, body := s.call(t, "GET", "/cached", "", false, "Authorization", token)
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			return proxyEventOf(t, body).RequestContext.Authorizer["invocation"].(string)
		}
		first := invocation("allow")
		if second := invocation("allow"); second != first {
			t.Errorf("the second request with the same token invoked the authorizer again (%s, %s)", first, second)
		}
		// A cached Deny applies too, and a different token is another entry.
		for range 2 {
			if resp, body := s.call(t, "GET", "/cached", "", false, "Authorization", "deny"); resp.StatusCode != 403 {
				t.Errorf("deny: %d %s", resp.StatusCode, body)
			}
		}
		time.Sleep(1100 * time.Millisecond)
		if third := invocation("allow"); third == first {
			t.Errorf("after the TTL the cached result was still used (%s)", third)
		}
	})

	// A REQUEST authorizer: identity sources from a header and a query
	// parameter, the event of events.APIGatewayCustomAuthorizerRequestTypeRequest,
	// and its context in requestContext.authorizer.
	// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
	t.Run("RequestAuthorizer", func(t *testing.T) {
		for _, c := range []struct {
			name, path string
			headers    []string
			status     int
			want       string
		}{
			{"no tenant", "/tenant/7", []string{"X-User", "ana"}, 401, `{"message":"Unauthorized"}`},
			{"no user", "/tenant/7?tenant=t1", nil, 401, `{"message":"Unauthorized"}`},
			{"unknown user", "/tenant/7?tenant=t1", []string{"X-User", "eve"}, 401, `{"message":"Unauthorized"}`},
			{"denied user", "/tenant/7?tenant=t1", []string{"X-User", "bob"}, 403, `{"Message":"User is not authorized to access this resource with an explicit deny"}`},
		} {
			resp, body := s.call(t, "GET", c.path, "", false, c.headers...)
			if resp.StatusCode != c.status || body != c.want {
				t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
			}
		}
		resp, body := s.call(t, "GET", "/tenant/7?tenant=t1", "", true, "X-User", "ana")
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		au := proxyEventOf(t, body).RequestContext.Authorizer
		if au["principalId"] != "ana" || au["tenant"] != "t1" {
			t.Errorf("requestContext.authorizer = %v", au)
		}
		var ev events.APIGatewayCustomAuthorizerRequestTypeRequest
		if err := json.Unmarshal([]byte(au["event"].(string)), &ev); err != nil {
			t.Fatal(err)
		}
		rc := ev.RequestContext
		checks := []struct {
			name      string
			got, want any
		}{
			{"type", ev.Type, "REQUEST"},
			{"methodArn", ev.MethodArn, "arn:aws:execute-api:us-east-1:000000000000:" + s.apiID + "/v1/GET/tenant/7"},
			{"resource", ev.Resource, "/tenant/{id}"},
			{"path", ev.Path, "/tenant/7"},
			{"httpMethod", ev.HTTPMethod, "GET"},
			{"headers.X-User", ev.Headers["X-User"], "ana"},
			{"multiValueHeaders.X-User", strings.Join(ev.MultiValueHeaders["X-User"], ","), "ana"},
			{"queryStringParameters.tenant", ev.QueryStringParameters["tenant"], "t1"},
			{"pathParameters.id", ev.PathParameters["id"], "7"},
			{"stageVariables.color", ev.StageVariables["color"], "green"},
			{"requestContext.accountId", rc.AccountID, "000000000000"},
			{"requestContext.apiId", rc.APIID, s.apiID},
			{"requestContext.stage", rc.Stage, "v1"},
			{"requestContext.resourcePath", rc.ResourcePath, "/tenant/{id}"},
			{"requestContext.path", rc.Path, "/v1/tenant/7"},
			{"requestContext.httpMethod", rc.HTTPMethod, "GET"},
			{"requestContext.identity.sourceIp", rc.Identity.SourceIP, "127.0.0.1"},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("event %s = %v, want %v", c.name, c.got, c.want)
			}
		}
		if rc.RequestID == "" || rc.ResourceID == "" {
			t.Errorf("requestContext incomplete: %+v", rc)
		}
		// Cached by both identity values (the default TTL, 300 s).
		again := proxyEventOf(t, must200(t, s, "/tenant/7?tenant=t1", "ana")).RequestContext.Authorizer["invocation"]
		other := proxyEventOf(t, must200(t, s, "/tenant/7?tenant=t2", "ana")).RequestContext.Authorizer["invocation"]
		if again != au["invocation"] || other == au["invocation"] {
			t.Errorf("cache: first %v, same identity %v, other tenant %v", au["invocation"], again, other)
		}
	})

	// Deleting the stack removes the keys, the plans and their links.
	t.Run("DeleteStack", func(t *testing.T) {
		localtest.CLI(t, s.cloud, "cloudformation", "delete-stack", "--stack-name", "dragons")
		localtest.CLI(t, s.cloud, "cloudformation", "wait", "stack-delete-complete", "--stack-name", "dragons")
		for _, args := range [][]string{{"get-api-keys"}, {"get-usage-plans"}, {"get-rest-apis"}} {
			out := localtest.CLI(t, s.cloud, append([]string{"apigateway"}, args...)...)
			var list struct{ Items []any }
			if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Items) != 0 {
				t.Errorf("%s after delete-stack: %v %s", args[0], err, out)
			}
		}
	})
}

func must200(t *testing.T, s *stack, path, user string) string {
	t.Helper()
	resp, body := s.call(t, "GET", path, "", false, "X-User", user)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	return body
}

// TestControlPlaneIsHeldToIAM: a role reads APIs with apigateway:GET on
// the API's path, as AWS's IAM model for API Gateway names them.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-to-api.html
func TestControlPlaneIsHeldToIAM(t *testing.T) {
	s := deploy(t)
	get := func(akid, secret, path string) int {
		req, _ := http.NewRequest("GET", s.endpoint+path, nil)
		localtest.SignAs(t, req, "apigateway", nil, akid, secret, time.Now())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// ApiCaller may only invoke /iam; it has no apigateway:GET.
	if code := get("caller", "caller-secret", "/restapis/"+s.apiID); code != 403 {
		t.Errorf("GetRestApi by a role without apigateway:GET: %d", code)
	}
	if code := get("test", "test", "/restapis/"+s.apiID); code != 200 {
		t.Errorf("GetRestApi by the root: %d", code)
	}
	if code := get("reader", "reader-secret", "/restapis/"+s.apiID+"/resources"); code != 200 {
		t.Errorf("GetResources by a role allowed apigateway:GET on /restapis/*: %d", code)
	}
	if code := get("reader", "reader-secret", "/apikeys"); code != 403 {
		t.Errorf("GetApiKeys by a role allowed only /restapis/*: %d", code)
	}
}
