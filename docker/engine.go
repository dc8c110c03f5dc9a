package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// MinAPIVersion is the oldest Engine API this package uses (Docker 20.10).
const MinAPIVersion = "1.41"

// Engine is the part of the Docker Engine API the framework uses: image
// builds, tags, pushes and pulls, and running task containers for the local
// cloud. *client.Client satisfies it; keeping it narrow (as ko's
// daemon.Client) documents the dependency and lets a test wrap the engine.
type Engine interface {
	Ping(ctx context.Context) (types.Ping, error)
	ImageBuild(ctx context.Context, buildContext io.Reader, options build.ImageBuildOptions) (build.ImageBuildResponse, error)
	ImageTag(ctx context.Context, source, target string) error
	ImagePush(ctx context.Context, ref string, options image.PushOptions) (io.ReadCloser, error)
	ImagePull(ctx context.Context, ref string, options image.PullOptions) (io.ReadCloser, error)
	ImageInspect(ctx context.Context, imageID string, opts ...client.ImageInspectOption) (image.InspectResponse, error)
	ImageRemove(ctx context.Context, imageID string, options image.RemoveOptions) ([]image.DeleteResponse, error)
	ContainerCreate(ctx context.Context, config *container.Config, hostConfig *container.HostConfig, networkingConfig *network.NetworkingConfig, platform *ocispec.Platform, containerName string) (container.CreateResponse, error)
	ContainerStart(ctx context.Context, containerID string, options container.StartOptions) error
	ContainerWait(ctx context.Context, containerID string, condition container.WaitCondition) (<-chan container.WaitResponse, <-chan error)
	ContainerInspect(ctx context.Context, containerID string) (container.InspectResponse, error)
	ContainerLogs(ctx context.Context, containerID string, options container.LogsOptions) (io.ReadCloser, error)
	ContainerStop(ctx context.Context, containerID string, options container.StopOptions) error
	ContainerRemove(ctx context.Context, containerID string, options container.RemoveOptions) error
	Close() error
}

var _ Engine = (*client.Client)(nil)

// UnreachableError says that no Docker engine answered, and where the
// framework looked.
type UnreachableError struct {
	// Host is the engine address tried (DOCKER_HOST or the default socket).
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("no Docker engine answers at %s: %v (start Docker, make sure this user may use the socket (the docker group), or set DOCKER_HOST)", e.Host, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Connect returns a client of the engine that DOCKER_HOST (or the default
// socket, unix:///var/run/docker.sock) names, after a ping that negotiates
// the API version. An engine older than MinAPIVersion is refused. An
// unreachable engine is an *UnreachableError.
func Connect(ctx context.Context) (*client.Client, error) {
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, &UnreachableError{Host: hostOf(nil), Err: err}
	}
	p, err := c.Ping(ctx)
	if err != nil {
		_ = c.Close()
		return nil, &UnreachableError{Host: hostOf(c), Err: err}
	}
	c.NegotiateAPIVersionPing(p)
	if versionLess(c.ClientVersion(), MinAPIVersion) {
		_ = c.Close()
		return nil, fmt.Errorf("the Docker engine at %s speaks API %s; the framework needs %s or later (Docker 20.10)", hostOf(c), c.ClientVersion(), MinAPIVersion)
	}
	return c, nil
}

// Reachable reports whether an engine answers, for callers choosing between
// the engine and the daemonless builder.
func Reachable(ctx context.Context) bool {
	c, err := Connect(ctx)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

func hostOf(c *client.Client) string {
	if c != nil {
		return c.DaemonHost()
	}
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return client.DefaultDockerHost
}

// versionLess compares Engine API versions such as "1.41" and "1.9".
func versionLess(a, b string) bool {
	var amaj, amin, bmaj, bmin int
	_, _ = fmt.Sscanf(a, "%d.%d", &amaj, &amin)
	_, _ = fmt.Sscanf(b, "%d.%d", &bmaj, &bmin)
	if amaj != bmaj {
		return amaj < bmaj
	}
	return amin < bmin
}

// IsUnreachable reports whether err says that no engine answered.
func IsUnreachable(err error) bool {
	var u *UnreachableError
	return errors.As(err, &u)
}
