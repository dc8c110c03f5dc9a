package describe

import (
	"fmt"
	"strconv"
	"strings"
)

// The report's tables, read from the template as CloudFormation will see
// it, with the AWS defaults filled in where the template leaves a property
// out, so that a reader sees the effective value.

// functionRow is one Lambda function.
type functionRow struct {
	ID, Name, Handler, Runtime string
	Memory, Timeout            string
	Architecture               string
	EnvKeys                    []string
	Role, RoleID               string
	States                     []string // the Task states that run it
}

// Lambda defaults, from the AWS::Lambda::Function reference.
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html.
const (
	defaultMemory  = 128
	defaultTimeout = 3
	defaultArch    = "x86_64"
)

// functionRows lists the template's functions; tasks maps a function's
// Handler (the name the framework registers it under) to the states that
// run it.
func functionRows(doc cfnDoc, tasks map[string][]string) []functionRow {
	var rows []functionRow
	for _, r := range resources(doc) {
		if r.typ != "AWS::Lambda::Function" {
			continue
		}
		row := functionRow{
			ID:           r.id,
			Name:         intrinsicText(r.props["FunctionName"]),
			Handler:      intrinsicText(r.props["Handler"]),
			Runtime:      intrinsicText(r.props["Runtime"]),
			Memory:       numberOr(r.props["MemorySize"], defaultMemory, "MB"),
			Timeout:      numberOr(r.props["Timeout"], defaultTimeout, "s"),
			Architecture: defaultArch,
			Role:         intrinsicText(r.props["Role"]),
		}
		if r.props["PackageType"] == "Image" {
			row.Runtime = "container image"
		}
		if a, ok := r.props["Architectures"].([]any); ok && len(a) > 0 {
			row.Architecture = intrinsicText(a[0])
		}
		if env, ok := r.props["Environment"].(map[string]any); ok {
			if vars, ok := env["Variables"].(map[string]any); ok {
				row.EnvKeys = sortedKeys(vars)
			}
		}
		if id, _ := getAttOf(r.props["Role"]); id != "" {
			row.RoleID = id
		}
		row.States = tasks[row.Handler]
		rows = append(rows, row)
	}
	return rows
}

// getAttOf returns the resource of an Fn::GetAtt or Ref value.
func getAttOf(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", false
	}
	if ref, ok := m["Ref"].(string); ok {
		return ref, true
	}
	if arg, ok := m["Fn::GetAtt"]; ok {
		id, _ := getAtt(arg)
		return id, id != ""
	}
	return "", false
}

// numberOr writes a numeric property with its unit, or the AWS default
// when the template leaves it out.
func numberOr(v any, def int, unit string) string {
	switch n := v.(type) {
	case float64:
		return strconv.FormatFloat(n, 'f', -1, 64) + " " + unit
	case string:
		return n + " " + unit
	case nil:
		return strconv.Itoa(def) + " " + unit + " (default)"
	}
	return intrinsicText(v)
}

// roleSection is one IAM role with its policies.
type roleSection struct {
	ID, Name   string
	AssumedBy  []string
	Managed    []string
	Policies   []policy
	UsedBy     []string // resources whose role it is
	Boundaries string
}

type policy struct {
	Name       string
	Statements []statement
}

type statement struct {
	Effect    string
	Actions   []string
	Resources []string
	Condition string
}

// roleSections lists the template's roles, with the AWS::IAM::Policy
// resources that attach to them.
func roleSections(doc cfnDoc) []roleSection {
	res := resources(doc)
	byID := map[string]*roleSection{}
	var out []*roleSection
	for _, r := range res {
		if r.typ != "AWS::IAM::Role" {
			continue
		}
		s := &roleSection{ID: r.id, Name: intrinsicText(r.props["RoleName"])}
		if doc, ok := r.props["AssumeRolePolicyDocument"].(map[string]any); ok {
			for _, st := range statements(doc) {
				s.AssumedBy = append(s.AssumedBy, st.principals...)
			}
		}
		for _, m := range list(r.props["ManagedPolicyArns"]) {
			s.Managed = append(s.Managed, intrinsicText(m))
		}
		for _, p := range list(r.props["Policies"]) {
			pm, _ := p.(map[string]any)
			s.Policies = append(s.Policies, readPolicy(intrinsicText(pm["PolicyName"]), pm["PolicyDocument"]))
		}
		byID[r.id] = s
		out = append(out, s)
	}
	for _, r := range res {
		switch r.typ {
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			for _, role := range list(r.props["Roles"]) {
				if id, ok := getAttOf(role); ok && byID[id] != nil {
					name := intrinsicText(r.props["PolicyName"])
					if name == "" {
						name = r.id
					}
					byID[id].Policies = append(byID[id].Policies, readPolicy(name, r.props["PolicyDocument"]))
				}
			}
		}
		for _, k := range []string{"Role", "RoleArn", "ExecutionRoleArn", "TaskRoleArn"} {
			if id, ok := getAttOf(r.props[k]); ok && byID[id] != nil {
				byID[id].UsedBy = append(byID[id].UsedBy, r.id)
			}
		}
	}
	sections := make([]roleSection, len(out))
	for i, s := range out {
		sections[i] = *s
	}
	return sections
}

type rawStatement struct {
	statement
	principals []string
}

func readPolicy(name string, doc any) policy {
	p := policy{Name: name}
	m, _ := doc.(map[string]any)
	for _, st := range statements(m) {
		p.Statements = append(p.Statements, st.statement)
	}
	return p
}

func statements(doc map[string]any) []rawStatement {
	var out []rawStatement
	for _, s := range list(doc["Statement"]) {
		m, _ := s.(map[string]any)
		st := rawStatement{statement: statement{Effect: intrinsicText(m["Effect"])}}
		for _, a := range list(m["Action"]) {
			st.Actions = append(st.Actions, intrinsicText(a))
		}
		for _, a := range list(m["NotAction"]) {
			st.Actions = append(st.Actions, "not "+intrinsicText(a))
		}
		for _, r := range list(m["Resource"]) {
			st.Resources = append(st.Resources, intrinsicText(r))
		}
		if c, ok := m["Condition"]; ok {
			st.Condition = compactJSON(c)
		}
		if p, ok := m["Principal"].(map[string]any); ok {
			for _, k := range sortedKeys(p) {
				for _, v := range list(p[k]) {
					st.principals = append(st.principals, intrinsicText(v))
				}
			}
		}
		out = append(out, st)
	}
	return out
}

// list reads a value that IAM and CloudFormation allow as one item or a
// list of them.
func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// intrinsicText writes a template value for a table cell, intrinsic
// functions as people read them: "Ref X", "X.Arn", the Fn::Sub string.
func intrinsicText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		if len(x) == 1 {
			for fn, arg := range x {
				switch fn {
				case "Ref":
					return "Ref " + intrinsicText(arg)
				case "Fn::GetAtt":
					id, attr := getAtt(arg)
					return id + "." + attr
				case "Fn::Sub":
					s, _ := subArgs(arg)
					return s
				case "Fn::Join":
					if a, ok := arg.([]any); ok && len(a) == 2 {
						var parts []string
						for _, p := range list(a[1]) {
							parts = append(parts, intrinsicText(p))
						}
						return strings.Join(parts, intrinsicText(a[0]))
					}
				}
			}
		}
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = intrinsicText(e)
		}
		return strings.Join(parts, ", ")
	}
	return compactJSON(v)
}

// outputRow is one stack output.
type outputRow struct{ Name, Description, Value, Export string }

func outputRows(doc cfnDoc) []outputRow {
	m, _ := doc["Outputs"].(map[string]any)
	var rows []outputRow
	for _, k := range sortedKeys(m) {
		o, _ := m[k].(map[string]any)
		row := outputRow{Name: k, Description: intrinsicText(o["Description"]), Value: intrinsicText(o["Value"])}
		if ex, ok := o["Export"].(map[string]any); ok {
			row.Export = intrinsicText(ex["Name"])
		}
		rows = append(rows, row)
	}
	return rows
}

// resourceCounts summarizes the template: "3 AWS::Lambda::Function".
func resourceCounts(doc cfnDoc) []string {
	counts := map[string]int{}
	for _, r := range resources(doc) {
		counts[r.typ]++
	}
	var out []string
	for _, t := range sortedKeys(counts) {
		out = append(out, fmt.Sprintf("%d %s", counts[t], t))
	}
	return out
}
