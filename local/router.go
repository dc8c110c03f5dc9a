package local

import (
	"fmt"
	"mime"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
)

// router is the cloud's single http.Handler: it stamps a request ID, finds
// the service (SigV4 scope first, then the matchers of services that accept
// unsigned requests), and hands the request over.
type router struct {
	byName map[string]core.Service
	order  []core.Service
	log    logrus.FieldLogger
	// journal records requests when Options.RequestLog is set.
	journal *journal
}

func newRouter(services []core.Service, log logrus.FieldLogger) *router {
	rt := &router{byName: make(map[string]core.Service, len(services)), log: log}
	for _, s := range services {
		rt.byName[s.Name()] = s
		rt.order = append(rt.order, s)
	}
	return rt
}

func (rt *router) lookup(name string) (core.Service, bool) {
	s, ok := rt.byName[name]
	return s, ok
}

// route picks the service for r. name is what the request asked for (the
// scope's service), for error messages; svc is nil when nothing serves it.
func (rt *router) route(r *http.Request) (svc core.Service, scope core.Scope, name string) {
	if sc, ok := core.ScopeFromRequest(r); ok {
		return rt.byName[sc.Service], sc, sc.Service
	}
	for _, fallbacks := range []bool{false, true} {
		for _, s := range rt.order {
			m, ok := s.(core.Matcher)
			if _, fb := s.(core.Fallback); ok && fb == fallbacks && m.Match(r) {
				return s, core.Scope{}, s.Name()
			}
		}
	}
	return nil, core.Scope{}, ""
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	call := &core.Call{RequestID: core.NewRequestID()}
	h := w.Header()
	h.Set("X-Amzn-Requestid", call.RequestID)
	h.Set("X-Amz-Request-Id", call.RequestID)
	h.Set("Server", "sparta-local")
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}

	svc, scope, name := rt.route(r)
	call.Scope, call.Service = scope, name
	r = r.WithContext(core.WithCall(r.Context(), call))
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			rt.log.WithFields(logrus.Fields{core.FieldService: name, core.FieldRequestID: call.RequestID}).
				Errorf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
			if !rec.wrote {
				writeError(rec, r, &core.Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Receiver: true,
					Message: fmt.Sprintf("the local cloud's %s service failed: %v", name, p)})
			}
		}
		rt.journal.record(start, name, call.Operation(), rec.status)
		rt.log.WithFields(logrus.Fields{
			core.FieldService:   name,
			core.FieldOperation: call.Operation(),
			core.FieldStatus:    rec.status,
			core.FieldRequestID: call.RequestID,
			core.FieldDuration:  time.Since(start).Round(time.Microsecond),
		}).Debugf("%s %s", r.Method, r.URL.Path)
	}()

	if svc == nil {
		writeError(rec, r, rt.unsupported(name))
		return
	}
	svc.ServeHTTP(rec, r)
}

// unsupported is the refusal for a service the local cloud does not run.
func (rt *router) unsupported(name string) *core.Error {
	names := make([]string, 0, len(rt.byName))
	for n := range rt.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	if name == "" {
		return core.Errorf(http.StatusBadRequest, "MissingAuthenticationToken",
			"the request is not signed with AWS Signature Version 4, so the local cloud cannot tell which service it is for; "+
				"sign it with any credentials (they are not checked) so that its credential scope names one of: %s", strings.Join(names, ", "))
	}
	return core.Errorf(http.StatusNotImplemented, "NotImplemented",
		"the %s service is not supported by the local cloud (supported: %s)", name, strings.Join(names, ", "))
}

// writeError renders err in the protocol the request appears to speak:
// awsJson when it has an X-Amz-Target, awsQuery for form posts, REST-XML
// otherwise.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Header.Get("X-Amz-Target") != "" {
		ct := r.Header.Get("Content-Type")
		if !strings.HasPrefix(ct, "application/x-amz-json-") {
			ct = "application/x-amz-json-1.1"
		}
		core.WriteJSONError(w, r, ct, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		core.WriteQueryError(w, r, "", err)
		return
	}
	core.WriteRESTXMLError(w, r, err)
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Flush lets streaming services (log tails, event streams) flush through
// the recorder.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		s.wrote = true
		f.Flush()
	}
}

// Unwrap gives http.ResponseController access to the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
