package ecs

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/sparta-go/sparta/docker"
)

// LabelTask is the Docker label carrying the task ARN on every container
// the local cloud starts, to find them with `docker ps --filter label=...`.
const LabelTask = "sparta.local.ecs.task"

// stopGrace is how long a stopped container has between SIGTERM and
// SIGKILL (ECS's default StopTimeout is 30 seconds; the local cloud is
// impatient).
const stopGrace = 5

// registry is what the runner needs from the local ECR.
type registry interface {
	RegistryHost() string
	Login() (user, password string)
}

// running is one container of a task run.
type running struct {
	def  ContainerDefinition
	id   string
	exit int
	logs []logLine
}

// run executes a task: pull, create, start, wait for an essential
// container to exit (or a stop), stop the rest, ship logs, clean up.
func (s *Service) run(t *task, def TaskDefinition, engine docker.Engine) {
	ctx := s.ctx
	bg := context.WithoutCancel(ctx)
	containers := make([]*running, len(def.ContainerDefinitions))
	defer func() {
		for _, c := range containers {
			if c != nil && c.id != "" {
				_ = engine.ContainerRemove(bg, c.id, container.RemoveOptions{Force: true})
			}
		}
	}()
	fail := func(reason string) {
		now := epoch(s.env.Clock.Now())
		s.update(t, func(t *Task) {
			t.LastStatus, t.DesiredStatus, t.StopCode, t.StoppedReason, t.StoppedAt = StatusStopped, StatusStopped, StopTaskFailedToStart, reason, now
			for i := range t.Containers {
				t.Containers[i].LastStatus = StatusStopped
			}
		})
	}
	defer s.revokeTaskCredentials(t)
	for i, cd := range def.ContainerDefinitions {
		ref, auth := s.imageRef(cd.Image)
		if err := pull(ctx, engine, ref, auth); err != nil {
			fail(fmt.Sprintf("CannotPullContainerError: pulling image %s for container %s: %v", cd.Image, cd.Name, err))
			return
		}
		if err := s.ensureLogStream(ctx, cd, t.ID); err != nil {
			fail(fmt.Sprintf("ResourceInitializationError: failed to validate logger args for container %s: %v", cd.Name, err))
			return
		}
		cfg := s.containerConfig(t, def, cd, ref)
		created, err := engine.ContainerCreate(ctx, cfg, &container.HostConfig{NetworkMode: "host"}, nil, nil, containerName(t.ID, cd.Name))
		if err != nil {
			fail(fmt.Sprintf("CannotCreateContainerError: container %s: %v", cd.Name, err))
			return
		}
		containers[i] = &running{def: cd, id: created.ID}
	}
	exits := make(chan int, len(containers))
	var waits sync.WaitGroup
	for i, c := range containers {
		if err := engine.ContainerStart(ctx, c.id, container.StartOptions{}); err != nil {
			fail(fmt.Sprintf("CannotStartContainerError: container %s: %v", c.def.Name, err))
			return
		}
		waitC, errC := engine.ContainerWait(bg, c.id, container.WaitConditionNotRunning)
		waits.Add(1)
		go func() {
			defer waits.Done()
			select {
			case w := <-waitC:
				c.exit = int(w.StatusCode)
			case <-errC:
				c.exit = 137
			}
			exits <- i
		}()
	}
	now := epoch(s.env.Clock.Now())
	s.update(t, func(task *Task) {
		task.LastStatus, task.StartedAt = StatusRunning, now
		for i := range task.Containers {
			task.Containers[i].LastStatus = StatusRunning
			task.Containers[i].RuntimeID = containers[i].id
		}
	})

	stopCode, reason := StopEssentialContainerExited, "Essential container in task exited"
	remaining := len(containers)
wait:
	for remaining > 0 {
		select {
		case i := <-exits:
			remaining--
			if containers[i].def.essential() {
				break wait
			}
		case r := <-t.stop:
			stopCode, reason = StopUserInitiated, r
			break wait
		case <-ctx.Done():
			stopCode, reason = StopUserInitiated, "the local cloud stopped"
			break wait
		}
	}
	timeout := stopGrace
	for _, c := range containers {
		_ = engine.ContainerStop(bg, c.id, container.StopOptions{Timeout: &timeout})
	}
	waits.Wait()
	for _, c := range containers {
		c.logs = readLogs(bg, engine, c.id)
	}
	s.shipLogs(bg, t.ID, containers)
	stoppedAt := epoch(s.env.Clock.Now())
	s.update(t, func(task *Task) {
		task.LastStatus, task.DesiredStatus, task.StopCode, task.StoppedReason, task.StoppedAt = StatusStopped, StatusStopped, stopCode, reason, stoppedAt
		for i := range task.Containers {
			code := containers[i].exit
			task.Containers[i].LastStatus = StatusStopped
			task.Containers[i].ExitCode = &code
			if code != 0 {
				task.Containers[i].Reason = fmt.Sprintf("exit code %d", code)
			}
		}
	})
}

// containerConfig is the Docker configuration of one container: the task
// definition's entry point, command and environment with the run's
// overrides, and the variables that point the AWS SDKs at the local cloud
// (the task's own values win).
func (s *Service) containerConfig(t *task, def TaskDefinition, cd ContainerDefinition, ref string) *container.Config {
	env := []string{
		"AWS_REGION=" + s.env.Region,
		"AWS_DEFAULT_REGION=" + s.env.Region,
		"AWS_ENDPOINT_URL=" + s.env.Endpoint,
		"ECS_TASK_ARN=" + t.TaskArn,
	}
	env = append(env, s.taskCredentials(t, def)...)
	for _, kv := range cd.Environment {
		env = append(env, kv.Name+"="+kv.Value)
	}
	cmd := cd.Command
	for _, o := range t.Overrides.ContainerOverrides {
		if o.Name != cd.Name {
			continue
		}
		if len(o.Command) > 0 {
			cmd = o.Command
		}
		for _, kv := range o.Environment {
			env = append(env, kv.Name+"="+kv.Value)
		}
	}
	return &container.Config{
		Image:      ref,
		Entrypoint: cd.EntryPoint,
		Cmd:        cmd,
		Env:        dedupeEnv(env),
		WorkingDir: cd.WorkingDirectory,
		User:       cd.User,
		Labels:     map[string]string{LabelTask: t.TaskArn, "sparta.local.ecs.taskDefinition": def.TaskDefinitionArn},
	}
}

// dedupeEnv keeps the last value of each variable.
func dedupeEnv(env []string) []string {
	last := map[string]int{}
	for i, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		last[k] = i
	}
	var out []string
	for i, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if last[k] == i {
			out = append(out, kv)
		}
	}
	return out
}

// imageRef points an image of a loopback registry at the local ECR's
// current address (a URI written when the cloud listened on another port
// still resolves) and returns the login to pull it with.
func (s *Service) imageRef(ref string) (string, string) {
	svc, ok := s.env.Lookup("ecr")
	if !ok {
		return ref, ""
	}
	reg, ok := svc.(registry)
	if !ok {
		return ref, ""
	}
	host, rest, found := strings.Cut(ref, "/")
	if !found || !isLoopback(host) {
		return ref, ""
	}
	user, pass := reg.Login()
	auth := docker.Auth{Username: user, Password: pass, Registry: reg.RegistryHost()}
	return reg.RegistryHost() + "/" + rest, auth.EngineAuth()
}

func isLoopback(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		return false
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func pull(ctx context.Context, engine docker.Engine, ref, auth string) error {
	rc, err := engine.ImagePull(ctx, ref, image.PullOptions{RegistryAuth: auth})
	if err != nil {
		return err
	}
	defer rc.Close()
	return drainStream(rc)
}

// drainStream reads an engine progress stream to its end, returning the
// error it reports.
func drainStream(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var m struct {
			Error string `json:"error"`
		}
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if m.Error != "" {
			return errors.New(m.Error)
		}
	}
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]`)

func containerName(taskID, name string) string {
	return "sparta-ecs-" + taskID[:12] + "-" + unsafeName.ReplaceAllString(name, "-")
}

// logLine is one line a container printed.
type logLine struct {
	at   time.Time
	text string
}

// readLogs returns what a stopped container printed, stdout and stderr
// interleaved, with the engine's timestamps.
func readLogs(ctx context.Context, engine docker.Engine, id string) []logLine {
	rc, err := engine.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Timestamps: true})
	if err != nil {
		return nil
	}
	defer rc.Close()
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, pw, rc)
		pw.CloseWithError(err)
	}()
	var lines []logLine
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		ts, text, _ := strings.Cut(sc.Text(), " ")
		at, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			at, text = time.Now(), sc.Text()
		}
		lines = append(lines, logLine{at: at, text: text})
	}
	_ = pr.Close()
	return lines
}

// taskCredentials are the task role's temporary credentials, as a Fargate
// task gets them from its credentials endpoint: one session per task,
// named after the task ID, under IAM like any other caller. A task
// without a task role gets none, as on AWS.
func (s *Service) taskCredentials(t *task, def TaskDefinition) []string {
	role := def.TaskRoleArn
	if t.Overrides.TaskRoleArn != "" {
		role = t.Overrides.TaskRoleArn
	}
	if role == "" || s.env.Keys == nil {
		return nil
	}
	s.credMu.Lock()
	defer s.credMu.Unlock()
	c, ok := s.taskCreds[t.ID]
	if !ok {
		c = s.env.Keys.AssumeRole(role, t.ID, s.env.Clock.Now(), 12*time.Hour)
		if s.taskCreds == nil {
			s.taskCreds = map[string]core.Credential{}
		}
		s.taskCreds[t.ID] = c
	}
	return []string{"AWS_ACCESS_KEY_ID=" + c.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + c.SecretAccessKey, "AWS_SESSION_TOKEN=" + c.SessionToken}
}

// revokeTaskCredentials ends the task's session when it stops.
func (s *Service) revokeTaskCredentials(t *task) {
	s.credMu.Lock()
	defer s.credMu.Unlock()
	if c, ok := s.taskCreds[t.ID]; ok {
		s.env.Keys.Remove(c.AccessKeyID)
		delete(s.taskCreds, t.ID)
	}
}
