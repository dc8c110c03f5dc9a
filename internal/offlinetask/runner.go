package offlinetask

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"time"
)

// Runner runs one kind of task: the service's container, as the program's
// own binary.
type Runner struct {
	// Executable is the host build of the program (os.Executable()).
	Executable string
	// Container is the task definition's container name ("task" by
	// default); overrides are matched by it.
	Container string
	// Image is the container's image: its argv and the binary's path.
	Image Image
	// Environment is the task definition's container environment.
	Environment map[string]string
	// Output receives the task's standard output and error; nil discards.
	Output io.Writer
	// Now is the clock of the task's timestamps; nil is time.Now.
	Now func() time.Time
}

// Error is a failed task as Step Functions raises it: States.TaskFailed
// with the stopped task's JSON as the cause
// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html).
type Error struct {
	Name, Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

// params are the state's resolved Parameters that matter offline.
type params struct {
	Cluster, TaskDefinition, LaunchType string
	Overrides                           struct {
		ContainerOverrides []struct {
			Name        string
			Command     []string
			Environment []struct{ Name, Value string }
		}
	}
}

// Run runs the task the parameters describe and waits for it to stop. The
// result is the stopped task with PascalCase keys, as the .sync integration
// returns it; a non-zero exit is an *Error named States.TaskFailed, and a
// command that cannot be run offline is an *Error named States.Runtime that
// says why.
func (r *Runner) Run(ctx context.Context, input json.RawMessage) (json.RawMessage, error) {
	var p params
	if err := json.Unmarshal(input, &p); err != nil {
		return nil, &Error{Name: "States.Runtime", Cause: "ecs:runTask parameters: " + err.Error()}
	}
	if p.TaskDefinition == "" {
		return nil, &Error{Name: "States.Runtime", Cause: "ecs:runTask needs Parameters with TaskDefinition"}
	}
	container := r.Container
	if container == "" {
		container = "task"
	}
	env := map[string]string{}
	for k, v := range r.Environment {
		env[k] = v
	}
	var cmd []string
	for _, o := range p.Overrides.ContainerOverrides {
		if o.Name != "" && o.Name != container {
			return nil, &Error{Name: "States.Runtime", Cause: fmt.Sprintf("ecs:runTask: ContainerOverrides names container %q, but the task definition's container is %q", o.Name, container)}
		}
		if len(o.Command) > 0 {
			cmd = o.Command
		}
		for _, kv := range o.Environment {
			env[kv.Name] = kv.Value
		}
	}
	argv := r.Image.Argv(cmd)
	if len(argv) == 0 {
		return nil, &Error{Name: "States.Runtime", Cause: "ecs:runTask offline: the container has no command: give the image a CMD (decorators.ECRImageBuilder.Command, or CMD in your Dockerfile)"}
	}
	if r.Image.BinaryPath == "" || argv[0] != r.Image.BinaryPath {
		return nil, &Error{Name: "States.Runtime", Cause: fmt.Sprintf("ecs:runTask offline runs the service's own binary, but the container's command %q does not start with it (the Dockerfile copies $%s to %q): run this state with --local, where the image really runs", argv, binaryArg, r.Image.BinaryPath)}
	}
	dir, err := os.MkdirTemp("", "sparta-offline-task-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	id := newID()
	task := r.task(p, container, id)
	c := exec.CommandContext(ctx, r.Executable, argv[1:]...)
	c.Dir = dir
	c.Env = containerEnv(env)
	c.Stdout, c.Stderr = r.Output, r.Output
	task["StartedAt"] = r.epoch()
	runErr := c.Run()
	code := 0
	var exitErr *exec.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exitErr):
		code = exitErr.ExitCode()
		if code < 0 { // killed by a signal
			code = 137
		}
	default:
		return nil, &Error{Name: "States.Runtime", Cause: fmt.Sprintf("ecs:runTask offline: starting %s: %v", r.Executable, runErr)}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	task["StoppedAt"] = r.epoch()
	task["LastStatus"], task["DesiredStatus"] = "STOPPED", "STOPPED"
	task["StopCode"], task["StoppedReason"] = "EssentialContainerExited", "Essential container in task exited"
	c0 := map[string]any{"Name": container, "LastStatus": "STOPPED", "ExitCode": code}
	if code != 0 {
		c0["Reason"] = fmt.Sprintf("exit code %d", code)
	}
	task["Containers"] = []any{c0}
	out, err := json.Marshal(task)
	if err != nil {
		return nil, err
	}
	if code != 0 {
		return nil, &Error{Name: "States.TaskFailed", Cause: string(out)}
	}
	return out, nil
}

// task is the task's description before it runs, with offline ARNs in the
// shape ECS gives them.
func (r *Runner) task(p params, container, id string) map[string]any {
	cluster := p.Cluster
	if cluster == "" {
		cluster = "default"
	}
	launch := p.LaunchType
	if launch == "" {
		launch = "FARGATE"
	}
	return map[string]any{
		"TaskArn":           "arn:aws:ecs:offline:000000000000:task/" + cluster + "/" + id,
		"ClusterArn":        "arn:aws:ecs:offline:000000000000:cluster/" + cluster,
		"TaskDefinitionArn": p.TaskDefinition,
		"LaunchType":        launch,
		"CreatedAt":         r.epoch(),
		"Overrides":         map[string]any{"ContainerOverrides": p.Overrides.ContainerOverrides},
		"Containers":        []any{map[string]any{"Name": container, "LastStatus": "PENDING"}},
	}
}

func (r *Runner) epoch() float64 {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	return float64(now().UnixMilli()) / 1000
}

// containerEnv is a container's environment: the declared variables over a
// minimal base (a container inherits nothing from the host; PATH, HOME and
// TMPDIR keep the host build runnable). AWS_LAMBDA_RUNTIME_API and _HANDLER
// are never passed, so the binary runs its command, not a Lambda handler.
func containerEnv(env map[string]string) []string {
	out := []string{}
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			if _, declared := env[k]; !declared {
				out = append(out, k+"="+v)
			}
		}
	}
	for k, v := range env {
		if k == "AWS_LAMBDA_RUNTIME_API" || k == "_HANDLER" {
			continue
		}
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
