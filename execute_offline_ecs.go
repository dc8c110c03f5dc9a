//go:build !lambdabinary

package sparta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sparta-go/sparta/decorators"
	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/internal/offlinetask"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// ecsRunTaskSyncResource is the ECS integration a Fargate task state uses.
const ecsRunTaskSyncResource = "arn:aws:states:::ecs:runTask.sync"

// offlineECSRunTask serves ecs:runTask.sync offline: the task runs the
// program's own binary with the container's command and environment (see
// internal/offlinetask). The container is read from the service's
// decorators: the ECR image builder's Dockerfile (or the generated one and
// its Command), then the Fargate cluster's command and environment; a
// service that builds its image in a decorator of its own (Sparta's
// docker.BuildDockerImage with "") is read from ./Dockerfile, which is what
// that call builds. A container that cannot be known fails the state with
// States.Runtime saying why, only when a task runs.
func offlineECSRunTask(svc *serviceDefinition, w io.Writer) step.TaskHandler {
	return func(ctx context.Context, input json.RawMessage) (json.RawMessage, error) {
		r, err := offlineTaskRunner(svc, w)
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

func offlineTaskRunner(svc *serviceDefinition, w io.Writer) (*offlinetask.Runner, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the program's binary: %w", err)
	}
	r := &offlinetask.Runner{Executable: exe, Output: w}
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
	return r, nil
}
