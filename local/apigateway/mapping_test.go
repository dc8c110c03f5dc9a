package apigateway

import (
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/apigateway/internal/vtl"
)

func renderTemplate(t *testing.T, src string, body string) string {
	t.Helper()
	tpl, err := vtl.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	ctx := vtl.NewMap()
	ctx.Set("requestId", "req-1")
	ctx.Set("stage", "v1")
	ident := vtl.NewMap()
	ident.Set("sourceIp", "127.0.0.1")
	ctx.Set("identity", ident)
	out, err := tpl.Execute(map[string]any{
		"input": &inputObject{body: []byte(body), params: map[string]map[string]string{
			"path": {"name": "frank"}, "querystring": {"limit": "5"}, "header": {"X-Trace": "t1"}}},
		"util":           utilObject{},
		"context":        ctx,
		"stageVariables": stringMapValue(map[string]string{"color": "green"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMappingVariables covers $input, $util, $context and $stageVariables
// as https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
// documents them.
func TestMappingVariables(t *testing.T) {
	body := `{"a": {"b": [10, 20.5, "x"]}, "s": "say \"hi\" it's </script>", "n": null}`
	cases := []struct{ src, want string }{
		{`$input.body`, body},
		{`$input.json('$.a')`, `{"b":[10,20.5,"x"]}`},
		{`$input.json('$.a.b[1]')`, `20.5`},
		{`$input.path('$.a.b').size() $input.path('$.a.b[0]') $input.path('$.a.b[-1]')`, `3 10 x`},
		{`$input.path('$')['s']`, `say "hi" it's </script>`},
		{`[$input.path('$.missing.deep')]`, `[]`},
		{`$input.params('name') $input.params('limit') $input.params('x-trace') [$input.params('none')]`, `frank 5 t1 []`},
		{`$input.params().path.name $input.params().querystring`, `frank {"limit":"5"}`},
		{`$util.escapeJavaScript($input.path('$.s'))`, `say \"hi\" it\'s <\/script>`},
		// A VTL string literal keeps its backslash: "\n" is two characters.
		{`$util.escapeJavaScript("é\n")`, `\u00E9\\n`},
		{`$util.escapeJavaScript($input.path('$.s')).replaceAll("\\'", "'")`, `say \"hi\" it's <\/script>`},
		{`$util.parseJson('{"k": [1]}').k[0]`, `1`},
		{`$util.base64Encode("hello") $util.base64Decode("aGVsbG8=")`, `aGVsbG8= hello`},
		{`$util.urlEncode("a b&c") $util.urlDecode("a+b%26c")`, `a+b%26c a b&c`},
		{`$context.requestId $context.stage $context.identity.sourceIp`, `req-1 v1 127.0.0.1`},
		{`$stageVariables.color`, `green`},
		{`#set($context.responseOverride = {})#set($context.responseOverride.status = 201)$context.responseOverride.status`, `201`},
	}
	for _, c := range cases {
		if got := renderTemplate(t, c.src, body); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

// TestWorkshopShapedTemplate: a body read with $input.path, an object
// built from its fields, escaped into StartExecution's input, the machine's
// ARN in place: the output is a StartExecution request whose input is the
// backend's format.
func TestWorkshopShapedTemplate(t *testing.T) {
	src := `#set($data = $input.path('$'))
#set($input = { "dragon_name_str" : "$data.dragonName", "description_str" : "$data.description",
  "confirmationRequired" : $data.confirmationRequired})
{
  "input": "$util.escapeJavaScript($input).replaceAll("\\'", "'")",
  "stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:dragons"
}`
	got := renderTemplate(t, src, `{"dragonName": "Frank", "description": "Frank's \"new\" dragon", "confirmationRequired": true}`)
	want := `{
  "input": "{\"dragon_name_str\":\"Frank\",\"description_str\":\"Frank's \\\"new\\\" dragon\",\"confirmationRequired\":true}",
  "stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:dragons"
}`
	if strings.TrimSpace(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
