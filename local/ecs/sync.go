package ecs

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// TaskFailedError is a task run by ecs:runTask.sync that failed: an
// essential container exited non-zero or the task could not start. Step
// Functions reports it as States.TaskFailed with the stopped task (its
// PascalCase JSON) as the cause.
type TaskFailedError struct {
	TaskArn string
	Reason  string
	// Task is the stopped task as the state's output would show it.
	Task map[string]any
}

func (e *TaskFailedError) Error() string {
	return fmt.Sprintf("ECS task %s failed: %s", e.TaskArn, e.Reason)
}

// ErrorName returns States.TaskFailed, the error Step Functions raises.
func (e *TaskFailedError) ErrorName() string { return "States.TaskFailed" }

// ErrorCause is the stopped task's JSON, as AWS gives it.
func (e *TaskFailedError) ErrorCause() string {
	b, _ := json.Marshal(e.Task)
	return string(b)
}

// RunTaskSync runs one task as Step Functions' arn:aws:states:::ecs:runTask.sync
// integration does: parameters are the state's resolved Parameters
// (Cluster, TaskDefinition, LaunchType, NetworkConfiguration, Overrides...,
// PascalCase); it waits until the task stops and returns the task with
// PascalCase keys, the state's result. A failed task is a
// *TaskFailedError. If ctx ends first, the task is stopped and ctx's error
// returned.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html.
func (s *Service) RunTaskSync(ctx context.Context, parameters map[string]any) (map[string]any, error) {
	raw, err := json.Marshal(parameters)
	if err != nil {
		return nil, err
	}
	var in RunTaskInput
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("ecs:runTask.sync parameters: %w", err)
	}
	in.Count = 1
	tasks, err := s.RunTask(ctx, in)
	if err != nil {
		return nil, err
	}
	t, err := s.Wait(ctx, tasks[0].TaskArn)
	if err != nil {
		_, _ = s.StopTask(tasks[0].ClusterArn, tasks[0].TaskArn, "Step Functions execution stopped")
		return nil, err
	}
	out := pascal(t)
	if reason := failed(t); reason != "" {
		return nil, &TaskFailedError{TaskArn: t.TaskArn, Reason: reason, Task: out}
	}
	return out, nil
}

// failed explains why a stopped task failed, or returns "".
func failed(t Task) string {
	if t.StopCode == StopTaskFailedToStart {
		return t.StoppedReason
	}
	for _, c := range t.Containers {
		if c.ExitCode != nil && *c.ExitCode != 0 {
			return fmt.Sprintf("container %s exited with code %d (%s)", c.Name, *c.ExitCode, t.StoppedReason)
		}
	}
	if t.StopCode == StopUserInitiated {
		return t.StoppedReason
	}
	return ""
}

// pascal is the task's JSON with PascalCase keys, as Step Functions returns
// service responses.
func pascal(t Task) map[string]any {
	raw, _ := json.Marshal(t)
	var v any
	_ = json.Unmarshal(raw, &v)
	m, _ := capitalize(v).(map[string]any)
	return m
}

func capitalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, n := utf8.DecodeRuneInString(k)
			out[string(unicode.ToUpper(r))+k[n:]] = capitalize(e)
		}
		return out
	case []any:
		for i := range x {
			x[i] = capitalize(x[i])
		}
		return x
	}
	return v
}
