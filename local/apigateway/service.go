package apigateway

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/logs"
	"github.com/sparta-go/sparta/local/store"
)

// Service is the local API Gateway: the REST API control plane (signing
// name "apigateway") and the execute-api data plane. Build it with [New].
type Service struct {
	env *core.Env
	log logrus.FieldLogger

	mu   sync.RWMutex
	apis map[string]*restAPI
	// compiled caches the routers of deployments, by API and deployment ID.
	compiled map[string]*router
	// keys and plans are the account's API keys and usage plans by ID;
	// keyByValue finds a key by what clients send in x-api-key.
	keys       map[string]*apiKey
	keyByValue map[string]string
	plans      map[string]*usagePlan
	// limits counts the keys' use of their plans; authCache keeps Lambda
	// authorizers' results.
	limits    *limits
	authCache authCache
	// policies holds parsed Lambda resource policies by their text.
	policies    sync.Map
	policyCount atomic.Int64

	// accessLogs carries access log lines to the goroutine that writes
	// them, off the request's path, as AWS delivers them asynchronously.
	accessLogs chan accessLine
	logsDone   chan struct{}
}

type accessLine struct {
	group, stream, message string
	at                     time.Time
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Matcher = (*Service)(nil)
	_ core.Public  = (*Service)(nil)
	_ core.Closer  = (*Service)(nil)
)

// New builds the service, reloading every REST API from the store.
func New(env *core.Env) (core.Service, error) {
	s := &Service{env: env, log: env.Log.WithField(core.FieldService, "apigateway"),
		apis: map[string]*restAPI{}, compiled: map[string]*router{},
		keys: map[string]*apiKey{}, keyByValue: map[string]string{}, plans: map[string]*usagePlan{},
		limits: newLimits(), authCache: authCache{entries: map[string]*authResult{}},
		accessLogs: make(chan accessLine, 4096), logsDone: make(chan struct{})}
	err := store.ScanAs(s.coll(), "REST API", func(id string, a *restAPI) error {
		s.apis[id] = a
		return nil
	})
	if err == nil {
		err = s.loadKeysAndPlans()
	}
	if err != nil {
		return nil, fmt.Errorf("apigateway: reloading state: %w", err)
	}
	go s.writeAccessLogs()
	return s, nil
}

// accessLogBatch is how long the writer gathers access log lines before
// it appends them, one call per stream: AWS delivers access logs with a
// delay too, and one append per request would cost a store write on the
// request's CPU budget.
const accessLogBatch = 100 * time.Millisecond

// writeAccessLogs appends access log lines to CloudWatch Logs in order,
// in batches.
func (s *Service) writeAccessLogs() {
	defer close(s.logsDone)
	for first := range s.accessLogs {
		batch := []accessLine{first}
		timer := time.NewTimer(accessLogBatch)
	gather:
		for len(batch) < 1000 {
			select {
			case l, ok := <-s.accessLogs:
				if !ok {
					break gather
				}
				batch = append(batch, l)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		s.appendAccessLogs(batch)
	}
}

// appendAccessLogs writes a batch, one Append per group and stream, each
// stream's lines in their order.
func (s *Service) appendAccessLogs(batch []accessLine) {
	svc, _ := s.env.Lookup("logs")
	ls, ok := svc.(*logs.Service)
	if !ok {
		return
	}
	type stream struct{ group, name string }
	var order []stream
	events := map[stream][]logs.Event{}
	for _, l := range batch {
		k := stream{l.group, l.stream}
		if _, seen := events[k]; !seen {
			order = append(order, k)
		}
		events[k] = append(events[k], logs.Event{Timestamp: l.at, Message: l.message})
	}
	for _, k := range order {
		if err := ls.Append(k.group, k.name, events[k]...); err != nil {
			s.log.WithError(err).Warn("writing access log lines")
		}
	}
}

// Close writes the access log lines still queued.
func (s *Service) Close() error {
	close(s.accessLogs)
	<-s.logsDone
	return nil
}

// Name returns "apigateway", API Gateway's signing name.
func (s *Service) Name() string { return "apigateway" }

func (s *Service) coll() *store.Collection { return s.env.Store.Collection("apigateway", "restapis") }

// Match claims the unsigned requests of the execute-api data plane: a Host
// of API-ID.execute-api.localhost, or the path form
// /restapis/API-ID/STAGE/_user_request_/PATH.
func (s *Service) Match(r *http.Request) bool {
	_, _, ok := dataPlaneTarget(r)
	return ok
}

// Public lets the data plane's requests through without SigV4, as AWS
// serves an API whose methods have no IAM authorization.
func (s *Service) Public(r *http.Request) bool { return s.Match(r) }

// ServeHTTP serves the data plane for execute-api requests and the control
// plane for everything else.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if apiID, rest, ok := dataPlaneTarget(r); ok {
		s.serveDataPlane(w, r, apiID, rest)
		return
	}
	s.serveControlPlane(w, r)
}

// dataPlaneTarget finds the API ID and the rest of the path (/STAGE/PATH)
// of an execute-api request.
func dataPlaneTarget(r *http.Request) (apiID, rest string, ok bool) {
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	if id, found := strings.CutSuffix(strings.ToLower(host), ".execute-api.localhost"); found && id != "" && !strings.Contains(id, ".") {
		return id, r.URL.Path, true
	}
	p := r.URL.Path
	if after, found := strings.CutPrefix(p, "/restapis/"); found {
		id, tail, _ := strings.Cut(after, "/")
		stageName, tail2, _ := strings.Cut(tail, "/")
		if id != "" && stageName != "" && (tail2 == "_user_request_" || strings.HasPrefix(tail2, "_user_request_/")) {
			return id, "/" + stageName + strings.TrimPrefix(tail2, "_user_request_"), true
		}
	}
	return "", "", false
}

// api returns a REST API or NotFoundException.
func (s *Service) apiLocked(id string) (*restAPI, error) {
	a, ok := s.apis[id]
	if !ok {
		return nil, notFound("Invalid API identifier specified %s:%s", s.env.AccountID, id)
	}
	return a, nil
}

func (s *Service) saveLocked(a *restAPI) error { return s.coll().Put(a.ID, a) }

func notFound(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusNotFound, "NotFoundException", format, args...)
}

func badRequest(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, "BadRequestException", format, args...)
}

func conflict(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusConflict, "ConflictException", format, args...)
}

// CreateRestAPI makes an API with its root resource "/".
func (s *Service) CreateRestAPI(name, description string) (string, string, error) {
	if name == "" {
		return "", "", badRequest("Invalid REST API name specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &restAPI{ID: newID(10), Name: name, Description: description, CreatedDate: s.env.Clock.Now().UTC(),
		Resources: map[string]*apiResource{}, Models: map[string]*model{}, Validators: map[string]*validator{},
		Deployments: map[string]*deployment{}, Stages: map[string]*stage{}}
	a.RootResourceID = newID(10)
	a.Resources[a.RootResourceID] = &apiResource{ID: a.RootResourceID, Path: "/"}
	if err := s.saveLocked(a); err != nil {
		return "", "", err
	}
	s.apis[a.ID] = a
	return a.ID, a.RootResourceID, nil
}

// UpdateRestAPI changes an API's name and description.
func (s *Service) UpdateRestAPI(id, name, description string) error {
	return s.update(id, func(a *restAPI) error {
		a.Name, a.Description = name, description
		return nil
	})
}

// DeleteRestAPI removes an API with everything in it; a missing one is no
// error.
func (s *Service) DeleteRestAPI(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.apis[id]; !ok {
		return nil
	}
	delete(s.apis, id)
	for k := range s.compiled {
		if strings.HasPrefix(k, id+"/") {
			delete(s.compiled, k)
		}
	}
	return s.coll().Delete(id)
}

// update runs fn on an API under the lock and stores the result.
func (s *Service) update(id string, fn func(a *restAPI) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.apiLocked(id)
	if err != nil {
		return err
	}
	if err := fn(a); err != nil {
		return err
	}
	return s.saveLocked(a)
}

// CreateResource adds the child pathPart under parentID.
func (s *Service) CreateResource(apiID, parentID, pathPart string) (string, error) {
	var id string
	err := s.update(apiID, func(a *restAPI) error {
		parent, ok := a.Resources[parentID]
		if !ok {
			return notFound("Invalid Resource identifier specified")
		}
		if pathPart == "" || strings.Contains(pathPart, "/") {
			return badRequest("Resource's path part must be specified and must not contain /: %q", pathPart)
		}
		path := strings.TrimSuffix(parent.Path, "/") + "/" + pathPart
		for _, r := range a.Resources {
			if r.Path == path {
				return conflict("Another resource with the same parent already has this name: %s", pathPart)
			}
		}
		id = newID(6)
		a.Resources[id] = &apiResource{ID: id, ParentID: parentID, PathPart: pathPart, Path: path}
		return nil
	})
	return id, err
}

// DeleteResource removes a resource and its descendants.
func (s *Service) DeleteResource(apiID, id string) error {
	err := s.update(apiID, func(a *restAPI) error {
		r, ok := a.Resources[id]
		if !ok {
			return nil
		}
		for k, o := range a.Resources {
			if o.Path == r.Path || strings.HasPrefix(o.Path, r.Path+"/") {
				delete(a.Resources, k)
			}
		}
		return nil
	})
	return ignoreMissingAPI(err)
}

func ignoreMissingAPI(err error) error {
	if e, ok := err.(*core.Error); ok && e.Code == "NotFoundException" {
		return nil
	}
	return err
}

// PutMethod sets a resource's method, replacing one with the same verb.
func (s *Service) putMethod(apiID, resourceID string, m *method) error {
	return s.update(apiID, func(a *restAPI) error {
		r, ok := a.Resources[resourceID]
		if !ok {
			return notFound("Invalid Resource identifier specified")
		}
		if m.AuthorizerID != "" {
			if _, ok := a.Authorizers[m.AuthorizerID]; !ok {
				return badRequest("Invalid authorizer ID specified")
			}
		}
		if m.RequestValidatorID != "" {
			if _, ok := a.Validators[m.RequestValidatorID]; !ok {
				return badRequest("Invalid Request Validator identifier specified")
			}
		}
		for ct, name := range m.RequestModels {
			if _, ok := a.Models[name]; !ok {
				return badRequest("Invalid model identifier specified: %s (for %s)", name, ct)
			}
		}
		if r.Methods == nil {
			r.Methods = map[string]*method{}
		}
		r.Methods[m.HTTPMethod] = m
		return nil
	})
}

func (s *Service) deleteMethod(apiID, resourceID, verb string) error {
	return ignoreMissingAPI(s.update(apiID, func(a *restAPI) error {
		if r, ok := a.Resources[resourceID]; ok {
			delete(r.Methods, verb)
		}
		return nil
	}))
}

func (s *Service) putModel(apiID string, m *model) error {
	return s.update(apiID, func(a *restAPI) error {
		if err := checkSchema(m.Schema); err != nil {
			return badRequest("Invalid model specified: Validation Result: warnings : [], errors : [%v]", err)
		}
		if old, ok := a.Models[m.Name]; ok {
			m.ID = old.ID
		} else {
			m.ID = newID(6)
		}
		a.Models[m.Name] = m
		return nil
	})
}

func (s *Service) deleteModel(apiID, name string) error {
	return ignoreMissingAPI(s.update(apiID, func(a *restAPI) error { delete(a.Models, name); return nil }))
}

func (s *Service) putValidator(apiID string, v *validator) error {
	return s.update(apiID, func(a *restAPI) error { a.Validators[v.ID] = v; return nil })
}

func (s *Service) putAuthorizer(apiID string, au *authorizer) error {
	return s.update(apiID, func(a *restAPI) error {
		if _, ok := functionARN(au.AuthorizerURI); !ok {
			return badRequest("Invalid authorizer URI %s: the local API Gateway supports Lambda authorizers", au.AuthorizerURI)
		}
		if a.Authorizers == nil {
			a.Authorizers = map[string]*authorizer{}
		}
		a.Authorizers[au.ID] = au
		return nil
	})
}

func (s *Service) deleteAuthorizer(apiID, id string) error {
	return ignoreMissingAPI(s.update(apiID, func(a *restAPI) error { delete(a.Authorizers, id); return nil }))
}

func (s *Service) deleteValidator(apiID, id string) error {
	return ignoreMissingAPI(s.update(apiID, func(a *restAPI) error { delete(a.Validators, id); return nil }))
}

// CreateDeployment snapshots the API as it is now.
func (s *Service) CreateDeployment(apiID, description string) (string, error) {
	var id string
	err := s.update(apiID, func(a *restAPI) error {
		methods := 0
		for _, r := range a.Resources {
			methods += len(r.Methods)
		}
		if methods == 0 {
			return badRequest("The REST API doesn't contain any methods")
		}
		id = newID(6)
		d := &deployment{ID: id, Description: description, CreatedDate: s.env.Clock.Now().UTC()}
		if err := deepCopy(a.Resources, &d.Resources); err != nil {
			return err
		}
		if err := deepCopy(a.Models, &d.Models); err != nil {
			return err
		}
		if err := deepCopy(a.Validators, &d.Validators); err != nil {
			return err
		}
		if err := deepCopy(a.Authorizers, &d.Authorizers); err != nil {
			return err
		}
		a.Deployments[id] = d
		return nil
	})
	return id, err
}

func (s *Service) deleteDeployment(apiID, id string) error {
	return ignoreMissingAPI(s.update(apiID, func(a *restAPI) error {
		for _, st := range a.Stages {
			if st.DeploymentID == id {
				return badRequest("Active stages pointing to this deployment must be moved or deleted")
			}
		}
		delete(a.Deployments, id)
		return nil
	}))
}

// putStage creates or replaces a stage.
func (s *Service) putStage(apiID string, st *stage) error {
	return s.update(apiID, func(a *restAPI) error {
		if _, ok := a.Deployments[st.DeploymentID]; !ok {
			return badRequest("Invalid deployment identifier specified")
		}
		now := s.env.Clock.Now().UTC()
		st.CreatedDate, st.LastUpdatedDate = now, now
		if old, ok := a.Stages[st.StageName]; ok {
			st.CreatedDate = old.CreatedDate
		}
		a.Stages[st.StageName] = st
		return nil
	})
}

func (s *Service) deleteStage(apiID, name string) error {
	return ignoreMissingAPI(s.update(apiID, func(a *restAPI) error { delete(a.Stages, name); return nil }))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
