//go:build !lambdabinary

package decorators

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/ecr"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/service"
)

var _ service.ServiceDecoratorHookHandler = (*ECRImageBuilder)(nil)

// DecorateService implements service.ServiceDecoratorHookHandler.
func (b *ECRImageBuilder) DecorateService(ctx context.Context, sc *service.ServiceContext) error {
	if b.Repository == "" {
		return errors.New("ECR image builder: no repository name: pass one to ECRImageBuilderDecorator")
	}
	if sc.MainPackage == "" {
		return errors.New("ECR image builder: the service's main package is unknown: run the service with `go run .` from its directory")
	}
	if sc.Values == nil {
		sc.Values = map[string]any{}
	}
	sc.Values[RepositoryValue] = b.Repository
	if sc.Describe {
		// describe draws the template from the code alone: no image is
		// built, the URI is the shape a push would return.
		sc.Values[ImageURIValue] = placeholderURI(b.Repository, sc.BuildID)
		return nil
	}
	opts := docker.BuildOptions{
		Service: sc.Service, Dockerfile: b.Dockerfile, MainPackage: sc.MainPackage, GOARCH: b.GOARCH,
		Command: b.Command, Log: sc.Log, Tags: map[string]string{b.Repository: tagFor(sc.BuildID)},
	}
	daemonless := b.Daemonless || !docker.Reachable(ctx)
	if daemonless && !b.Daemonless && sc.Log != nil {
		sc.Log.Warn("no Docker engine answers: building the image without one (go-containerregistry); start Docker to use your Dockerfile")
	}
	if sc.Noop {
		// Build to prove the image builds, but change nothing outside the
		// template: the URI is the shape a push would return.
		if err := b.build(ctx, opts, daemonless); err != nil {
			return err
		}
		if sc.Log != nil {
			sc.Log.WithField("repository", b.Repository).Info("noop: built the image, not pushed")
		}
		sc.Values[ImageURIValue] = placeholderURI(b.Repository, sc.BuildID)
		return nil
	}
	client := ecr.NewFromConfig(sc.AWS)
	var uri string
	var err error
	if daemonless {
		uri, err = docker.BuildAndPushDaemonless(ctx, docker.DaemonlessOptions{Build: opts, Repository: b.Repository, Tag: tagFor(sc.BuildID), ECR: client})
	} else {
		if _, err = docker.Build(ctx, opts); err == nil {
			uri, err = docker.Push(ctx, docker.PushOptions{LocalTag: b.Repository + ":" + tagFor(sc.BuildID), Repository: b.Repository, ECR: client, Log: sc.Log})
		}
	}
	if err != nil {
		return err
	}
	sc.Values[ImageURIValue] = uri
	return nil
}

// build builds the image without pushing it.
func (b *ECRImageBuilder) build(ctx context.Context, opts docker.BuildOptions, daemonless bool) error {
	if !daemonless {
		_, err := docker.Build(ctx, opts)
		return err
	}
	dir, err := os.MkdirTemp("", "sparta-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := docker.CompileBinary(ctx, opts, dir); err != nil {
		return fmt.Errorf("building the image for %s: %w", b.Repository, err)
	}
	return nil
}

// placeholderURI is the image URI of the form a push would return, for
// noop provisions and describe.
func placeholderURI(repository, buildID string) string {
	return cfn.Sub("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/" + repository + ":" + tagFor(buildID))
}

// tagFor is the image tag of a build: the build ID within Docker's tag
// grammar ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}).
func tagFor(buildID string) string {
	tag := []byte(buildID)
	for i, c := range tag {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || (i > 0 && (c == '.' || c == '-'))) {
			tag[i] = '_'
		}
	}
	if len(tag) == 0 {
		return "latest"
	}
	return string(tag[:min(len(tag), 128)])
}
