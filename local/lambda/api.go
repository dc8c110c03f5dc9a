package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// Bounds of request bodies: CreateFunction and UpdateFunctionCode carry a
// zip of up to 50 MB, base64-encoded; other operations small documents.
const (
	maxCodeBody  = 70 << 20
	maxSmallBody = 1 << 20
)

// ServeHTTP serves the Lambda REST-JSON API: the request's path names the
// operation (POST /2015-03-31/functions/{name}/invocations is Invoke).
// The date segment is not checked, so every API version of an operation
// reaches it.
// See https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var h func(http.ResponseWriter, *http.Request, []string) error
	op := ""
	if len(segs) >= 2 {
		op, h = s.route(r.Method, segs[1:])
	}
	core.CallFrom(r.Context()).SetOperation(op)
	if h == nil {
		writeError(w, r, core.Errorf(http.StatusNotFound, "UnknownOperationException",
			"Lambda operation %s %s is not supported by the local cloud", r.Method, r.URL.Path))
		return
	}
	if err := h(w, r, segs[1:]); err != nil {
		writeError(w, r, err)
	}
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	core.WriteRESTJSONError(w, r, err)
}

type handler = func(http.ResponseWriter, *http.Request, []string) error

// route maps a method and the path after the date to an operation.
func (s *Service) route(method string, p []string) (string, handler) {
	if p[0] == "account-settings" && len(p) == 1 && method == http.MethodGet {
		return "GetAccountSettings", s.httpAccountSettings
	}
	if p[0] == "event-source-mappings" {
		switch {
		case len(p) == 1 && method == http.MethodPost:
			return "CreateEventSourceMapping", s.httpCreateMapping
		case len(p) == 1 && method == http.MethodGet:
			return "ListEventSourceMappings", s.httpListMappings
		case len(p) == 2 && method == http.MethodGet:
			return "GetEventSourceMapping", s.httpGetMapping
		case len(p) == 2 && method == http.MethodPut:
			return "UpdateEventSourceMapping", s.httpUpdateMapping
		case len(p) == 2 && method == http.MethodDelete:
			return "DeleteEventSourceMapping", s.httpDeleteMapping
		}
		return "", nil
	}
	if p[0] != "functions" {
		return "", nil
	}
	type key struct {
		method, shape string
	}
	shape := ""
	switch len(p) {
	case 1:
		shape = "functions"
	case 2:
		shape = "functions/{name}"
	case 3:
		shape = "functions/{name}/" + p[2]
	case 4:
		shape = "functions/{name}/" + p[2] + "/{id}"
	}
	routes := map[key]struct {
		op string
		h  handler
	}{
		{http.MethodGet, "functions"}:                        {"ListFunctions", s.httpListFunctions},
		{http.MethodPost, "functions"}:                       {"CreateFunction", s.httpCreateFunction},
		{http.MethodGet, "functions/{name}"}:                 {"GetFunction", s.httpGetFunction},
		{http.MethodDelete, "functions/{name}"}:              {"DeleteFunction", s.httpDeleteFunction},
		{http.MethodPost, "functions/{name}/invocations"}:    {"Invoke", s.httpInvoke},
		{http.MethodGet, "functions/{name}/configuration"}:   {"GetFunctionConfiguration", s.httpGetConfiguration},
		{http.MethodPut, "functions/{name}/configuration"}:   {"UpdateFunctionConfiguration", s.httpUpdateConfiguration},
		{http.MethodPut, "functions/{name}/code"}:            {"UpdateFunctionCode", s.httpUpdateCode},
		{http.MethodPost, "functions/{name}/versions"}:       {"PublishVersion", s.httpPublishVersion},
		{http.MethodGet, "functions/{name}/versions"}:        {"ListVersionsByFunction", s.httpListVersions},
		{http.MethodPost, "functions/{name}/aliases"}:        {"CreateAlias", s.httpCreateAlias},
		{http.MethodGet, "functions/{name}/aliases"}:         {"ListAliases", s.httpListAliases},
		{http.MethodGet, "functions/{name}/aliases/{id}"}:    {"GetAlias", s.httpGetAlias},
		{http.MethodPut, "functions/{name}/aliases/{id}"}:    {"UpdateAlias", s.httpUpdateAlias},
		{http.MethodDelete, "functions/{name}/aliases/{id}"}: {"DeleteAlias", s.httpDeleteAlias},
		{http.MethodGet, "functions/{name}/policy"}:          {"GetPolicy", s.httpGetPolicy},
		{http.MethodPost, "functions/{name}/policy"}:         {"AddPermission", s.httpAddPermission},
		{http.MethodDelete, "functions/{name}/policy/{id}"}:  {"RemovePermission", s.httpRemovePermission},
		{http.MethodPut, "functions/{name}/concurrency"}:     {"PutFunctionConcurrency", s.httpPutConcurrency},
		{http.MethodGet, "functions/{name}/concurrency"}:     {"GetFunctionConcurrency", s.httpGetConcurrency},
		{http.MethodDelete, "functions/{name}/concurrency"}:  {"DeleteFunctionConcurrency", s.httpDeleteConcurrency},
	}
	rt, ok := routes[key{method, shape}]
	if !ok {
		return "", nil
	}
	return rt.op, rt.h
}

// writeJSON writes a successful response.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return nil
}

func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decode reads a JSON request body of at most limit bytes into v.
func decode(r *http.Request, limit int64, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return core.Errorf(http.StatusBadRequest, "SerializationException", "reading the request body: %v", err)
	}
	if int64(len(body)) > limit {
		return core.Errorf(http.StatusRequestEntityTooLarge, CodeRequestTooLarge, "the request body is larger than %d bytes", limit)
	}
	return core.DecodeJSON(body, v)
}

func (s *Service) httpInvoke(w http.ResponseWriter, r *http.Request, p []string) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxSyncPayload+1))
	if err != nil {
		return core.Errorf(http.StatusBadRequest, CodeInvalidRequestContent, "reading the payload: %v", err)
	}
	res, err := s.InvokeWith(r.Context(), InvokeInput{
		FunctionName:   p[1],
		Qualifier:      r.URL.Query().Get("Qualifier"),
		Payload:        body,
		InvocationType: r.Header.Get("X-Amz-Invocation-Type"),
		ClientContext:  r.Header.Get("X-Amz-Client-Context"),
		RequestID:      core.CallFrom(r.Context()).RequestID,
	})
	if err != nil {
		return err
	}
	h := w.Header()
	if res.ExecutedVersion != "" && res.StatusCode == http.StatusOK {
		h.Set("X-Amz-Executed-Version", res.ExecutedVersion)
	}
	if res.FunctionError != "" {
		h.Set("X-Amz-Function-Error", res.FunctionError)
	}
	if strings.EqualFold(r.Header.Get("X-Amz-Log-Type"), "Tail") && res.StatusCode == http.StatusOK {
		h.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte(res.LogTail)))
	}
	if res.StatusCode != http.StatusOK {
		w.WriteHeader(res.StatusCode)
		return nil
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(res.Payload)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.Payload)
	return nil
}

func (s *Service) httpListFunctions(w http.ResponseWriter, r *http.Request, _ []string) error {
	q := r.URL.Query()
	all := s.ListFunctions(r.Context(), q.Get("FunctionVersion") == "ALL")
	start, end, next, err := page(q, len(all), 50)
	if err != nil {
		return err
	}
	out := struct {
		Functions  []FunctionConfiguration
		NextMarker *string `json:",omitempty"`
	}{Functions: all[start:end], NextMarker: nextMarker(next)}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Service) httpCreateFunction(w http.ResponseWriter, r *http.Request, _ []string) error {
	var in CreateFunctionInput
	if err := decode(r, maxCodeBody, &in); err != nil {
		return err
	}
	c, err := s.CreateFunction(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// withQualifier appends the Qualifier query parameter to a function
// reference taken from the path.
func withQualifier(r *http.Request, ref string) string {
	if q := r.URL.Query().Get("Qualifier"); q != "" && !strings.HasSuffix(ref, ":"+q) {
		return ref + ":" + q
	}
	return ref
}

func (s *Service) httpGetFunction(w http.ResponseWriter, r *http.Request, p []string) error {
	out, err := s.GetFunction(r.Context(), withQualifier(r, p[1]))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Service) httpGetConfiguration(w http.ResponseWriter, r *http.Request, p []string) error {
	c, err := s.GetFunctionConfiguration(r.Context(), withQualifier(r, p[1]))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Service) httpDeleteFunction(w http.ResponseWriter, r *http.Request, p []string) error {
	if err := s.DeleteFunction(r.Context(), p[1], r.URL.Query().Get("Qualifier")); err != nil {
		return err
	}
	return noContent(w)
}

func (s *Service) httpUpdateConfiguration(w http.ResponseWriter, r *http.Request, p []string) error {
	var in UpdateFunctionConfigurationInput
	if err := decode(r, maxSmallBody, &in); err != nil {
		return err
	}
	in.FunctionName = p[1]
	c, err := s.UpdateFunctionConfiguration(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Service) httpUpdateCode(w http.ResponseWriter, r *http.Request, p []string) error {
	var in UpdateFunctionCodeInput
	if err := decode(r, maxCodeBody, &in); err != nil {
		return err
	}
	in.FunctionName = p[1]
	c, err := s.UpdateFunctionCode(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Service) httpPublishVersion(w http.ResponseWriter, r *http.Request, p []string) error {
	var in struct {
		Description string
		CodeSha256  string
		RevisionID  string `json:"RevisionId"`
	}
	if err := decode(r, maxSmallBody, &in); err != nil {
		return err
	}
	c, err := s.PublishVersion(r.Context(), p[1], in.Description, in.CodeSha256)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (s *Service) httpListVersions(w http.ResponseWriter, r *http.Request, p []string) error {
	vs, err := s.ListVersions(r.Context(), p[1])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct{ Versions []FunctionConfiguration }{vs})
}

func (s *Service) httpCreateAlias(w http.ResponseWriter, r *http.Request, p []string) error {
	var in CreateAliasInput
	if err := decode(r, maxSmallBody, &in); err != nil {
		return err
	}
	in.FunctionName = p[1]
	a, err := s.CreateAlias(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

func (s *Service) httpUpdateAlias(w http.ResponseWriter, r *http.Request, p []string) error {
	var in CreateAliasInput
	if err := decode(r, maxSmallBody, &in); err != nil {
		return err
	}
	in.FunctionName, in.Name = p[1], p[3]
	a, err := s.UpdateAlias(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *Service) httpListAliases(w http.ResponseWriter, r *http.Request, p []string) error {
	as, err := s.ListAliases(r.Context(), p[1])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct{ Aliases []AliasConfiguration }{as})
}

func (s *Service) httpGetAlias(w http.ResponseWriter, r *http.Request, p []string) error {
	a, err := s.GetAlias(r.Context(), p[1], p[3])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *Service) httpDeleteAlias(w http.ResponseWriter, r *http.Request, p []string) error {
	if err := s.DeleteAlias(r.Context(), p[1], p[3]); err != nil {
		return err
	}
	return noContent(w)
}

func (s *Service) httpGetPolicy(w http.ResponseWriter, r *http.Request, p []string) error {
	doc, err := s.GetPolicy(r.Context(), withQualifier(r, p[1]))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"Policy": doc, "RevisionId": core.NewRequestID()})
}

func (s *Service) httpAddPermission(w http.ResponseWriter, r *http.Request, p []string) error {
	var in AddPermissionInput
	if err := decode(r, maxSmallBody, &in); err != nil {
		return err
	}
	in.FunctionName, in.Qualifier = p[1], r.URL.Query().Get("Qualifier")
	st, err := s.AddPermission(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"Statement": st})
}

func (s *Service) httpRemovePermission(w http.ResponseWriter, r *http.Request, p []string) error {
	if err := s.RemovePermission(r.Context(), p[1], p[3]); err != nil {
		return err
	}
	return noContent(w)
}

type concurrencyDoc struct {
	ReservedConcurrentExecutions *int `json:",omitempty"`
}

func (s *Service) httpPutConcurrency(w http.ResponseWriter, r *http.Request, p []string) error {
	var in concurrencyDoc
	if err := decode(r, maxSmallBody, &in); err != nil {
		return err
	}
	if in.ReservedConcurrentExecutions == nil {
		return errValidation("1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null")
	}
	if err := s.PutFunctionConcurrency(r.Context(), p[1], in.ReservedConcurrentExecutions); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, in)
}

func (s *Service) httpGetConcurrency(w http.ResponseWriter, r *http.Request, p []string) error {
	n, err := s.FunctionConcurrency(r.Context(), p[1])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, concurrencyDoc{n})
}

func (s *Service) httpDeleteConcurrency(w http.ResponseWriter, r *http.Request, p []string) error {
	if err := s.PutFunctionConcurrency(r.Context(), p[1], nil); err != nil {
		return err
	}
	return noContent(w)
}

func (s *Service) httpAccountSettings(w http.ResponseWriter, r *http.Request, _ []string) error {
	fns := s.ListFunctions(context.Background(), false)
	var size int64
	for _, f := range fns {
		size += f.CodeSize
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"AccountLimit": map[string]any{
			"TotalCodeSize": 80530636800, "CodeSizeUnzipped": MaxUnzippedCode, "CodeSizeZipped": 52428800,
			"ConcurrentExecutions": s.cfg.MaxConcurrency, "UnreservedConcurrentExecutions": s.cfg.MaxConcurrency,
		},
		"AccountUsage": map[string]any{"TotalCodeSize": size, "FunctionCount": len(fns)},
	})
}
