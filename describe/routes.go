package describe

import (
	"regexp"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/cfn"
)

// routeRow is one method of an API Gateway REST API in the template.
type routeRow struct {
	Method, Path, Integration, Target, Auth string
}

var subArnVariable = regexp.MustCompile(`\$\{([A-Za-z0-9]+)\.Arn\}`)

// routeRows lists the template's API methods with their full paths, read
// from the AWS::ApiGateway::Resource tree, and what each one calls.
func routeRows(doc cfnDoc) []routeRow {
	all := resources(doc)
	byID := map[string]resource{}
	for _, r := range all {
		byID[r.id] = r
	}
	var pathOf func(ref any, depth int) string
	pathOf = func(ref any, depth int) string {
		m, _ := ref.(map[string]any)
		id, _ := m["Ref"].(string)
		r, ok := byID[id]
		if !ok || r.typ != "AWS::ApiGateway::Resource" || depth > 64 {
			return "" // the root resource (Fn::GetAtt RootResourceId)
		}
		part, _ := r.props["PathPart"].(string)
		return pathOf(r.props["ParentId"], depth+1) + "/" + part
	}
	var rows []routeRow
	for _, r := range all {
		if r.typ != "AWS::ApiGateway::Method" {
			continue
		}
		row := routeRow{Auth: "NONE"}
		row.Method, _ = r.props["HttpMethod"].(string)
		row.Path = pathOf(r.props["ResourceId"], 0)
		if row.Path == "" {
			row.Path = "/"
		}
		if a, ok := r.props["AuthorizationType"].(string); ok {
			row.Auth = a
		}
		in, _ := r.props["Integration"].(map[string]any)
		row.Integration, _ = in["Type"].(string)
		uri := intrinsicText(in["Uri"])
		switch {
		case strings.Contains(uri, ":lambda:path/"):
			if m := subArnVariable.FindStringSubmatch(uri); m != nil {
				row.Target = "function " + functionName(byID[m[1]], m[1])
			}
		case strings.Contains(uri, ":states:action/"):
			row.Target = uri[strings.LastIndex(uri, "/")+1:]
			cfn.WalkIntrinsics(in["RequestTemplates"], func(fn string, arg any) {
				if id, ok := arg.(string); ok && fn == "Ref" && byID[id].typ == "AWS::StepFunctions::StateMachine" {
					row.Target += " of " + id
				}
			})
		case row.Integration == "MOCK":
			row.Target = "answered by API Gateway"
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Path != rows[j].Path {
			return rows[i].Path < rows[j].Path
		}
		return rows[i].Method < rows[j].Method
	})
	return rows
}

// functionName is the function's handler name (the user's name), or its
// logical ID.
func functionName(r resource, id string) string {
	if h, ok := r.props["Handler"].(string); ok && h != "" {
		return h
	}
	return id
}
