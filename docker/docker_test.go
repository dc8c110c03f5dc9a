package docker_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
	localecr "github.com/sparta-go/sparta/local/ecr"
	"github.com/sparta-go/sparta/local/localtest"
)

// engine connects to the real Docker engine or skips, saying why.
func engine(t *testing.T) docker.Engine {
	t.Helper()
	c, err := docker.Connect(context.Background())
	if err != nil {
		t.Skipf("these tests need a Docker engine: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// removeImage removes an image reference when the test ends.
func removeImage(t *testing.T, e docker.Engine, ref string) {
	t.Cleanup(func() {
		_, _ = e.ImageRemove(context.Background(), ref, image.RemoveOptions{Force: true, PruneChildren: true})
	})
}

func uniqueName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

var (
	compiledOnce string
	compileErr   error
)

// taskBinary compiles testdata/taskapp once per test binary.
func taskBinary(t *testing.T) string {
	t.Helper()
	if compiledOnce == "" && compileErr == nil {
		dir, err := os.MkdirTemp("", "sparta-docker-test-")
		if err != nil {
			t.Fatal(err)
		}
		compiledOnce, compileErr = docker.CompileBinary(context.Background(), docker.BuildOptions{Service: "taskapp", MainPackage: "./testdata/taskapp"}, dir)
	}
	if compileErr != nil {
		t.Fatalf("CompileBinary = %v", compileErr)
	}
	return compiledOnce
}

func TestMain(m *testing.M) {
	code := m.Run()
	if compiledOnce != "" {
		_ = os.RemoveAll(filepath.Dir(compiledOnce))
	}
	os.Exit(code)
}

// run runs ref with the engine and returns its exit code and output.
func run(t *testing.T, e docker.Engine, ref string, env []string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	created, err := e.ContainerCreate(ctx, &container.Config{Image: ref, Env: env}, nil, nil, nil, "")
	if err != nil {
		t.Fatalf("ContainerCreate(%s) = %v", ref, err)
	}
	defer func() { _ = e.ContainerRemove(ctx, created.ID, container.RemoveOptions{Force: true}) }()
	if err := e.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		t.Fatalf("ContainerStart = %v", err)
	}
	waitC, errC := e.ContainerWait(ctx, created.ID, container.WaitConditionNotRunning)
	var code int64
	select {
	case w := <-waitC:
		code = w.StatusCode
	case err := <-errC:
		t.Fatalf("ContainerWait = %v", err)
	case <-time.After(time.Minute):
		t.Fatal("the container did not exit within a minute")
	}
	logs, err := e.ContainerLogs(ctx, created.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatalf("ContainerLogs = %v", err)
	}
	defer logs.Close()
	var out bytes.Buffer
	_, _ = stdcopy.StdCopy(&out, &out, logs)
	return code, out.String()
}

func TestBuildPushPullRun(t *testing.T) {
	e := engine(t)
	ctx := context.Background()
	cloud := localtest.Start(t, local.Options{Services: []core.Factory{localecr.New}})
	client := ecr.NewFromConfig(localtest.Config(cloud))

	name := uniqueName("sparta-test-")
	img, err := docker.Build(ctx, docker.BuildOptions{
		Service: "taskapp", Tags: map[string]string{name: "v1"}, Binary: taskBinary(t),
		Command: []string{"work", "--fast"}, Engine: e,
	})
	removeImage(t, e, name+":v1")
	if err != nil {
		t.Fatalf("Build = %v", err)
	}
	if len(img.Refs) != 1 || img.Refs[0] != name+":v1" || !strings.HasPrefix(img.ID, "sha256:") {
		t.Errorf("Build = %+v, want ref %s:v1 and an ID", img, name)
	}

	uri, err := docker.Push(ctx, docker.PushOptions{LocalTag: name + ":v1", Repository: name, ECR: client, Engine: e})
	repoURI := strings.TrimPrefix(cloud.Endpoint(), "http://") + "/" + name
	removeImage(t, e, repoURI+":v1")
	if err != nil {
		t.Fatalf("Push = %v", err)
	}
	if !strings.HasPrefix(uri, repoURI+"@sha256:") {
		t.Errorf("Push = %q, want %s@sha256:...", uri, repoURI)
	}
	out, err := client.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String(name)})
	if err != nil || len(out.ImageDetails) != 1 {
		t.Fatalf("DescribeImages = %v, %v; want one image", out, err)
	}
	if got := aws.ToString(out.ImageDetails[0].ImageDigest); !strings.HasSuffix(uri, got) {
		t.Errorf("ECR digest = %s, want the pushed %s", got, uri)
	}

	// Drop the local copies and pull the image back from the registry with
	// the ECR login: the engine really reaches the local registry.
	for _, ref := range []string{name + ":v1", repoURI + ":v1"} {
		_, _ = e.ImageRemove(ctx, ref, image.RemoveOptions{Force: true, PruneChildren: true})
	}
	auth, err := docker.Authorize(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := e.ImagePull(ctx, uri, image.PullOptions{RegistryAuth: auth.EngineAuth()})
	if err != nil {
		t.Fatalf("ImagePull(%s) = %v", uri, err)
	}
	_, _ = io.Copy(io.Discard, rc)
	rc.Close()
	removeImage(t, e, uri)

	code, logs := run(t, e, uri, []string{"GREETING=hi"})
	if code != 0 || !strings.Contains(logs, "taskapp args=work,--fast greeting=hi") || !strings.Contains(logs, "has CA certificates") {
		t.Errorf("run = %d %q, want 0 with the default command, the environment and the CA bundle", code, logs)
	}
}

func TestBuildFailureNamesTheStep(t *testing.T) {
	e := engine(t)
	dockerfile := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(dockerfile, []byte("FROM scratch\nARG SPARTA_DOCKER_BINARY\nCOPY ${SPARTA_DOCKER_BINARY} /app\nRUN /app --broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	name := uniqueName("sparta-test-")
	_, err := docker.Build(context.Background(), docker.BuildOptions{
		Service: "taskapp", Dockerfile: dockerfile, Tags: map[string]string{name: "v1"}, Binary: taskBinary(t), Engine: e,
	})
	removeImage(t, e, name+":v1")
	var be *docker.BuildError
	if !errors.As(err, &be) {
		t.Fatalf("Build(RUN fails) = %v, want a *BuildError", err)
	}
	if !strings.Contains(be.Step, "RUN /app --broken") || be.Message == "" {
		t.Errorf("BuildError = step %q message %q, want the RUN step and the engine's message", be.Step, be.Message)
	}
}

func TestUnreachableEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no.sock"))
	err := docker.BuildDockerImage("svc", "", map[string]string{"svc": "latest"}, nil)
	if !docker.IsUnreachable(err) || !strings.Contains(err.Error(), "DOCKER_HOST") {
		t.Errorf("BuildDockerImage without an engine = %v, want an UnreachableError with the DOCKER_HOST hint", err)
	}
}

func TestDaemonlessBuildIsDeterministicAndRuns(t *testing.T) {
	ctx := context.Background()
	cloud := localtest.Start(t, local.Options{Services: []core.Factory{localecr.New}})
	client := ecr.NewFromConfig(localtest.Config(cloud))
	opts := docker.DaemonlessOptions{
		Build:      docker.BuildOptions{Service: "taskapp", Binary: taskBinary(t), Command: []string{"daemonless"}},
		Repository: "daemonless", Tag: "v1", ECR: client,
	}
	first, err := docker.BuildAndPushDaemonless(ctx, opts)
	if err != nil {
		t.Fatalf("BuildAndPushDaemonless = %v", err)
	}
	second, err := docker.BuildAndPushDaemonless(ctx, opts)
	if err != nil {
		t.Fatalf("BuildAndPushDaemonless again = %v", err)
	}
	if first != second {
		t.Errorf("two daemonless builds of one binary = %s and %s, want one digest", first, second)
	}

	e := engine(t)
	auth, err := docker.Authorize(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := e.ImagePull(ctx, first, image.PullOptions{RegistryAuth: auth.EngineAuth()})
	if err != nil {
		t.Fatalf("ImagePull(%s) = %v", first, err)
	}
	_, _ = io.Copy(io.Discard, rc)
	rc.Close()
	removeImage(t, e, first)
	code, logs := run(t, e, first, []string{"TASK_EXIT=3"})
	if code != 3 || !strings.Contains(logs, "taskapp args=daemonless") {
		t.Errorf("run = %d %q, want exit 3 and the daemonless command", code, logs)
	}
}

func TestDefaultDockerfile(t *testing.T) {
	got := docker.DefaultDockerfile([]string{"work", "--level", "debug"})
	for _, want := range []string{"FROM scratch", "ARG SPARTA_DOCKER_BINARY", "COPY ${SPARTA_DOCKER_BINARY} /sparta/service",
		`ENTRYPOINT ["/sparta/service"]`, `CMD ["work", "--level", "debug"]`, "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt"} {
		if !strings.Contains(got, want) {
			t.Errorf("DefaultDockerfile() lacks %q:\n%s", want, got)
		}
	}
}
