package ecs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/local/core"
)

// RunTaskInput is the RunTask request. Step Functions' PascalCase
// Parameters decode into it too (JSON field names match case-insensitively).
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html.
type RunTaskInput struct {
	Cluster              string          `json:"cluster"`
	TaskDefinition       string          `json:"taskDefinition"`
	LaunchType           string          `json:"launchType"`
	Count                int             `json:"count"`
	StartedBy            string          `json:"startedBy"`
	Group                string          `json:"group"`
	Overrides            TaskOverride    `json:"overrides"`
	NetworkConfiguration json.RawMessage `json:"networkConfiguration"`
}

// awsvpc is the part of a network configuration ECS validates.
type awsvpc struct {
	AwsvpcConfiguration *struct {
		Subnets []string `json:"subnets"`
	} `json:"awsvpcConfiguration"`
}

// RunTask starts in.Count tasks (default one) of a task definition and
// returns them PROVISIONING; each runs in the background.
func (s *Service) RunTask(ctx context.Context, in RunTaskInput) ([]Task, error) {
	if in.Count == 0 {
		in.Count = 1
	}
	if in.Count < 1 || in.Count > 10 {
		return nil, core.Errorf(http.StatusBadRequest, "InvalidParameterException", "count must be between 1 and 10")
	}
	if in.TaskDefinition == "" {
		return nil, core.Errorf(http.StatusBadRequest, "InvalidParameterException", "taskDefinition is required")
	}
	s.mu.Lock()
	cluster, err := s.clusterOf(in.Cluster)
	var def *TaskDefinition
	if err == nil {
		def, err = s.taskDefinitionOf(in.TaskDefinition)
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if def.NetworkMode == "awsvpc" {
		var nc awsvpc
		_ = json.Unmarshal(in.NetworkConfiguration, &nc)
		if nc.AwsvpcConfiguration == nil || len(nc.AwsvpcConfiguration.Subnets) == 0 {
			return nil, core.Errorf(http.StatusBadRequest, "InvalidParameterException",
				"Network Configuration must be provided when networkMode 'awsvpc' is specified.")
		}
	}
	if in.LaunchType != "" && in.LaunchType != "FARGATE" && in.LaunchType != "EC2" {
		return nil, core.Errorf(http.StatusBadRequest, "InvalidParameterException", "launchType %q is not supported by the local cloud (FARGATE or EC2)", in.LaunchType)
	}
	engine, err := s.engineFor(ctx)
	if err != nil {
		return nil, err
	}
	var out []Task
	for range in.Count {
		t := s.newTask(cluster, def, in)
		if err := s.save(t); err != nil {
			return nil, err
		}
		out = append(out, t.Task)
		s.runs.Add(1)
		go func() {
			defer s.runs.Done()
			s.run(t, *def, engine)
		}()
	}
	return out, nil
}

// engineFor connects to the Docker engine once; RunTask without one is a
// client error that says what to do.
func (s *Service) engineFor(ctx context.Context) (docker.Engine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.engine != nil {
		return s.engine, nil
	}
	c, err := docker.Connect(ctx)
	if err != nil {
		return nil, core.Errorf(http.StatusBadRequest, "ClientException",
			"the local cloud runs ECS tasks as Docker containers, and it cannot: %v", err)
	}
	s.engine = c
	return c, nil
}

func (s *Service) newTask(cluster *Cluster, def *TaskDefinition, in RunTaskInput) *task {
	id := randomID()
	arn := s.env.ARN("ecs", "task/"+cluster.ClusterName+"/"+id)
	t := &task{ID: id, changed: make(chan struct{}), stop: make(chan string, 1)}
	launch := in.LaunchType
	if launch == "" && contains(def.RequiresCompatibilities, "FARGATE") {
		launch = "FARGATE"
	}
	t.Task = Task{
		TaskArn: arn, ClusterArn: cluster.ClusterArn, TaskDefinitionArn: def.TaskDefinitionArn,
		LastStatus: StatusProvisioning, DesiredStatus: StatusRunning, LaunchType: launch,
		StartedBy: in.StartedBy, Group: in.Group, Cpu: string(def.Cpu), Memory: string(def.Memory),
		Overrides: in.Overrides, CreatedAt: epoch(s.env.Clock.Now()), Version: 1,
	}
	if t.Group == "" {
		t.Group = "family:" + def.Family
	}
	for _, c := range def.ContainerDefinitions {
		t.Containers = append(t.Containers, Container{
			ContainerArn: s.env.ARN("ecs", "container/"+cluster.ClusterName+"/"+id+"/"+randomID()),
			TaskArn:      arn, Name: c.Name, Image: c.Image, LastStatus: "PENDING",
		})
	}
	s.mu.Lock()
	s.tasks[id] = t
	s.mu.Unlock()
	return t
}

// update changes a task under the lock, persists it and wakes waiters.
func (s *Service) update(t *task, fn func(*Task)) {
	s.mu.Lock()
	fn(&t.Task)
	t.Version++
	close(t.changed)
	t.changed = make(chan struct{})
	s.mu.Unlock()
	if err := s.save(t); err != nil {
		s.log.WithError(err).WithField("task", t.TaskArn).Warn("saving a task")
	}
}

func (s *Service) save(t *task) error {
	s.mu.Lock()
	snapshot := *t
	snapshot.Containers = append([]Container(nil), t.Containers...)
	s.mu.Unlock()
	return s.coll("tasks").Put(t.ID, &snapshot)
}

// taskOf resolves a task ARN or ID within a cluster; s.mu is held.
func (s *Service) taskOf(cluster *Cluster, ref string) (*task, bool) {
	id := ref[strings.LastIndex(ref, "/")+1:]
	t, ok := s.tasks[id]
	if !ok || t.ClusterArn != cluster.ClusterArn {
		return nil, false
	}
	return t, true
}

// Snapshot returns a copy of the task.
func (t *task) snapshot() Task {
	c := t.Task
	c.Containers = append([]Container(nil), t.Containers...)
	return c
}

// DescribeTask returns a task by ARN, for callers in the cloud.
func (s *Service) DescribeTask(arn string) (Task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[arn[strings.LastIndex(arn, "/")+1:]]
	if !ok {
		return Task{}, false
	}
	return t.snapshot(), true
}

// StopTask asks a task to stop: its containers get SIGTERM, then SIGKILL.
func (s *Service) StopTask(clusterRef, ref, reason string) (Task, error) {
	s.mu.Lock()
	cluster, err := s.clusterOf(clusterRef)
	var t *task
	if err == nil {
		var ok bool
		if t, ok = s.taskOf(cluster, ref); !ok {
			err = core.Errorf(http.StatusBadRequest, "InvalidParameterException", "The referenced task was not found.")
		}
	}
	s.mu.Unlock()
	if err != nil {
		return Task{}, err
	}
	if reason == "" {
		reason = "Task stopped by user"
	}
	s.mu.Lock()
	stopped := t.LastStatus == StatusStopped
	s.mu.Unlock()
	if !stopped {
		select {
		case t.stop <- reason:
		default:
		}
		s.update(t, func(t *Task) {
			t.DesiredStatus = StatusStopped
			if t.StoppingAt == 0 {
				t.StoppingAt = epoch(s.env.Clock.Now())
			}
		})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return t.snapshot(), nil
}

// Wait blocks until the task is STOPPED or ctx ends.
func (s *Service) Wait(ctx context.Context, arn string) (Task, error) {
	for {
		s.mu.Lock()
		t, ok := s.tasks[arn[strings.LastIndex(arn, "/")+1:]]
		if !ok {
			s.mu.Unlock()
			return Task{}, errors.New("no task " + arn)
		}
		snap, changed := t.snapshot(), t.changed
		s.mu.Unlock()
		if snap.LastStatus == StatusStopped {
			return snap, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return snap, ctx.Err()
		}
	}
}

func (s *Service) runTask(ctx context.Context, in RunTaskInput) (any, error) {
	tasks, err := s.RunTask(ctx, in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"tasks": tasks, "failures": []failure{}}, nil
}

func (s *Service) describeTasks(_ context.Context, in struct {
	Cluster string   `json:"cluster"`
	Tasks   []string `json:"tasks"`
}) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cluster, err := s.clusterOf(in.Cluster)
	if err != nil {
		return nil, err
	}
	tasks, failures := []Task{}, []failure{}
	for _, ref := range in.Tasks {
		if t, ok := s.taskOf(cluster, ref); ok {
			tasks = append(tasks, t.snapshot())
		} else {
			failures = append(failures, failure{Arn: ref, Reason: "MISSING"})
		}
	}
	return map[string]any{"tasks": tasks, "failures": failures}, nil
}

func (s *Service) stopTask(_ context.Context, in struct {
	Cluster string `json:"cluster"`
	Task    string `json:"task"`
	Reason  string `json:"reason"`
}) (any, error) {
	t, err := s.StopTask(in.Cluster, in.Task, in.Reason)
	if err != nil {
		return nil, err
	}
	return map[string]any{"task": t}, nil
}

func (s *Service) listTasks(_ context.Context, in struct {
	Cluster       string `json:"cluster"`
	Family        string `json:"family"`
	StartedBy     string `json:"startedBy"`
	DesiredStatus string `json:"desiredStatus"`
}) (any, error) {
	if in.DesiredStatus == "" {
		in.DesiredStatus = StatusRunning
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cluster, err := s.clusterOf(in.Cluster)
	if err != nil {
		return nil, err
	}
	arns := []string{}
	for _, id := range sortedKeys(s.tasks) {
		t := s.tasks[id]
		if t.ClusterArn != cluster.ClusterArn || t.DesiredStatus != in.DesiredStatus ||
			(in.StartedBy != "" && t.StartedBy != in.StartedBy) ||
			(in.Family != "" && t.Group != "family:"+in.Family) {
			continue
		}
		arns = append(arns, t.TaskArn)
	}
	return map[string]any{"taskArns": arns}, nil
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
