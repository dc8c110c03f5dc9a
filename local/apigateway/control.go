package apigateway

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// serveControlPlane answers the REST calls of the API Gateway API that read
// an API (the AWS CLI's get-rest-apis, get-resources, get-method,
// get-stages, get-deployments, get-models, get-request-validators...) and
// delete-rest-api. APIs are created through CloudFormation; other writes
// are refused by name.
func (s *Service) serveControlPlane(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	op, v, err := s.control(r.Method, parts, r.URL.Query())
	if call := core.CallFrom(r.Context()); call != nil && op != "" {
		call.SetOperation(op)
	}
	if err != nil {
		core.WriteRESTJSONError(w, r, err)
		return
	}
	status := http.StatusOK
	if v == nil {
		status = http.StatusAccepted
	}
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func epoch(t time.Time) int64 { return t.Unix() }

// control dispatches on the method and path parts; it returns the
// operation name for the logs.
func (s *Service) control(verb string, p []string, query map[string][]string) (string, any, error) {
	if len(p) > 0 && (p[0] == "apikeys" || p[0] == "usageplans") {
		if verb != http.MethodGet {
			return "", nil, core.Errorf(http.StatusNotImplemented, "NotImplemented",
				"the local API Gateway reads API keys and usage plans; it creates and changes them only through CloudFormation (%s /%s is not supported)", verb, strings.Join(p, "/"))
		}
		return s.keysAndPlans(p, query)
	}
	if len(p) == 0 || p[0] != "restapis" {
		return "", nil, core.Errorf(http.StatusNotFound, "NotFoundException", "the local API Gateway has no resource %s", "/"+strings.Join(p, "/"))
	}
	if verb == http.MethodDelete && len(p) == 2 {
		return "DeleteRestApi", nil, s.DeleteRestAPI(p[1])
	}
	if verb != http.MethodGet {
		return "", nil, core.Errorf(http.StatusNotImplemented, "NotImplemented",
			"the local API Gateway reads APIs and deletes them; it creates and changes them only through CloudFormation (%s /%s is not supported)", verb, strings.Join(p, "/"))
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(p) == 1 {
		items := []any{}
		for _, id := range sortedKeys(s.apis) {
			items = append(items, apiView(s.apis[id]))
		}
		return "GetRestApis", map[string]any{"item": items}, nil
	}
	a, err := s.apiLocked(p[1])
	if err != nil {
		return "GetRestApi", nil, err
	}
	switch {
	case len(p) == 2:
		return "GetRestApi", apiView(a), nil
	case len(p) == 3 && p[2] == "resources":
		items := []any{}
		for _, r := range sortedResources(a.Resources) {
			items = append(items, resourceView(r))
		}
		return "GetResources", map[string]any{"item": items}, nil
	case len(p) >= 4 && p[2] == "resources":
		res, ok := a.Resources[p[3]]
		if !ok {
			return "GetResource", nil, notFound("Invalid Resource identifier specified")
		}
		if len(p) == 4 {
			return "GetResource", resourceView(res), nil
		}
		if len(p) >= 6 && p[4] == "methods" {
			m, ok := res.Methods[strings.ToUpper(p[5])]
			if !ok {
				return "GetMethod", nil, notFound("Invalid Method identifier specified")
			}
			if len(p) == 7 && p[6] == "integration" {
				if m.Integration == nil {
					return "GetIntegration", nil, notFound("No integration defined for method")
				}
				return "GetIntegration", m.Integration, nil
			}
			return "GetMethod", m, nil
		}
	case len(p) == 3 && p[2] == "stages":
		items := []any{}
		for _, n := range sortedKeys(a.Stages) {
			items = append(items, stageView(a.Stages[n]))
		}
		return "GetStages", map[string]any{"item": items}, nil
	case len(p) == 4 && p[2] == "stages":
		st, ok := a.Stages[p[3]]
		if !ok {
			return "GetStage", nil, notFound("Invalid Stage identifier specified")
		}
		return "GetStage", stageView(st), nil
	case len(p) == 3 && p[2] == "deployments":
		items := []any{}
		for _, id := range sortedKeys(a.Deployments) {
			d := a.Deployments[id]
			items = append(items, map[string]any{"id": d.ID, "description": d.Description, "createdDate": epoch(d.CreatedDate)})
		}
		return "GetDeployments", map[string]any{"item": items}, nil
	case len(p) == 3 && p[2] == "models":
		items := []any{}
		for _, n := range sortedKeys(a.Models) {
			items = append(items, a.Models[n])
		}
		return "GetModels", map[string]any{"item": items}, nil
	case len(p) == 3 && p[2] == "requestvalidators":
		items := []any{}
		for _, id := range sortedKeys(a.Validators) {
			items = append(items, a.Validators[id])
		}
		return "GetRequestValidators", map[string]any{"item": items}, nil
	}
	return "", nil, core.Errorf(http.StatusNotImplemented, "NotImplemented", "GET /%s is not supported by the local API Gateway", strings.Join(p, "/"))
}

func apiView(a *restAPI) map[string]any {
	v := map[string]any{"id": a.ID, "name": a.Name, "createdDate": epoch(a.CreatedDate), "rootResourceId": a.RootResourceID,
		"apiKeySource": "HEADER", "endpointConfiguration": map[string]any{"types": []string{"EDGE"}}, "disableExecuteApiEndpoint": false}
	if a.Description != "" {
		v["description"] = a.Description
	}
	return v
}

func resourceView(r *apiResource) map[string]any {
	v := map[string]any{"id": r.ID, "path": r.Path}
	if r.ParentID != "" {
		v["parentId"], v["pathPart"] = r.ParentID, r.PathPart
	}
	if len(r.Methods) > 0 {
		ms := map[string]any{}
		for k := range r.Methods {
			ms[k] = map[string]any{}
		}
		v["resourceMethods"] = ms
	}
	return v
}

func stageView(st *stage) map[string]any {
	v := map[string]any{"stageName": st.StageName, "deploymentId": st.DeploymentID,
		"createdDate": epoch(st.CreatedDate), "lastUpdatedDate": epoch(st.LastUpdatedDate)}
	if st.Description != "" {
		v["description"] = st.Description
	}
	if len(st.Variables) > 0 {
		v["variables"] = st.Variables
	}
	if st.AccessLogSettings != nil {
		v["accessLogSettings"] = st.AccessLogSettings
	}
	return v
}

func sortedResources(m map[string]*apiResource) []*apiResource {
	out := make([]*apiResource, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
