package ecs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// Service implements ECS. Build it with [New].
type Service struct {
	core.JSONService
	env *core.Env
	log logrus.FieldLogger

	// ctx ends when the service closes, stopping the tasks' runners.
	ctx    context.Context
	cancel context.CancelFunc
	runs   sync.WaitGroup

	mu       sync.Mutex
	clusters map[string]*Cluster          // by name
	families map[string][]*TaskDefinition // by family, revision order
	tasks    map[string]*task             // by task ID
	engine   docker.Engine

	// taskCreds are the task roles' sessions of running tasks, by task ID.
	credMu    sync.Mutex
	taskCreds map[string]core.Credential
}

var _ core.Service = (*Service)(nil)
var _ core.Closer = (*Service)(nil)

// task is a task with what its runner needs.
type task struct {
	Task
	ID string `json:"id"`
	// changed is closed and replaced whenever the task changes, so that
	// RunTaskSync waits without polling.
	changed chan struct{}
	stop    chan string
}

// New builds the ECS service and reloads its state. Tasks that were running
// when the cloud stopped are marked STOPPED: their containers are gone.
func New(env *core.Env) (core.Service, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{
		env: env, log: env.Log.WithField(core.FieldService, "ecs"), ctx: ctx, cancel: cancel,
		clusters: map[string]*Cluster{}, families: map[string][]*TaskDefinition{}, tasks: map[string]*task{},
	}
	if err := s.reload(); err != nil {
		cancel()
		return nil, fmt.Errorf("ecs: reloading state: %w", err)
	}
	s.JSONService = core.JSONService{
		Service:      "ECS",
		TargetPrefix: "AmazonEC2ContainerServiceV20141113",
		ContentType:  "application/x-amz-json-1.1",
		Operations: map[string]core.JSONOperation{
			"CreateCluster":            core.Op(s.createCluster),
			"DescribeClusters":         core.Op(s.describeClusters),
			"DeleteCluster":            core.Op(s.deleteCluster),
			"RegisterTaskDefinition":   core.Op(s.registerTaskDefinition),
			"DescribeTaskDefinition":   core.Op(s.describeTaskDefinition),
			"DeregisterTaskDefinition": core.Op(s.deregisterTaskDefinition),
			"RunTask":                  core.Op(s.runTask),
			"DescribeTasks":            core.Op(s.describeTasks),
			"StopTask":                 core.Op(s.stopTask),
			"ListTasks":                core.Op(s.listTasks),
		},
	}
	return s, nil
}

// Name returns "ecs", ECS's signing name.
func (s *Service) Name() string { return "ecs" }

// Close stops the running tasks' containers and waits for their runners.
func (s *Service) Close() error {
	s.cancel()
	s.runs.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.engine != nil {
		err := s.engine.Close()
		s.engine = nil
		return err
	}
	return nil
}

func (s *Service) coll(name string) *store.Collection { return s.env.Store.Collection("ecs", name) }

func (s *Service) reload() error {
	err := store.ScanAs(s.coll("clusters"), "cluster", func(k string, c Cluster) error {
		s.clusters[k] = &c
		return nil
	})
	if err != nil {
		return err
	}
	err = store.ScanAs(s.coll("taskDefinitions"), "task definition", func(k string, defs []*TaskDefinition) error {
		s.families[k] = defs
		return nil
	})
	if err != nil {
		return err
	}
	return s.coll("tasks").Scan(func(k string, raw json.RawMessage) error {
		t := &task{changed: make(chan struct{})}
		if err := json.Unmarshal(raw, t); err != nil {
			return fmt.Errorf("task %s: %w", k, err)
		}
		if t.LastStatus != StatusStopped {
			now := epoch(s.env.Clock.Now())
			t.LastStatus, t.DesiredStatus, t.StopCode = StatusStopped, StatusStopped, StopTaskFailedToStart
			t.StoppedReason, t.StoppedAt = "the local cloud stopped while the task ran", now
			for i := range t.Containers {
				t.Containers[i].LastStatus = StatusStopped
			}
			if err := s.coll("tasks").Put(k, t); err != nil {
				return err
			}
		}
		s.tasks[k] = t
		return nil
	})
}

// clusterARN and friends build ECS ARNs in the cloud's region.
func (s *Service) clusterARN(name string) string { return s.env.ARN("ecs", "cluster/"+name) }
func (s *Service) taskDefinitionARN(family string, rev int) string {
	return s.env.ARN("ecs", "task-definition/"+family+":"+strconv.Itoa(rev))
}

var clusterName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

func clusterNotFound() *core.Error {
	return core.Errorf(http.StatusBadRequest, "ClusterNotFoundException", "Cluster not found.")
}

// CreateCluster creates a cluster, or returns the existing one of that
// name, as ECS does.
func (s *Service) CreateCluster(name string) (Cluster, error) {
	if name == "" {
		name = "default"
	}
	if !clusterName.MatchString(name) {
		return Cluster{}, core.Errorf(http.StatusBadRequest, "InvalidParameterException",
			"Cluster name %q is invalid: up to 255 letters, numbers, underscores and hyphens", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clusters[name]; ok {
		return *c, nil
	}
	c := &Cluster{ClusterArn: s.clusterARN(name), ClusterName: name, Status: "ACTIVE"}
	if err := s.coll("clusters").Put(name, c); err != nil {
		return Cluster{}, err
	}
	s.clusters[name] = c
	return *c, nil
}

// clusterOf resolves a cluster name or ARN ("" is default); s.mu is held.
func (s *Service) clusterOf(ref string) (*Cluster, error) {
	name := ref
	if name == "" {
		name = "default"
	}
	if i := strings.LastIndex(name, ":cluster/"); i >= 0 {
		name = name[i+len(":cluster/"):]
	}
	c, ok := s.clusters[name]
	if !ok {
		return nil, clusterNotFound()
	}
	return c, nil
}

// DeleteCluster deletes a cluster that runs no tasks.
func (s *Service) DeleteCluster(ref string) (Cluster, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.clusterOf(ref)
	if err != nil {
		return Cluster{}, err
	}
	for _, t := range s.tasks {
		if t.ClusterArn == c.ClusterArn && t.LastStatus != StatusStopped {
			return Cluster{}, core.Errorf(http.StatusBadRequest, "ClusterContainsTasksException",
				"The cluster cannot be deleted while tasks are active.")
		}
	}
	if err := s.coll("clusters").Delete(c.ClusterName); err != nil {
		return Cluster{}, err
	}
	delete(s.clusters, c.ClusterName)
	out := *c
	out.Status = "INACTIVE"
	return out, nil
}

func (s *Service) createCluster(_ context.Context, in struct {
	ClusterName string `json:"clusterName"`
}) (any, error) {
	c, err := s.CreateCluster(in.ClusterName)
	if err != nil {
		return nil, err
	}
	return map[string]any{"cluster": s.counted(c)}, nil
}

// counted fills a cluster's task counts.
func (s *Service) counted(c Cluster) Cluster {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tasks {
		if t.ClusterArn != c.ClusterArn {
			continue
		}
		switch t.LastStatus {
		case StatusRunning:
			c.RunningTasksCount++
		case StatusProvisioning:
			c.PendingTasksCount++
		}
	}
	return c
}

func (s *Service) describeClusters(_ context.Context, in struct {
	Clusters []string `json:"clusters"`
}) (any, error) {
	if len(in.Clusters) == 0 {
		in.Clusters = []string{"default"}
	}
	clusters, failures := []Cluster{}, []failure{}
	for _, ref := range in.Clusters {
		s.mu.Lock()
		c, err := s.clusterOf(ref)
		s.mu.Unlock()
		if err != nil {
			failures = append(failures, failure{Arn: ref, Reason: "MISSING"})
			continue
		}
		clusters = append(clusters, s.counted(*c))
	}
	return map[string]any{"clusters": clusters, "failures": failures}, nil
}

func (s *Service) deleteCluster(_ context.Context, in struct {
	Cluster string `json:"cluster"`
}) (any, error) {
	c, err := s.DeleteCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	return map[string]any{"cluster": c}, nil
}

// failure is an item ECS could not act on.
type failure struct {
	Arn    string `json:"arn"`
	Reason string `json:"reason"`
}

var familyName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// RegisterTaskDefinition registers the next revision of def.Family.
func (s *Service) RegisterTaskDefinition(def TaskDefinition) (TaskDefinition, error) {
	if !familyName.MatchString(def.Family) {
		return TaskDefinition{}, core.Errorf(http.StatusBadRequest, "ClientException",
			"Family %q is invalid: up to 255 letters, numbers, underscores and hyphens", def.Family)
	}
	if len(def.ContainerDefinitions) == 0 {
		return TaskDefinition{}, core.Errorf(http.StatusBadRequest, "ClientException", "Container list cannot be empty.")
	}
	essential := false
	for i, c := range def.ContainerDefinitions {
		if c.Name == "" || c.Image == "" {
			return TaskDefinition{}, core.Errorf(http.StatusBadRequest, "ClientException",
				"containerDefinitions[%d]: name and image are required", i)
		}
		essential = essential || c.essential()
	}
	if !essential {
		return TaskDefinition{}, core.Errorf(http.StatusBadRequest, "ClientException",
			"A task definition must have at least one essential container.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	revs := s.families[def.Family]
	def.Revision = len(revs) + 1
	def.TaskDefinitionArn = s.taskDefinitionARN(def.Family, def.Revision)
	def.Status = "ACTIVE"
	def.RegisteredAt = epoch(s.env.Clock.Now())
	revs = append(revs, &def)
	if err := s.coll("taskDefinitions").Put(def.Family, revs); err != nil {
		return TaskDefinition{}, err
	}
	s.families[def.Family] = revs
	return def, nil
}

// taskDefinitionOf resolves an ARN, family:revision or family (the latest
// ACTIVE revision); s.mu is held.
func (s *Service) taskDefinitionOf(ref string) (*TaskDefinition, error) {
	name := ref
	if i := strings.LastIndex(name, ":task-definition/"); i >= 0 {
		name = name[i+len(":task-definition/"):]
	}
	family, rev, hasRev := strings.Cut(name, ":")
	revs := s.families[family]
	if hasRev {
		n, err := strconv.Atoi(rev)
		if err == nil && n >= 1 && n <= len(revs) {
			return revs[n-1], nil
		}
	} else {
		for i := len(revs) - 1; i >= 0; i-- {
			if revs[i].Status == "ACTIVE" {
				return revs[i], nil
			}
		}
	}
	return nil, core.Errorf(http.StatusBadRequest, "ClientException", "Unable to describe task definition %s.", ref)
}

// DeregisterTaskDefinition marks a revision INACTIVE; running tasks keep it.
func (s *Service) DeregisterTaskDefinition(ref string) (TaskDefinition, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	def, err := s.taskDefinitionOf(ref)
	if err != nil {
		return TaskDefinition{}, err
	}
	def.Status = "INACTIVE"
	if err := s.coll("taskDefinitions").Put(def.Family, s.families[def.Family]); err != nil {
		return TaskDefinition{}, err
	}
	return *def, nil
}

func (s *Service) registerTaskDefinition(_ context.Context, in TaskDefinition) (any, error) {
	def, err := s.RegisterTaskDefinition(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"taskDefinition": def}, nil
}

func (s *Service) describeTaskDefinition(_ context.Context, in struct {
	TaskDefinition string `json:"taskDefinition"`
}) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	def, err := s.taskDefinitionOf(in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	return map[string]any{"taskDefinition": def}, nil
}

func (s *Service) deregisterTaskDefinition(_ context.Context, in struct {
	TaskDefinition string `json:"taskDefinition"`
}) (any, error) {
	def, err := s.DeregisterTaskDefinition(in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	return map[string]any{"taskDefinition": def}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
