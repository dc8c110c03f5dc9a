//go:build !lambdabinary

package sparta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/sparta-go/sparta/decorators"
	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/internal/offlinetask"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// ecsRunTaskSyncResource is the ECS integration a Fargate task state uses.
const ecsRunTaskSyncResource = "arn:aws:states:::ecs:runTask.sync"

// offlineECSRunTask serves ecs:runTask.sync offline: the task runs the
// program's own binary, built as the image carries it (the Lambda build,
// for this machine), with the container's command and environment (see
// internal/offlinetask); Sparta programs register the task's command in
// that build only. The container is read from the service's
// decorators: the ECR image builder's Dockerfile (or the generated one and
// its Command), then the Fargate cluster's command and environment; a
// service that builds its image in a decorator of its own (Sparta's
// docker.BuildDockerImage with "") is read from ./Dockerfile, which is what
// that call builds. A container that cannot be known fails the state with
// States.Runtime saying why, only when a task runs.
func offlineECSRunTask(svc *serviceDefinition, workDir string, w io.Writer) step.TaskHandler {
	var once sync.Once
	var r *offlinetask.Runner
	var err error
	return func(ctx context.Context, input json.RawMessage) (json.RawMessage, error) {
		once.Do(func() { r, err = offlineTaskRunner(ctx, svc, workDir, w) })
		if err != nil {
			return nil, step.NewTaskError("States.Runtime", "ecs:runTask offline: "+err.Error())
		}
		out, err := r.Run(ctx, input)
		var te *offlinetask.Error
		if errors.As(err, &te) {
			return nil, step.NewTaskError(te.Name, te.Cause)
		}
		return out, err
	}
}

func offlineTaskRunner(ctx context.Context, svc *serviceDefinition, workDir string, w io.Writer) (*offlinetask.Runner, error) {
	r := &offlinetask.Runner{Output: w}
	var image *decorators.ECRImageBuilder
	var cluster *decorators.FargateCluster
	for _, d := range svc.decorators() {
		switch d := service.Unwrap(d).(type) {
		case *decorators.ECRImageBuilder:
			image = d
		case *decorators.FargateCluster:
			cluster = d
		}
	}
	dockerfile, source := "", ""
	switch {
	case image != nil && image.Dockerfile == "":
		dockerfile, source = docker.DefaultDockerfile(image.Command), "the generated Dockerfile"
	default:
		path := "Dockerfile"
		if image != nil {
			path = image.Dockerfile
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading the image's Dockerfile: %w (the image is built from it; run execute from the service's directory)", err)
		}
		dockerfile, source = string(b), path
	}
	img, err := offlinetask.ParseDockerfile(strings.NewReader(dockerfile))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if cluster != nil {
		if len(cluster.Command) > 0 {
			img.Cmd = cluster.Command
		}
		r.Container = cluster.ContainerName
		r.Environment = cluster.Environment
	}
	r.Image = img
	pkg, err := build.MainPackage(svc.callerFile)
	if err != nil {
		return nil, err
	}
	exe, err := filepath.Abs(filepath.Join(workDir, "offline", svc.name+"-task"))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
		return nil, err
	}
	if err := build.Compile(ctx, build.Options{Package: pkg, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: exe}); err != nil {
		return nil, fmt.Errorf("building the image's binary for this machine: %w", err)
	}
	r.Executable = exe
	return r, nil
}
