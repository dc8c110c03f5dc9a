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

// router is the cloud's single http.Handler: it stamps a request ID,
// refuses cross-site and rebinding requests (guard), finds the service
// (SigV4 scope first, then the matchers of services that accept unsigned
// requests), verifies the signature, authorizes the principal, and hands
// the request over.
type router struct {
	byName map[string]core.Service
	order  []core.Service
	log    logrus.FieldLogger
	// journal records requests when Options.RequestLog is set.
	journal *journal
	// keys verifies signatures; clock is the time they are checked at.
	keys  *core.Keyring
	clock core.Clock
	// guard holds the origin and Host rules.
	guard *guard
	// authorize, when set, decides whether the signed principal may make
	// the call (IAM); nil allows every verified principal.
	authorize func(r *http.Request, svc core.Service, p core.Principal) error
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
		if svc, known := rt.byName[sc.Service]; known || !publicMatch(rt.order, r) {
			return svc, sc, sc.Service
		}
		// A signing name no service has, on a request a public service
		// claims: an execute-api call signed for an API's AWS_IAM method,
		// which API Gateway verifies itself.
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

// publicMatch reports whether a non-fallback matcher that serves public
// requests claims r.
func publicMatch(services []core.Service, r *http.Request) bool {
	for _, s := range services {
		m, isMatcher := s.(core.Matcher)
		p, isPublic := s.(core.Public)
		if _, fb := s.(core.Fallback); isMatcher && isPublic && !fb && m.Match(r) && p.Public(r) {
			return true
		}
	}
	return false
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	call := &core.Call{RequestID: core.NewRequestID()}
	h := w.Header()
	h.Set("X-Amzn-Requestid", call.RequestID)
	h.Set("X-Amz-Request-Id", call.RequestID)
	h.Set("Server", "sparta-local")
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}

	var name string
	r = r.WithContext(core.WithCall(r.Context(), call))
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			rt.log.WithFields(logrus.Fields{core.FieldService: name, core.FieldRequestID: call.RequestID}).
				Errorf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
			if !rec.wrote {
				writeError(rec, r, name, &core.Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Receiver: true,
					Message: fmt.Sprintf("the local cloud's %s service failed", name)})
			}
		}
		for _, f := range call.Faults() {
			rt.log.WithFields(logrus.Fields{core.FieldService: name, core.FieldOperation: call.Operation(), core.FieldRequestID: call.RequestID}).
				Warnf("internal failure: %v", f)
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

	// Browser and network checks come first: nothing of a request from a
	// foreign page or a rebound name reaches a service.
	if err := rt.guard.check(r); err != nil {
		writeError(rec, r, "", err)
		return
	}
	svc, scope, routed := rt.route(r)
	name = routed
	call.Scope, call.Service = scope, name
	if rt.guard.preflight(rec, r, svc) {
		return
	}
	rt.guard.cors(rec, r)
	if svc == nil {
		writeError(rec, r, name, rt.unsupported(name))
		return
	}
	if !rt.authenticate(rec, r, svc, call) {
		return
	}
	svc.ServeHTTP(rec, r)
}

// authenticate verifies the request's signature and authorizes its
// principal, or serves it anonymously when its service says it may
// (core.Public); it writes the refusal and returns false otherwise.
func (rt *router) authenticate(w http.ResponseWriter, r *http.Request, svc core.Service, call *core.Call) bool {
	if rt.keys == nil {
		return true
	}
	proto := protocolOf(svc.Name(), r)
	// A request that a service serves publicly is that service's to
	// authenticate, whatever its Authorization header holds: an API's
	// Lambda TOKEN authorizer reads a bearer token or any string there,
	// the registry its Basic login. The service decides by the request's
	// target (an execute-api host or path, /v2/), never by its signature.
	if p, ok := svc.(core.Public); ok && p.Public(r) {
		return true
	}
	if !signed(r) {
		writeError(w, r, svc.Name(), (&core.AuthError{Kind: core.AuthMissing}).For(proto))
		return false
	}
	v, aerr := core.VerifyRequest(r, svc.Name(), rt.keys, rt.clock.Now())
	if aerr != nil {
		writeError(w, r, svc.Name(), aerr.For(proto))
		return false
	}
	call.Principal, call.Chunks = v.Principal, v.Chunks
	if rt.authorize != nil {
		if err := rt.authorize(r, svc, v.Principal); err != nil {
			writeError(w, r, svc.Name(), err)
			return false
		}
	}
	return true
}

// signed reports whether r carries a SigV4 signature in either form.
// Other Authorization schemes (the registry's Basic login, a bearer token)
// are for the services that accept them (core.Public).
func signed(r *http.Request) bool {
	if auth := r.Header.Get("Authorization"); auth != "" {
		return strings.HasPrefix(auth, "AWS4-") || !strings.HasPrefix(auth, "Basic ") && !strings.HasPrefix(auth, "Bearer ")
	}
	q := r.URL.Query()
	return q.Has("X-Amz-Signature") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Algorithm")
}

// unsupported is the refusal for a service the local cloud does not run.
func (rt *router) unsupported(name string) *core.Error {
	names := make([]string, 0, len(rt.byName))
	for n := range rt.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	if name == "" {
		return core.Errorf(http.StatusForbidden, "MissingAuthenticationToken",
			"Request is missing Authentication Token: sign it with AWS Signature Version 4 (the local cloud's default credentials are %s/%s) "+
				"so that its credential scope names one of: %s", core.DefaultAccessKeyID, core.DefaultSecretAccessKey, strings.Join(names, ", "))
	}
	return core.Errorf(http.StatusNotImplemented, "NotImplemented",
		"the %s service is not supported by the local cloud (supported: %s)", name, strings.Join(names, ", "))
}

// protocolOf is the wire protocol of service name as r speaks it.
func protocolOf(name string, r *http.Request) core.Protocol {
	if r.Header.Get("X-Amz-Target") != "" {
		return core.ProtocolJSON
	}
	switch name {
	case "s3":
		return core.ProtocolRESTXML
	case "lambda", "apigateway", "execute-api":
		return core.ProtocolRESTJSON
	case "sts", "iam", "sns", "cloudformation":
		return core.ProtocolQuery
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		return core.ProtocolQuery
	}
	return core.ProtocolRESTXML
}

// writeError renders err in the protocol of service name as r speaks it.
func writeError(w http.ResponseWriter, r *http.Request, name string, err error) {
	switch protocolOf(name, r) {
	case core.ProtocolJSON:
		ct := r.Header.Get("Content-Type")
		if !strings.HasPrefix(ct, "application/x-amz-json-") {
			ct = "application/x-amz-json-1.1"
		}
		core.WriteJSONError(w, r, ct, err)
	case core.ProtocolQuery:
		core.WriteQueryError(w, r, "", err)
	case core.ProtocolRESTJSON:
		core.WriteRESTJSONError(w, r, err)
	default:
		core.WriteRESTXMLError(w, r, err)
	}
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
