package docker

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
	"github.com/sirupsen/logrus"
)

// ECRAPI is the part of the ECR API a push uses; *ecr.Client satisfies it.
type ECRAPI interface {
	DescribeRepositories(ctx context.Context, in *ecr.DescribeRepositoriesInput, opts ...func(*ecr.Options)) (*ecr.DescribeRepositoriesOutput, error)
	CreateRepository(ctx context.Context, in *ecr.CreateRepositoryInput, opts ...func(*ecr.Options)) (*ecr.CreateRepositoryOutput, error)
	GetAuthorizationToken(ctx context.Context, in *ecr.GetAuthorizationTokenInput, opts ...func(*ecr.Options)) (*ecr.GetAuthorizationTokenOutput, error)
}

var _ ECRAPI = (*ecr.Client)(nil)

// PushOptions configure [Push].
type PushOptions struct {
	// LocalTag is the engine's name:tag of the image to push.
	LocalTag string
	// Repository is the ECR repository name; it is created when missing.
	Repository string
	// ECR is the ECR client (of AWS or the local cloud).
	ECR ECRAPI
	// Engine is the Docker engine; nil connects to the default one.
	Engine Engine
	// Log receives milestones at Info and progress at Debug. Nil discards.
	Log logrus.FieldLogger
}

// PushDockerImageToECR is Sparta's: it pushes the engine's image localTag
// to the ECR repository repositoryName of cfg's account and region (an
// aws.Config where Sparta took a v1 session): it creates the repository
// when it does not exist, gets a token with GetAuthorizationToken, tags the
// image <repository URI>:<tag> and pushes it through the engine, logging
// progress. It returns what Sparta returned, <repository URI>:<tag>. [Push]
// returns the digest form, which names exactly the pushed bytes.
//
// See https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-push-ecr-image.html.
func PushDockerImageToECR(localTag, repositoryName string, cfg aws.Config, logger logrus.FieldLogger) (string, error) {
	ref, err := Push(context.Background(), PushOptions{LocalTag: localTag, Repository: repositoryName, ECR: ecr.NewFromConfig(cfg), Log: logger})
	if err != nil {
		return "", err
	}
	uri, _, _ := strings.Cut(ref, "@")
	return uri + ":" + tagOf(localTag), nil
}

// Push pushes an image as PushDockerImageToECR does, with its dependencies
// given, and returns the image URI with its digest
// (<repository URI>@sha256:...).
func Push(ctx context.Context, o PushOptions) (string, error) {
	if o.LocalTag == "" || o.Repository == "" || o.ECR == nil {
		return "", errors.New("pushing an image: LocalTag, Repository and ECR are required")
	}
	log := o.Log
	if log == nil {
		log = discard()
	}
	engine := o.Engine
	if engine == nil {
		c, err := Connect(ctx)
		if err != nil {
			return "", fmt.Errorf("pushing image %s: %w", o.LocalTag, err)
		}
		defer c.Close()
		engine = c
	}
	uri, err := EnsureRepository(ctx, o.ECR, o.Repository, log)
	if err != nil {
		return "", err
	}
	auth, err := Authorize(ctx, o.ECR)
	if err != nil {
		return "", err
	}
	target := uri + ":" + tagOf(o.LocalTag)
	log = log.WithField(FieldImage, target)
	if err := engine.ImageTag(ctx, o.LocalTag, target); err != nil {
		return "", fmt.Errorf("pushing image %s: tagging it %s: %w", o.LocalTag, target, err)
	}
	started := time.Now()
	log.Info("Pushing image")
	rc, err := engine.ImagePush(ctx, target, image.PushOptions{RegistryAuth: auth.EngineAuth()})
	if err != nil {
		return "", fmt.Errorf("pushing image %s: %w", target, err)
	}
	defer rc.Close()
	var digest string
	p := newProgressLog(log)
	err = decodeStream(rc, func(m message) {
		if len(m.Aux) > 0 {
			var aux struct{ Digest string }
			if json.Unmarshal(m.Aux, &aux) == nil && aux.Digest != "" {
				digest = aux.Digest
			}
		}
		p.message(m)
	})
	if err != nil {
		return "", fmt.Errorf("pushing image %s: %w%s", target, err, authHint(err))
	}
	if digest == "" {
		return "", fmt.Errorf("pushing image %s: the engine reported no digest", target)
	}
	ref := uri + "@" + digest
	log.WithField(FieldDuration, time.Since(started).Round(time.Millisecond)).WithField("digest", digest).Info("Pushed image")
	return ref, nil
}

// authHint adds advice to registry authentication failures.
func authHint(err error) string {
	s := strings.ToLower(err.Error())
	if strings.Contains(s, "unauthorized") || strings.Contains(s, "denied") || strings.Contains(s, "authentication") {
		return " (the ECR token was refused: check that the credentials may call ecr:GetAuthorizationToken and push to the repository, and that the token is not older than 12 hours)"
	}
	return ""
}

// tagOf returns the tag of name:tag (latest when there is none; a port in
// the registry host is not a tag).
func tagOf(ref string) string {
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		return ref[i+1:]
	}
	return "latest"
}

// EnsureRepository returns the URI of the ECR repository name, creating the
// repository when it does not exist.
func EnsureRepository(ctx context.Context, client ECRAPI, name string, log logrus.FieldLogger) (string, error) {
	out, err := client.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	var notFound *ecrtypes.RepositoryNotFoundException
	switch {
	case err == nil && len(out.Repositories) > 0:
		return aws.ToString(out.Repositories[0].RepositoryUri), nil
	case err != nil && !errors.As(err, &notFound):
		return "", fmt.Errorf("describing ECR repository %s: %w", name, err)
	}
	created, err := client.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(name)})
	var exists *ecrtypes.RepositoryAlreadyExistsException
	if errors.As(err, &exists) {
		return EnsureRepository(ctx, client, name, log)
	}
	if err != nil {
		return "", fmt.Errorf("creating ECR repository %s: %w", name, err)
	}
	if log != nil {
		log.WithField("repository", name).Info("Created ECR repository")
	}
	return aws.ToString(created.Repository.RepositoryUri), nil
}

// Auth is a registry login from ECR GetAuthorizationToken.
type Auth struct {
	Username, Password string
	// Registry is the registry host (from the token's proxy endpoint).
	Registry string
}

// Authorize gets a registry login with ECR GetAuthorizationToken.
//
// See https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html.
func Authorize(ctx context.Context, client ECRAPI) (Auth, error) {
	out, err := client.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		return Auth{}, fmt.Errorf("getting an ECR authorization token: %w", err)
	}
	if len(out.AuthorizationData) == 0 {
		return Auth{}, errors.New("getting an ECR authorization token: the response holds none")
	}
	d := out.AuthorizationData[0]
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(d.AuthorizationToken))
	if err != nil {
		return Auth{}, fmt.Errorf("decoding the ECR authorization token: %w", err)
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return Auth{}, errors.New("decoding the ECR authorization token: it is not user:password")
	}
	host := strings.TrimPrefix(strings.TrimPrefix(aws.ToString(d.ProxyEndpoint), "https://"), "http://")
	return Auth{Username: user, Password: pass, Registry: host}, nil
}

// EngineAuth is the X-Registry-Auth header value of the login, for
// ImagePush and ImagePull.
func (a Auth) EngineAuth() string {
	b, _ := json.Marshal(registry.AuthConfig{Username: a.Username, Password: a.Password, ServerAddress: a.Registry})
	return base64.URLEncoding.EncodeToString(b)
}
