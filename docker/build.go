package docker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/image"
	"github.com/sirupsen/logrus"

	gobuild "github.com/sparta-go/sparta/internal/build"
)

// BinaryBuildArg is the build argument that carries the file name of the
// service binary in the build context, as in Sparta: a Dockerfile of your
// own copies it with
//
//	ARG SPARTA_DOCKER_BINARY
//	COPY ${SPARTA_DOCKER_BINARY} /sparta/service
const BinaryBuildArg = "SPARTA_DOCKER_BINARY"

// DefaultTaskCommand is the subcommand the default image runs when the
// options name none: add a command of that name to
// sparta.CommandLineOptions.Root, or pass your own with BuildOptions.Command.
const DefaultTaskCommand = "task"

// BinaryPath is where the default Dockerfile puts the service binary.
const BinaryPath = "/sparta/service"

// CACertificates is the host file whose CA bundle the default image
// carries, so that the task can call AWS over TLS from an empty base image.
const CACertificates = "/etc/ssl/certs/ca-certificates.crt"

// contextEpoch is the modification time of every file of the build context
// and image layers: the same binary gives the same layer digest.
var contextEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// BuildOptions configure [Build]. The zero value of each optional field
// means the documented default.
type BuildOptions struct {
	// Service names the service; labels and the binary's name use it.
	Service string
	// Dockerfile is the path of the Dockerfile; empty uses the default one
	// ([DefaultDockerfile]), or ContextDir's Dockerfile when ContextDir is
	// set. Without ContextDir the build context holds only the binary
	// (named by the SPARTA_DOCKER_BINARY build argument),
	// ca-certificates.crt and the Dockerfile.
	Dockerfile string
	// ContextDir, when set, makes the build context that directory, as
	// `docker build <dir>` would send it (without .git and the framework's
	// .sparta work directory), plus the binary under the name the
	// SPARTA_DOCKER_BINARY build argument gives.
	ContextDir string
	// Tags maps image names to tags: {"myservice": "latest"} tags the
	// image myservice:latest. At least one is required.
	Tags map[string]string
	// MainPackage is the import path or directory of the main package to
	// compile; empty means the running program's (see build.MainPackage).
	MainPackage string
	// Dir is where `go build` runs; empty means the current directory.
	Dir string
	// GOARCH is the image's architecture: amd64 (default, as Fargate's
	// X86_64) or arm64.
	GOARCH string
	// Command is the image's default command (CMD) when the default
	// Dockerfile is used: the task subcommand and its flags. Default
	// [DefaultTaskCommand].
	Command []string
	// Binary is an already compiled binary to use instead of compiling
	// MainPackage (the daemonless builder shares one compilation).
	Binary string
	// Engine is the Docker engine; nil connects to DOCKER_HOST or the
	// default socket.
	Engine Engine
	// Log receives one Info line per milestone and the build's output at
	// Debug. Nil discards.
	Log logrus.FieldLogger
}

// Image is a built image.
type Image struct {
	// ID is the image ID (sha256:...).
	ID string
	// Refs are the name:tag references it was tagged with, sorted.
	Refs []string
	// Size is the uncompressed size the engine reports, in bytes.
	Size int64
}

// BuildDockerImage is Sparta's: it cross-compiles the running program's
// main package for Lambda (the lambdabinary build, whose MainEx runs the
// commands the program added to sparta.CommandLineOptions.Root) into a
// static linux/amd64 binary and builds an image through the Docker Engine
// API, as `docker build --build-arg SPARTA_DOCKER_BINARY=<binary> .` would:
// the build context is the current directory, the SPARTA_DOCKER_BINARY
// build argument is the binary's path in it, and dockerfilePath empty means
// ./Dockerfile. The image is tagged with each name:tag of tags, which must
// be lower case. The build's output goes to logger at Debug; a failed step
// is a *BuildError naming the step, with its output.
//
// Use [Build] to choose the package, the architecture, the context or the
// command of a generated Dockerfile.
func BuildDockerImage(serviceName, dockerfilePath string, tags map[string]string, logger logrus.FieldLogger) error {
	var errs []error
	for name, tag := range tags {
		if name != strings.ToLower(name) || tag != strings.ToLower(tag) {
			errs = append(errs, fmt.Errorf("tag %s:%s must be lower case", name, tag))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("building an image: %w", err)
	}
	if dockerfilePath == "" {
		dockerfilePath = "Dockerfile"
	}
	_, err := Build(context.Background(), BuildOptions{Service: serviceName, Dockerfile: dockerfilePath, ContextDir: ".", Tags: tags, Log: logger})
	return err
}

// DefaultDockerfile is the Dockerfile used when none is given: the binary
// and the host's CA certificates on an empty base image, run as an
// unprivileged user, with command as its default arguments.
func DefaultDockerfile(command []string) string {
	if len(command) == 0 {
		command = []string{DefaultTaskCommand}
	}
	return fmt.Sprintf(`# Generated by Sparta: the service's binary on an empty base image.
FROM scratch
ARG %s
COPY ca-certificates.crt %s
COPY ${%s} %s
USER 65532:65532
ENTRYPOINT [%q]
CMD %s
`, BinaryBuildArg, CACertificates, BinaryBuildArg, BinaryPath, BinaryPath, jsonArray(command))
}

func jsonArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Build compiles the service binary (unless o.Binary is set) and builds the
// image through the engine. See [BuildDockerImage].
func Build(ctx context.Context, o BuildOptions) (Image, error) {
	if len(o.Tags) == 0 {
		return Image{}, errors.New("building an image: no tags: pass at least one name and tag, e.g. {\"my-service\": \"latest\"}")
	}
	log := o.Log
	if log == nil {
		log = discard()
	}
	refs := tagRefs(o.Tags)
	log = log.WithField(FieldImage, refs[0])
	engine := o.Engine
	if engine == nil {
		c, err := Connect(ctx)
		if err != nil {
			return Image{}, fmt.Errorf("building image %s: %w", refs[0], err)
		}
		defer c.Close()
		engine = c
	}
	dockerfile := []byte(DefaultDockerfile(o.Command))
	if o.Dockerfile == "" && o.ContextDir != "" {
		o.Dockerfile = filepath.Join(o.ContextDir, "Dockerfile")
	}
	if o.Dockerfile != "" {
		var err error
		if dockerfile, err = os.ReadFile(o.Dockerfile); err != nil {
			return Image{}, fmt.Errorf("building image %s: reading the Dockerfile: %w", refs[0], err)
		}
	}
	dir, err := os.MkdirTemp("", "sparta-image-")
	if err != nil {
		return Image{}, fmt.Errorf("building image %s: %w", refs[0], err)
	}
	defer os.RemoveAll(dir)
	binary := o.Binary
	if binary == "" {
		if binary, err = CompileBinary(ctx, o, dir); err != nil {
			return Image{}, fmt.Errorf("building image %s: %w", refs[0], err)
		}
	}
	started := time.Now()
	name := binaryName(o.Service)
	var tarball []byte
	if o.ContextDir != "" {
		name += "-docker.lambda." + arch(o.GOARCH)
		tarball, err = dirContext(o.ContextDir, binary, name, dockerfile)
	} else {
		tarball, err = buildContext(binary, name, dockerfile)
	}
	if err != nil {
		return Image{}, fmt.Errorf("building image %s: %w", refs[0], err)
	}
	log.Info("Building image")
	resp, err := engine.ImageBuild(ctx, bytes.NewReader(tarball), build.ImageBuildOptions{
		Tags:        refs,
		Dockerfile:  "Dockerfile",
		BuildArgs:   map[string]*string{BinaryBuildArg: &name},
		Labels:      map[string]string{"sparta.service": o.Service},
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		return Image{}, fmt.Errorf("building image %s: %w", refs[0], err)
	}
	defer resp.Body.Close()
	bl := &buildLog{log: log}
	if err := decodeStream(resp.Body, bl.message); err != nil {
		// The classic builder keeps the images of the steps that passed;
		// a failed build leaves nothing behind.
		for i := len(bl.created) - 1; i >= 0; i-- {
			_, _ = engine.ImageRemove(context.WithoutCancel(ctx), bl.created[i], image.RemoveOptions{PruneChildren: true})
		}
		return Image{}, &BuildError{Image: refs[0], Step: bl.step, Output: bl.output.String(), Message: err.Error()}
	}
	info, err := engine.ImageInspect(ctx, refs[0])
	if err != nil {
		return Image{}, fmt.Errorf("building image %s: inspecting the result: %w", refs[0], err)
	}
	log.WithFields(logrus.Fields{FieldDuration: time.Since(started).Round(time.Millisecond), FieldBytes: info.Size}).Info("Built image")
	return Image{ID: info.ID, Refs: refs, Size: info.Size}, nil
}

// CompileBinary cross-compiles o.MainPackage (or the running program's
// main package) for linux/o.GOARCH into dir, with the Lambda build tags, as
// Sparta does: outside Lambda that binary's MainEx runs the subcommand the
// program added to sparta.CommandLineOptions.Root (the image's command),
// and it carries no provisioning code.
func CompileBinary(ctx context.Context, o BuildOptions, dir string) (string, error) {
	pkg := o.MainPackage
	if pkg == "" {
		var err error
		if pkg, err = gobuild.MainPackage(""); err != nil {
			return "", err
		}
	}
	out := filepath.Join(dir, binaryName(o.Service))
	err := gobuild.Compile(ctx, gobuild.Options{Package: pkg, Dir: o.Dir, GOARCH: arch(o.GOARCH), Tags: gobuild.LambdaTags, Output: out})
	if err != nil {
		return "", err
	}
	return out, nil
}

func arch(goarch string) string {
	if goarch == "" {
		return "amd64"
	}
	return goarch
}

// binaryName is the binary's file name in the build context.
func binaryName(service string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(service) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "service"
	}
	return b.String()
}

// tagRefs turns {"name": "tag"} into sorted name:tag references; an empty
// tag means latest.
func tagRefs(tags map[string]string) []string {
	refs := make([]string, 0, len(tags))
	for name, tag := range tags {
		if tag == "" {
			tag = "latest"
		}
		refs = append(refs, name+":"+tag)
	}
	sort.Strings(refs)
	return refs
}

// buildContext is the tar the engine builds from: the Dockerfile, the
// binary and the host's CA bundle, with fixed times and owners so that an
// unchanged binary hits the engine's build cache.
func buildContext(binary, name string, dockerfile []byte) ([]byte, error) {
	ct := newContextTar()
	add := ct.add
	if err := add("Dockerfile", 0o644, int64(len(dockerfile)), bytes.NewReader(dockerfile)); err != nil {
		return nil, err
	}
	certs, err := os.ReadFile(CACertificates)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading the CA certificates: %w", err)
	}
	if err := add("ca-certificates.crt", 0o644, int64(len(certs)), bytes.NewReader(certs)); err != nil {
		return nil, err
	}
	return ct.finish(binary, name)
}

func discard() logrus.FieldLogger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return l
}
