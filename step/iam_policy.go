//go:build !lambdabinary

package step

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/cfn"
)

// policyGrants accumulates Allow grants: each action with the exact
// resources it needs.
type policyGrants struct {
	byAction map[string]map[string]bool
	warnings []string
	// functions maps the placeholder key of each service function to its
	// name, so that any task naming ${key} gets that function's ARNs.
	functions map[string]string
}

func (g *policyGrants) allow(resources []string, actions ...string) {
	for _, a := range actions {
		if g.byAction[a] == nil {
			g.byAction[a] = map[string]bool{}
		}
		for _, r := range resources {
			g.byAction[a][r] = true
		}
	}
}

func (g *policyGrants) warnf(format string, args ...any) {
	g.warnings = append(g.warnings, fmt.Sprintf(format, args...))
}

// policyStatement is one Allow statement of the generated policy.
type policyStatement struct {
	Effect   string
	Action   []string
	Resource []string
}

// rolePolicy derives the least-privilege statements the machine's role
// needs from its states: exact actions on exact resources, a wildcard
// resource only for the actions that AWS does not scope to resources (log
// delivery, X-Ray). subs binds the definition's placeholders. Resources it
// cannot know (a TopicArn.$ chosen at run time) are reported as warnings:
// add them with WithRolePrivileges.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html.
func (sm *StateMachine) rolePolicy(subs, functions map[string]string) ([]policyStatement, []string, error) {
	g := &policyGrants{byAction: map[string]map[string]bool{}, functions: functions}
	ql := sm.queryLanguage
	if ql == "" {
		ql = JSONPath
	}
	var err error
	sm.walkLanguage(ql, func(s State, sql QueryLanguage) {
		t, ok := s.(*TaskState)
		if !ok || err != nil {
			return
		}
		var w *wireState
		if w, err = toWire(t, sql); err == nil {
			g.task(t, w, subs)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	if sm.logging.enabled() {
		// CloudWatch Logs vended delivery actions take no resource ARN.
		// See https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy.
		g.allow([]string{"*"}, "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
			"logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
			"logs:DescribeResourcePolicies", "logs:DescribeLogGroups")
	}
	if sm.tracing {
		// X-Ray's write and sampling actions take no resource ARN.
		// See https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html.
		g.allow([]string{"*"}, "xray:PutTraceSegments", "xray:PutTelemetryRecords",
			"xray:GetSamplingRules", "xray:GetSamplingTargets")
	}
	for _, p := range sm.privileges {
		g.allow(privilegeResources(p.Resource), p.Actions...)
	}
	return g.statements(), g.warnings, nil
}

// walkLanguage walks every state with its effective query language.
func (sm *StateMachine) walkLanguage(ql QueryLanguage, fn func(State, QueryLanguage)) {
	var walk func(sc scope, ql QueryLanguage)
	walk = func(sc scope, ql QueryLanguage) {
		for _, s := range sc.states() {
			sql := effectiveLanguage(s, ql)
			fn(s, sql)
			for _, b := range subScopes(s) {
				walk(b.body, sql)
			}
		}
	}
	walk(sm.body, ql)
}

func privilegeResources(r any) []string {
	switch x := r.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case map[string]any:
		b, _ := json.Marshal(x)
		return []string{base64.StdEncoding.EncodeToString(b)}
	}
	return nil
}

// statements groups actions that need the same resources into one
// statement, sorted by action, with sorted resources.
func (g *policyGrants) statements() []policyStatement {
	groups := map[string]*policyStatement{}
	for _, action := range sortedKeys(g.byAction) {
		resources := sortedKeys(g.byAction[action])
		key := strings.Join(resources, "\x00")
		st, ok := groups[key]
		if !ok {
			st = &policyStatement{Effect: "Allow", Resource: resources}
			groups[key] = st
		}
		st.Action = append(st.Action, action)
	}
	out := make([]policyStatement, 0, len(groups))
	for _, st := range groups {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action[0] < out[j].Action[0] })
	return out
}

// stringParam returns a request parameter resolved through the
// placeholders, and whether the request chooses it at run time instead.
func stringParam(params any, key string, subs map[string]string) (value string, dynamic bool) {
	m, _ := params.(map[string]any)
	if _, ok := m[key+".$"]; ok {
		return "", true
	}
	s, ok := m[key].(string)
	if !ok {
		return "", false
	}
	if isExpression(s) {
		return "", true
	}
	return resolve(s, subs), false
}

// resolve replaces a whole-value placeholder by what it is bound to.
func resolve(s string, subs map[string]string) string {
	if key, ok := isPlaceholder(s); ok {
		if v, bound := subs[key]; bound {
			return v
		}
	}
	return s
}

// lambdaFunctionName is a function's name alone, as FunctionName may give it.
var lambdaFunctionName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

var lambdaFunctionARN = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+$`)

func (g *policyGrants) task(t *TaskState, w *wireState, subs map[string]string) {
	params := w.Parameters
	if params == nil {
		params = w.Arguments
	}
	resource := trimPattern(w.Resource)
	pattern := strings.TrimPrefix(w.Resource, resource)
	need := func(kind, key string) (string, bool) {
		v, dynamic := stringParam(params, key, subs)
		if dynamic || v == "" {
			g.warnf("state %q: %s %s is chosen at run time, so the role cannot name it; add it with WithRolePrivileges", t.name, kind, key)
			return "", false
		}
		return v, true
	}
	switch resource {
	case ResourceLambdaInvoke:
		m, _ := params.(map[string]any)
		raw, _ := m["FunctionName"].(string)
		if fn, ok := need("Lambda function", "FunctionName"); ok {
			g.allow(g.functionResources(raw, fn), "lambda:InvokeFunction")
		}
	case ResourceSNSPublish:
		if topic, ok := need("SNS topic", "TopicArn"); ok {
			g.allow([]string{topic}, "sns:Publish")
		}
	case ResourceSQSSendMessage:
		if url, ok := need("SQS queue", "QueueUrl"); ok {
			if arn, ok := queueARN(url); ok {
				g.allow([]string{arn}, "sqs:SendMessage")
			} else {
				g.warnf("state %q: cannot derive the ARN of queue %q; add sqs:SendMessage with WithRolePrivileges", t.name, url)
			}
		}
	case ResourceDynamoDBGetItem, ResourceDynamoDBPutItem, ResourceDynamoDBUpdateItem, ResourceDynamoDBDeleteItem:
		action := dynamoDBAction[resource]
		if table, ok := need("DynamoDB table", "TableName"); ok {
			g.allow([]string{tableARN(table)}, action)
		}
	case ResourceEventBridgePutEvents:
		g.putEvents(t, params, subs)
	case ResourceStatesStartExecution:
		machine, ok := need("state machine", "StateMachineArn")
		if !ok {
			break
		}
		g.allow([]string{machine}, "states:StartExecution")
		if pattern == suffixSync || pattern == suffixSync2 {
			g.allow([]string{executionsOf(machine)}, "states:DescribeExecution", "states:StopExecution")
			g.allow([]string{cfn.ARN("events", "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule")},
				"events:PutTargets", "events:PutRule", "events:DescribeRule")
		}
	case ResourceECSRunTask:
		if def, ok := need("ECS task definition", "TaskDefinition"); ok {
			g.allow([]string{def}, "ecs:RunTask")
		}
		if len(t.passRoles) > 0 {
			roles := make([]string, len(t.passRoles))
			for i, r := range t.passRoles {
				roles[i] = resolve(r, subs)
			}
			g.allow(roles, "iam:PassRole")
		}
		if pattern == suffixSync {
			g.allow([]string{cfn.ARN("ecs", "task/*")}, "ecs:StopTask", "ecs:DescribeTasks")
			g.allow([]string{cfn.ARN("events", "rule/StepFunctionsGetEventsForECSTaskRule")},
				"events:PutTargets", "events:PutRule", "events:DescribeRule")
		}
	default:
		key, _ := isPlaceholder(resource)
		switch fn := resolve(resource, subs); {
		case g.functions[key] != "" || lambdaFunctionARN.MatchString(fn):
			g.allow(g.functionResources(resource, fn), "lambda:InvokeFunction")
		case strings.Contains(resource, ":activity:"):
			// Activity workers poll with their own credentials.
		default:
			g.warnf("state %q: no permissions are derived for resource %q; add them with WithRolePrivileges", t.name, w.Resource)
		}
	}
}

// functionResources is a function's ARN and its qualified ARNs (ARN:*),
// which lambda:InvokeFunction needs to call versions and aliases. raw is
// the value as the definition writes it (maybe a placeholder), fn the value
// it resolves to.
func (g *policyGrants) functionResources(raw, fn string) []string {
	if key, ok := isPlaceholder(raw); ok && g.functions[key] != "" {
		id := cfn.FunctionLogicalID(g.functions[key])
		return []string{cfn.GetAtt(id, "Arn"), cfn.Sub("${" + id + ".Arn}:*")}
	}
	if isTemplateIntrinsic(fn) {
		return []string{fn, cfn.Join("", fn, ":*")}
	}
	if lambdaFunctionName.MatchString(fn) {
		// lambda:invoke also takes a bare name, which IAM cannot match:
		// the role names the function's ARN in the stack's account.
		return []string{cfn.ARN("lambda", "function:"+fn), cfn.ARN("lambda", "function:"+fn+":*")}
	}
	return []string{fn, fn + ":*"}
}

var queueURL = regexp.MustCompile(`^https://sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(\d{12})/([A-Za-z0-9_.-]+)$`)

// queueARN turns a queue URL, literal or Ref to a queue, into its ARN.
func queueARN(url string) (string, bool) {
	if m := queueURL.FindStringSubmatch(url); m != nil {
		return cfn.Sub("arn:${AWS::Partition}:sqs:" + m[1] + ":" + m[2] + ":" + m[3]), true
	}
	if id, ok := refTarget(url); ok {
		return cfn.GetAtt(id, "Arn"), true
	}
	return "", false
}

// dynamoDBAction is the IAM action of each DynamoDB integration.
var dynamoDBAction = map[string]string{
	ResourceDynamoDBGetItem:    "dynamodb:GetItem",
	ResourceDynamoDBPutItem:    "dynamodb:PutItem",
	ResourceDynamoDBUpdateItem: "dynamodb:UpdateItem",
	ResourceDynamoDBDeleteItem: "dynamodb:DeleteItem",
}

// tableARN turns a table name, literal or Ref to a table, into its ARN.
func tableARN(table string) string {
	if strings.HasPrefix(table, "arn:") {
		return table
	}
	if id, ok := refTarget(table); ok {
		return cfn.ARN("dynamodb", "table/${"+id+"}")
	}
	return cfn.ARN("dynamodb", "table/"+table)
}

// executionsOf is the ARN pattern of a state machine's executions.
func executionsOf(machine string) string {
	if parts := strings.Split(machine, ":"); len(parts) == 7 && strings.HasPrefix(machine, "arn:") && parts[5] == "stateMachine" {
		return strings.Join(append(append([]string{}, parts[:5]...), "execution", parts[6], "*"), ":")
	}
	if id, ok := refTarget(machine); ok {
		return cfn.ARN("states", "execution:${"+id+".Name}:*")
	}
	return cfn.ARN("states", "execution:*:*")
}

// refTarget returns X when s is the cfn encoding of {"Ref": "X"}.
func refTarget(s string) (string, bool) {
	if !isTemplateIntrinsic(s) {
		return "", false
	}
	raw, _ := base64.StdEncoding.DecodeString(s)
	var ref struct{ Ref string }
	if json.Unmarshal(raw, &ref) != nil || ref.Ref == "" {
		return "", false
	}
	return ref.Ref, true
}

// getAttTarget returns X when s is the cfn encoding of
// {"Fn::GetAtt": ["X", attribute]}.
func getAttTarget(s string) (string, bool) {
	if !isTemplateIntrinsic(s) {
		return "", false
	}
	raw, _ := base64.StdEncoding.DecodeString(s)
	var ga struct {
		GetAtt []string `json:"Fn::GetAtt"`
	}
	if json.Unmarshal(raw, &ga) != nil || len(ga.GetAtt) != 2 {
		return "", false
	}
	return ga.GetAtt[0], true
}

// trustPolicy lets Step Functions assume the role, only on behalf of this
// account (the confused-deputy guard).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html.
func trustPolicy() map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "states.amazonaws.com"},
			"Action":    "sts:AssumeRole",
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": cfn.Ref("AWS::AccountId")},
			},
		}},
	}
}

func (l Logging) enabled() bool { return l.Level != "" && l.Level != LogOff }

// isPlaceholder reports whether s is exactly one ${Key} placeholder, and
// returns the key.
func isPlaceholder(s string) (string, bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") {
		return "", false
	}
	key := s[2 : len(s)-1]
	if key == "" || strings.ContainsAny(key, "${}") {
		return "", false
	}
	return key, true
}
