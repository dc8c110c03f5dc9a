package cloudformation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/sparta-go/sparta/local/store"
)

// Namespace is the XML namespace of CloudFormation responses.
const Namespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// TemplateFetcher reads the template a TemplateURL names (an object of the
// local S3, in the local cloud).
type TemplateFetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// Config is what the service needs from the local cloud. Store, Region and
// AccountID are required; the rest have defaults.
type Config struct {
	// Store is the service's own collection (stacks, events, change sets
	// live in collections under it).
	Store *store.Collection
	// Region and AccountID appear in stack ARNs and pseudo parameters.
	Region, AccountID string
	// Providers implement resource types. The service adds its own inert
	// providers (see [InertProviders]) for the types Providers lacks.
	Providers resource.Registry
	// Templates reads TemplateURL; nil makes TemplateURL a ValidationError.
	Templates TemplateFetcher
	// Log receives one line per stack operation milestone; nil discards.
	Log logrus.FieldLogger
	// Clock is the time source of timestamps; nil means time.Now.
	Clock func() time.Time
	// Parameters resolves {{resolve:ssm:...}} dynamic references (the
	// local Parameter Store); nil refuses them, naming the resource.
	Parameters ParameterStore
	// Concurrency bounds the resources created, updated or deleted at once
	// in one stack operation; zero means 8.
	Concurrency int
	// Functions runs the Lambda functions behind custom resources; nil
	// fails custom resources with a clear error.
	Functions FunctionInvoker
	// Endpoint is the local cloud's base URL, where custom resources'
	// ResponseURLs point (http://127.0.0.1:PORT).
	Endpoint string
	// CustomResourceTimeout is how long a custom resource operation waits
	// for its response when the resource sets no ServiceTimeout; zero
	// means DefaultCustomResourceTimeout (one hour, as on AWS).
	CustomResourceTimeout time.Duration
}

// Service is the local cloud's CloudFormation: the awsQuery API, stacks and
// their lifecycle. Build it with [New]; it is safe for concurrent use.
type Service struct {
	core.QueryService
	cfg Config
	log logrus.FieldLogger

	providers resource.Registry

	stacksC, eventsC, changeSetsC *store.Collection

	// ctx is cancelled by Close; operations stop starting resources then.
	ctx    context.Context
	cancel context.CancelFunc
	ops    sync.WaitGroup

	mu         sync.Mutex
	stacks     map[string]*stackDoc     // by stack ID, deleted ones included
	byName     map[string]string        // live stack name -> ID
	changeSets map[string]*changeSetDoc // by change set ID
	// custom holds the custom resource requests waiting for a response.
	custom customResponses

	// changed is closed and replaced whenever a stack's status changes, so
	// that waiters wake up.
	changed chan struct{}
	closed  bool
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Matcher = (*Service)(nil)
	_ core.Public  = (*Service)(nil)
)

// New builds the service and loads its state from cfg.Store. Operations
// that were under way when the previous process stopped end in a failed
// state whose reason says so (CREATE_FAILED, ROLLBACK_FAILED,
// UPDATE_ROLLBACK_FAILED, DELETE_FAILED); from there the stack can be
// deleted, or, after an update, rolled back with ContinueUpdateRollback.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("cloudformation: Config.Store is required")
	}
	if cfg.Region == "" || cfg.AccountID == "" {
		return nil, errors.New("cloudformation: Config.Region and Config.AccountID are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.CustomResourceTimeout <= 0 {
		cfg.CustomResourceTimeout = DefaultCustomResourceTimeout
	}
	log := cfg.Log
	if log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		log = l
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{
		cfg:         cfg,
		providers:   registry(cfg.Providers),
		log:         log.WithField(core.FieldService, "cloudformation"),
		stacksC:     cfg.Store.Sub("stacks"),
		eventsC:     cfg.Store.Sub("events"),
		changeSetsC: cfg.Store.Sub("changesets"),
		ctx:         ctx,
		cancel:      cancel,
		stacks:      map[string]*stackDoc{},
		byName:      map[string]string{},
		changeSets:  map[string]*changeSetDoc{},
		changed:     make(chan struct{}),
	}
	s.QueryService = core.QueryService{Service: "CloudFormation", Namespace: Namespace, Actions: s.actions()}
	if _, ok := s.providers[CustomResourceType]; !ok {
		s.providers[CustomResourceType] = customProvider{s}
	}
	if err := s.load(); err != nil {
		cancel()
		return nil, err
	}
	return s, nil
}

// provider returns the provider of a resource type, nil when none.
func (s *Service) provider(typ string) resource.Provider {
	if p, ok := s.providers[typ]; ok {
		return p
	}
	if isCustomType(typ) {
		return s.providers[CustomResourceType]
	}
	return nil
}

// registry merges the configured providers with the inert ones, which fill
// only the types no service claims.
func registry(configured resource.Registry) resource.Registry {
	providers := resource.Registry{}
	for t, p := range configured {
		providers[t] = p
	}
	for t, p := range InertProviders() {
		if _, ok := providers[t]; !ok {
			providers[t] = p
		}
	}
	return providers
}

// Name returns "cloudformation", the service's SigV4 signing name.
func (s *Service) Name() string { return "cloudformation" }

// Providers returns the providers of the types this package gives meaning
// to: the inert EC2 and CloudWatch types (see [InertProviders]).
func (s *Service) Providers() map[string]resource.Provider { return InertProviders() }

// Close stops the service: no operation starts a new resource afterwards,
// and Close waits for the provider calls under way to return. Operations
// it interrupts stay in progress in the store, so the next New ends them in
// a failed state, as after a kill.
func (s *Service) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.ops.Wait()
	return nil
}

// go runs an operation in the background; the API returns at once and
// clients poll, as on AWS.
func (s *Service) goOp(fn func(ctx context.Context)) {
	s.ops.Add(1)
	go func() {
		defer s.ops.Done()
		fn(s.ctx)
	}()
}

func (s *Service) now() time.Time { return s.cfg.Clock().UTC() }

// notifyLocked wakes up waiters; callers hold s.mu.
func (s *Service) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// saveLocked writes a stack through to the store; callers hold s.mu.
func (s *Service) saveLocked(st *stackDoc) error {
	if err := s.stacksC.Put(st.ID, st); err != nil {
		s.log.WithError(err).WithField("stack", st.Name).Error("persisting stack")
		return fmt.Errorf("persisting stack %s: %w", st.Name, err)
	}
	return nil
}

// setStatusLocked changes a stack's status, records the stack event and
// persists the stack.
func (s *Service) setStatusLocked(st *stackDoc, status, reason string) {
	st.Status, st.StatusReason = status, reason
	s.eventLocked(st, Event{LogicalID: st.Name, PhysicalID: st.ID, ResourceType: stackResourceType, Status: status, Reason: reason})
	_ = s.saveLocked(st)
	s.notifyLocked()
	s.log.WithField("stack", st.Name).WithField("status", status).Info(reason)
}

// eventLocked appends an event to the stack's log.
func (s *Service) eventLocked(st *stackDoc, e Event) {
	e.EventID = core.NewRequestID()
	e.StackID, e.StackName = st.ID, st.Name
	e.Timestamp = s.now()
	s.loadEventsLocked(st)
	st.events = append(st.events, e)
	if err := s.eventsC.Append(st.ID, e); err != nil {
		s.log.WithError(err).WithField("stack", st.Name).Error("persisting stack event")
	}
}

// resourceEventLocked records a resource's new status as an event.
func (s *Service) resourceEventLocked(st *stackDoc, r *state, status, reason string) {
	r.Status, r.StatusReason, r.Updated = status, reason, s.now()
	var props string
	if r.Properties != nil && (status == StatusCreateInProgress || status == StatusUpdateInProgress) && reason == "" {
		props = marshalProps(r.Properties)
	}
	s.eventLocked(st, Event{LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, ResourceType: r.Type, Status: status, Reason: reason, Properties: props})
}

// Stack is a snapshot of a stack, for Go callers (the deploy workflow,
// tests).
type Stack struct {
	ID, Name, Status, StatusReason, Description string
	Parameters                                  map[string]string
	Outputs                                     map[string]string
	// Exports maps export names to values.
	Exports   map[string]string
	Resources []StackResource
	Created   time.Time
	Updated   time.Time
}

// StackResource is one resource of a [Stack].
type StackResource struct {
	LogicalID, Type, PhysicalID, Status, StatusReason string
	Properties                                        map[string]any
	Attributes                                        map[string]any
}

// Stack returns the stack named name: the live one, else the last deleted
// one of that name; or the stack with that ID.
func (s *Service) Stack(name string) (Stack, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findAnyLocked(name)
	if st == nil {
		return Stack{}, false
	}
	return st.snapshotForCaller(), true
}

// WaitStable waits until the stack named name (as [Service.Stack] finds
// it) has no operation under way and returns it. It fails when ctx ends or the stack
// does not exist.
func (s *Service) WaitStable(ctx context.Context, name string) (Stack, error) {
	s.mu.Lock()
	st := s.findAnyLocked(name)
	s.mu.Unlock()
	if st == nil {
		return Stack{}, fmt.Errorf("stack %s does not exist", name)
	}
	for {
		s.mu.Lock()
		if !inProgress(st.Status) {
			out := st.snapshotForCaller()
			s.mu.Unlock()
			return out, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Stack{}, fmt.Errorf("waiting for stack %s: %w", name, ctx.Err())
		}
	}
}

// Events returns the events of the stack named name (or with that ID),
// oldest first.
func (s *Service) Events(name string) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findAnyLocked(name)
	if st == nil {
		return nil, fmt.Errorf("stack %s does not exist", name)
	}
	s.loadEventsLocked(st)
	return append([]Event(nil), st.events...), nil
}

// Exports returns every export of the live stacks, by name.
func (s *Service) Exports() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for name, e := range s.exportsLocked() {
		out[name] = e.value
	}
	return out
}

func (st *stackDoc) snapshotForCaller() Stack {
	out := Stack{
		ID: st.ID, Name: st.Name, Status: st.Status, StatusReason: st.StatusReason,
		Description: st.Description, Parameters: map[string]string{}, Outputs: map[string]string{},
		Exports: map[string]string{}, Created: st.Created, Updated: st.Updated,
	}
	for k, v := range st.Parameters {
		out.Parameters[k] = v
	}
	for _, o := range st.Outputs {
		out.Outputs[o.Name] = o.Value
		if o.ExportName != "" {
			out.Exports[o.ExportName] = o.Value
		}
	}
	for _, id := range sortedIDs(st.Resources) {
		r := st.Resources[id]
		out.Resources = append(out.Resources, StackResource{
			LogicalID: r.LogicalID, Type: r.Type, PhysicalID: r.PhysicalID, Status: r.Status,
			StatusReason: r.StatusReason, Properties: r.Properties, Attributes: r.Attributes,
		})
	}
	return out
}

// findLocked resolves a stack name or ID: a name finds the live stack, an
// ID finds the stack even once deleted.
func (s *Service) findLocked(nameOrID string) *stackDoc {
	if st, ok := s.stacks[nameOrID]; ok {
		return st
	}
	if id, ok := s.byName[nameOrID]; ok {
		return s.stacks[id]
	}
	return nil
}

// findAnyLocked is findLocked for Go callers: a name that has no live
// stack finds the last deleted stack of that name, so that waiting for a
// deletion by name works.
func (s *Service) findAnyLocked(nameOrID string) *stackDoc {
	if st := s.findLocked(nameOrID); st != nil {
		return st
	}
	var last *stackDoc
	for _, st := range s.stacks {
		if st.Name == nameOrID && (last == nil || st.Created.After(last.Created)) {
			last = st
		}
	}
	return last
}

func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
