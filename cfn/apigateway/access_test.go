//go:build !lambdabinary

package apigateway_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/cfn/apigateway"
	"github.com/sparta-go/sparta/service"
)

// accessFixture is fixture's API with every access control: a method
// under IAM authorization, one that needs an API key, a cached REQUEST
// authorizer, and a usage plan with a throttle and a quota.
func accessFixture(t testing.TB) (*service.ServiceContext, *service.API) {
	t.Helper()
	sc, api := fixture(t, false)
	fn := sc.Lambdas[0]
	admin, err := api.NewResource("/admin", fn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.NewAuthorizedMethod("GET", service.AuthorizationIAM, 200); err != nil {
		t.Fatal(err)
	}
	keyed, _ := api.NewResource("/keyed", fn)
	km, _ := keyed.NewMethod("GET", 200)
	km.APIKeyRequired = true
	req, err := api.NewLambdaAuthorizer("requests", fn, service.AuthorizerRequest)
	if err != nil {
		t.Fatal(err)
	}
	req.IdentitySource = "method.request.header.X-User, method.request.querystring.tenant"
	req.ResultTTLInSeconds = 60
	tenant, _ := api.NewResource("/tenant", fn)
	tm, _ := tenant.NewMethod("GET", 200)
	tm.Authorizer = req
	key, err := api.NewAPIKey("partner")
	if err != nil {
		t.Fatal(err)
	}
	key.Value = "partner-key-0123456789abcdef"
	gen, _ := api.NewAPIKey("generated")
	plan, err := api.NewUsagePlan("basic", key, gen)
	if err != nil {
		t.Fatal(err)
	}
	plan.Throttle = &service.ThrottleSettings{RateLimit: 10, BurstLimit: 20}
	plan.Quota = &service.QuotaSettings{Limit: 1000, Period: service.QuotaMonth}
	return sc, api
}

// TestAccessControlTemplate checks what IAM authorization, API keys,
// usage plans and authorizer caching emit, and runs cfn-lint over it.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-usageplan.html
func TestAccessControlTemplate(t *testing.T) {
	sc, api := accessFixture(t)
	doc := render(t, sc, api)
	auth := map[string]string{}
	for _, m := range resourcesOf(doc, "AWS::ApiGateway::Method") {
		if m["ApiKeyRequired"] == true {
			auth["key"] = m["HttpMethod"].(string)
		}
		auth[m["AuthorizationType"].(string)] = m["HttpMethod"].(string)
	}
	if auth["AWS_IAM"] != "GET" || auth["key"] != "GET" || auth["CUSTOM"] == "" {
		t.Errorf("authorization types %v", auth)
	}
	ttl := map[string]any{}
	for _, a := range resourcesOf(doc, "AWS::ApiGateway::Authorizer") {
		ttl[a["Name"].(string)] = a["AuthorizerResultTtlInSeconds"]
	}
	// 300 is API Gateway's default, written out.
	if ttl["tokens"] != float64(300) || ttl["requests"] != float64(60) {
		t.Errorf("authorizer TTLs %v", ttl)
	}
	required := map[string][]string{
		"AWS::ApiGateway::ApiKey":       {},
		"AWS::ApiGateway::UsagePlan":    {"ApiStages", "Throttle", "Quota"},
		"AWS::ApiGateway::UsagePlanKey": {"KeyId", "KeyType", "UsagePlanId"},
	}
	for typ, props := range required {
		rs := resourcesOf(doc, typ)
		if len(rs) == 0 {
			t.Errorf("no %s", typ)
		}
		for id, p := range rs {
			for _, k := range props {
				if _, ok := p[k]; !ok {
					t.Errorf("%s %s lacks %s", typ, id, k)
				}
			}
		}
	}
	if n := len(resourcesOf(doc, "AWS::ApiGateway::UsagePlanKey")); n != 2 {
		t.Errorf("%d usage plan keys, want 2", n)
	}
	outputs := doc["Outputs"].(map[string]any)
	for _, k := range api.APIKeys() {
		if _, ok := outputs[apigateway.APIKeyOutput(api, k)]; !ok {
			t.Errorf("no output for key %s", k.Name())
		}
	}

	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed")
	}
	b, _ := cfn.Marshal(sc.Template)
	path := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(lint, "--regions", "us-east-1", "--", path).CombinedOutput(); err != nil {
		t.Fatalf("cfn-lint: %v\n%s", err, out)
	}
}

func TestAccessControlValidation(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(api *service.API, m *service.Method)
		want   string
	}{
		{"IAMAndAuthorizer", func(api *service.API, m *service.Method) {
			m.AuthorizationType = service.AuthorizationIAM
			m.Authorizer, _ = api.NewLambdaAuthorizer("a", api.Resources()[0].Lambda(), service.AuthorizerToken)
		}, "a method has one authorization"},
		{"UnknownType", func(_ *service.API, m *service.Method) { m.AuthorizationType = "COGNITO_USER_POOLS" }, `AuthorizationType "COGNITO_USER_POOLS"`},
		{"KeyWithoutPlan", func(_ *service.API, m *service.Method) { m.APIKeyRequired = true }, "no usage plan gives one"},
		{"ShortKey", func(api *service.API, _ *service.Method) {
			k, _ := api.NewAPIKey("k")
			k.Value = "short"
		}, "takes 20 to 128"},
		{"BadQuota", func(api *service.API, _ *service.Method) {
			p, _ := api.NewUsagePlan("p")
			p.Quota = &service.QuotaSettings{Limit: 5, Period: "YEAR"}
		}, `Quota.Period "YEAR"`},
		{"CachedRequestWithoutSource", func(api *service.API, m *service.Method) {
			m.Authorizer, _ = api.NewLambdaAuthorizer("r", api.Resources()[0].Lambda(), service.AuthorizerRequest)
		}, "a cached REQUEST authorizer needs an IdentitySource"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fn, _ := service.NewAWSLambda("f", proxyHandler, service.IAMRoleDefinition{})
			api := service.NewAPIGateway("x", service.NewStage("v1"))
			r, _ := api.NewResource("/r", fn)
			m, _ := r.NewMethod("GET", 200)
			c.mutate(api, m)
			if err := api.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want %q", err, c.want)
			}
		})
	}
}
