package lambda

import (
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// actionOf is the IAM action of an operation where it differs from the
// operation's name.
var actionOf = map[string]string{
	"Invoke":                      "lambda:InvokeFunction",
	"ListVersionsByFunction":      "lambda:ListVersionsByFunction",
	"UpdateFunctionConfiguration": "lambda:UpdateFunctionConfiguration",
}

// Permissions maps a Lambda API request (event source mappings included) to the IAM action and the
// function's ARN (qualified when the request names a version or alias), and
// to iam:PassRole on the execution role that CreateFunction and
// UpdateFunctionConfiguration hand to Lambda.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(segs) < 2 {
		return nil, nil // the service refuses it
	}
	op, h := s.route(r.Method, segs[1:])
	if h == nil {
		return nil, nil
	}
	action := actionOf[op]
	if action == "" {
		action = "lambda:" + op
	}
	resource := "*"
	switch {
	case segs[1] == "event-source-mappings":
		// CreateEventSourceMapping and ListEventSourceMappings have no
		// resource (AWS scopes them with the lambda:FunctionArn condition
		// key); the others act on the mapping's ARN.
		if len(segs) >= 3 {
			resource = s.esmARN(segs[2])
		}
	case op == "CreateFunction":
		resource = s.resourceARN(core.JSONString(r, "FunctionName"), "")
	case len(segs) >= 3:
		resource = s.resourceARN(segs[2], r.URL.Query().Get("Qualifier"))
	}
	perms := []core.Permission{{Action: action, Resource: resource}}
	if op == "CreateFunction" || op == "UpdateFunctionConfiguration" {
		if role := core.JSONString(r, "Role"); role != "" {
			perms = append(perms, core.PassRole(role))
		}
	}
	return perms, nil
}

// resourceARN is the ARN IAM sees for a function named by name (a name, a
// partial or full ARN, with or without a qualifier) and qualifier.
func (s *Service) resourceARN(name, qualifier string) string {
	if name == "" {
		return "*"
	}
	if !strings.HasPrefix(name, "arn:") {
		if i := strings.Index(name, ":function:"); i >= 0 {
			name = name[i+len(":function:"):] // ACCOUNT:function:NAME
		}
		base, q, _ := strings.Cut(name, ":")
		name = s.functionARN(base)
		if q != "" {
			name += ":" + q
		}
	}
	if qualifier != "" && strings.Count(name, ":") == 6 {
		name += ":" + qualifier
	}
	return name
}
