package ecr

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// Service implements ECR and its registry. Build it with [New]; other
// services reach it with env.Lookup("ecr") and use [Service.Login] and
// [Service.RegistryHost] to pull images.
type Service struct {
	core.JSONService
	env      *core.Env
	log      logrus.FieldLogger
	registry http.Handler
	password string

	mu    sync.Mutex
	repos map[string]*repository
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Matcher = (*Service)(nil)
)

// repository is a repository's durable record.
type repository struct {
	Name               string            `json:"name"`
	CreatedAt          time.Time         `json:"createdAt"`
	ImageTagMutability string            `json:"imageTagMutability"`
	Tags               []Tag             `json:"tags,omitempty"`
	Images             map[string]*image `json:"images"` // by digest
}

// image is one pushed manifest of a repository.
type image struct {
	Digest    string    `json:"digest"`
	Tags      []string  `json:"tags"`
	Size      int64     `json:"size"`
	MediaType string    `json:"mediaType"`
	PushedAt  time.Time `json:"pushedAt"`
	Manifest  []byte    `json:"manifest"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// New builds the ECR service: it opens the registry's blob directory,
// reloads the repositories and replays their manifests into the registry.
func New(env *core.Env) (core.Service, error) {
	s := &Service{
		env:   env,
		log:   env.Log.WithField(core.FieldService, "ecr"),
		repos: map[string]*repository{},
	}
	blobs := filepath.Join(env.Store.Dir(), "ecr", "blobs")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		return nil, fmt.Errorf("ecr: creating the blob directory: %w", err)
	}
	s.registry = registry.New(
		registry.WithBlobHandler(registry.NewDiskBlobHandler(blobs)),
		registry.Logger(log.New(io.Discard, "", 0)),
	)
	var err error
	if s.password, err = s.loadPassword(); err != nil {
		return nil, fmt.Errorf("ecr: %w", err)
	}
	err = store.ScanAs(s.reposColl(), "repository", func(name string, r repository) error {
		if r.Images == nil {
			r.Images = map[string]*image{}
		}
		s.repos[name] = &r
		return s.replay(&r)
	})
	if err != nil {
		return nil, fmt.Errorf("ecr: reloading state: %w", err)
	}
	s.JSONService = core.JSONService{
		Service:      "ECR",
		TargetPrefix: "AmazonEC2ContainerRegistry_V20150921",
		ContentType:  "application/x-amz-json-1.1",
		Operations: map[string]core.JSONOperation{
			"CreateRepository":      core.Op(s.createRepository),
			"DescribeRepositories":  core.Op(s.describeRepositories),
			"DeleteRepository":      core.Op(s.deleteRepository),
			"DescribeImages":        core.Op(s.describeImages),
			"ListImages":            core.Op(s.listImages),
			"BatchDeleteImage":      core.Op(s.batchDeleteImage),
			"GetAuthorizationToken": s.getAuthorizationToken,
		},
	}
	return s, nil
}

// Name returns "ecr", ECR's signing name.
func (s *Service) Name() string { return "ecr" }

// ServeHTTP serves the ECR API and, under /v2/, the registry.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isRegistryPath(r.URL.Path) {
		s.serveRegistry(w, r)
		return
	}
	s.JSONService.ServeHTTP(w, r)
}

// Match claims the registry's requests, which carry Basic or no
// authorization rather than a SigV4 scope.
func (s *Service) Match(r *http.Request) bool { return isRegistryPath(r.URL.Path) }

func isRegistryPath(p string) bool { return p == "/v2" || strings.HasPrefix(p, "/v2/") }

func (s *Service) reposColl() *store.Collection { return s.env.Store.Collection("ecr", "repositories") }

// loadPassword returns the registry password, made once per state
// directory so that logins outlive a restart as ECR tokens outlive a
// client.
func (s *Service) loadPassword() (string, error) {
	coll := s.env.Store.Collection("ecr", "settings")
	var p string
	if err := coll.Get("password", &p); err == nil && p != "" {
		return p, nil
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	p = hex.EncodeToString(b)
	return p, coll.Put("password", p)
}

// RegistryHost is the registry's host:port, the first part of every
// repository URI.
func (s *Service) RegistryHost() string {
	return strings.TrimPrefix(strings.TrimPrefix(s.env.Endpoint, "http://"), "https://")
}

// Login returns the registry's user and password, what
// GetAuthorizationToken hands out.
func (s *Service) Login() (user, password string) { return "AWS", s.password }

// RepositoryURI is the URI of the repository name.
func (s *Service) RepositoryURI(name string) string { return s.RegistryHost() + "/" + name }

func (s *Service) repositoryARN(name string) string { return s.env.ARN("ecr", "repository/"+name) }

// Repository is the ECR Repository shape.
// See https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_Repository.html.
type Repository struct {
	RepositoryArn      string  `json:"repositoryArn"`
	RegistryID         string  `json:"registryId"`
	RepositoryName     string  `json:"repositoryName"`
	RepositoryURI      string  `json:"repositoryUri"`
	CreatedAt          float64 `json:"createdAt"`
	ImageTagMutability string  `json:"imageTagMutability"`
}

func (s *Service) view(r *repository) Repository {
	return Repository{
		RepositoryArn:      s.repositoryARN(r.Name),
		RegistryID:         s.env.AccountID,
		RepositoryName:     r.Name,
		RepositoryURI:      s.RepositoryURI(r.Name),
		CreatedAt:          epoch(r.CreatedAt),
		ImageTagMutability: r.ImageTagMutability,
	}
}

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// repositoryName is ECR's rule for repository names.
var repositoryName = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

func notFound(name, account string) *core.Error {
	return core.Errorf(http.StatusBadRequest, "RepositoryNotFoundException",
		"The repository with name '%s' does not exist in the registry with id '%s'", name, account)
}

// CreateRepositoryInput is the CreateRepository request.
type CreateRepositoryInput struct {
	RepositoryName     string `json:"repositoryName"`
	ImageTagMutability string `json:"imageTagMutability"`
	Tags               []Tag  `json:"tags"`
}

// CreateRepository creates a repository; it is the Go API the
// CloudFormation provider uses.
func (s *Service) CreateRepository(in CreateRepositoryInput) (Repository, error) {
	name := in.RepositoryName
	if len(name) < 2 || len(name) > 256 || !repositoryName.MatchString(name) {
		return Repository{}, core.Errorf(http.StatusBadRequest, "InvalidParameterException",
			"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '%s'' (lowercase letters, digits, and . _ - / separators; 2 to 256 characters)", repositoryName)
	}
	mut := in.ImageTagMutability
	if mut == "" {
		mut = "MUTABLE"
	}
	if mut != "MUTABLE" && mut != "IMMUTABLE" {
		return Repository{}, core.Errorf(http.StatusBadRequest, "InvalidParameterException", "imageTagMutability must be MUTABLE or IMMUTABLE, got %q", mut)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.repos[name]; ok {
		return Repository{}, core.Errorf(http.StatusBadRequest, "RepositoryAlreadyExistsException",
			"The repository with name '%s' already exists in the registry with id '%s'", name, s.env.AccountID)
	}
	r := &repository{Name: name, CreatedAt: s.env.Clock.Now().UTC(), ImageTagMutability: mut, Tags: in.Tags, Images: map[string]*image{}}
	if err := s.reposColl().Put(name, r); err != nil {
		return Repository{}, err
	}
	s.repos[name] = r
	s.log.WithField("repository", name).Debug("created repository")
	return s.view(r), nil
}

func (s *Service) createRepository(_ context.Context, in CreateRepositoryInput) (any, error) {
	r, err := s.CreateRepository(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"repository": r}, nil
}

func (s *Service) describeRepositories(_ context.Context, in struct {
	RepositoryNames []string `json:"repositoryNames"`
}) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Repository{}
	if len(in.RepositoryNames) > 0 {
		for _, n := range in.RepositoryNames {
			r, ok := s.repos[n]
			if !ok {
				return nil, notFound(n, s.env.AccountID)
			}
			out = append(out, s.view(r))
		}
	} else {
		for _, n := range sortedKeys(s.repos) {
			out = append(out, s.view(s.repos[n]))
		}
	}
	return map[string]any{"repositories": out}, nil
}

// DeleteRepository deletes a repository; one that holds images needs force.
func (s *Service) DeleteRepository(name string, force bool) (Repository, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[name]
	if !ok {
		return Repository{}, notFound(name, s.env.AccountID)
	}
	if len(r.Images) > 0 && !force {
		return Repository{}, core.Errorf(http.StatusBadRequest, "RepositoryNotEmptyException",
			"The repository with name '%s' in registry with id '%s' cannot be deleted because it still contains images (pass force)", name, s.env.AccountID)
	}
	for _, img := range r.Images {
		s.registryDelete(name, img.Digest)
	}
	if err := s.reposColl().Delete(name); err != nil {
		return Repository{}, err
	}
	delete(s.repos, name)
	return s.view(r), nil
}

func (s *Service) deleteRepository(_ context.Context, in struct {
	RepositoryName string `json:"repositoryName"`
	Force          bool   `json:"force"`
}) (any, error) {
	r, err := s.DeleteRepository(in.RepositoryName, in.Force)
	if err != nil {
		return nil, err
	}
	return map[string]any{"repository": r}, nil
}

// ImageIdentifier names an image by digest, tag or both.
type ImageIdentifier struct {
	ImageDigest string `json:"imageDigest,omitempty"`
	ImageTag    string `json:"imageTag,omitempty"`
}

// ImageDetail is the DescribeImages shape. ImageSizeInBytes is, as on ECR,
// the sum of the manifest's compressed layer and config sizes.
// See https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageDetail.html.
type ImageDetail struct {
	RegistryID             string   `json:"registryId"`
	RepositoryName         string   `json:"repositoryName"`
	ImageDigest            string   `json:"imageDigest"`
	ImageTags              []string `json:"imageTags,omitempty"`
	ImageSizeInBytes       int64    `json:"imageSizeInBytes"`
	ImagePushedAt          float64  `json:"imagePushedAt"`
	ImageManifestMediaType string   `json:"imageManifestMediaType"`
}

// find returns the image an identifier names, or an error message.
func (r *repository) find(id ImageIdentifier) (*image, string) {
	if id.ImageDigest != "" {
		img, ok := r.Images[id.ImageDigest]
		if !ok {
			return nil, fmt.Sprintf("The image with imageId {imageDigest:'%s'} does not exist within the repository with name '%s'", id.ImageDigest, r.Name)
		}
		if id.ImageTag != "" && !contains(img.Tags, id.ImageTag) {
			return nil, fmt.Sprintf("The image tag '%s' does not match the image digest '%s'", id.ImageTag, id.ImageDigest)
		}
		return img, ""
	}
	for _, img := range r.Images {
		if contains(img.Tags, id.ImageTag) {
			return img, ""
		}
	}
	return nil, fmt.Sprintf("The image with imageId {imageTag:'%s'} does not exist within the repository with name '%s'", id.ImageTag, r.Name)
}

func (s *Service) describeImages(_ context.Context, in struct {
	RepositoryName string            `json:"repositoryName"`
	ImageIDs       []ImageIdentifier `json:"imageIds"`
}) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[in.RepositoryName]
	if !ok {
		return nil, notFound(in.RepositoryName, s.env.AccountID)
	}
	var imgs []*image
	if len(in.ImageIDs) > 0 {
		for _, id := range in.ImageIDs {
			img, msg := r.find(id)
			if img == nil {
				return nil, core.Errorf(http.StatusBadRequest, "ImageNotFoundException", "%s", msg)
			}
			imgs = append(imgs, img)
		}
	} else {
		for _, d := range sortedKeys(r.Images) {
			imgs = append(imgs, r.Images[d])
		}
	}
	out := []ImageDetail{}
	for _, img := range imgs {
		out = append(out, ImageDetail{
			RegistryID: s.env.AccountID, RepositoryName: r.Name, ImageDigest: img.Digest,
			ImageTags: img.Tags, ImageSizeInBytes: img.Size, ImagePushedAt: epoch(img.PushedAt),
			ImageManifestMediaType: img.MediaType,
		})
	}
	return map[string]any{"imageDetails": out}, nil
}

func (s *Service) listImages(_ context.Context, in struct {
	RepositoryName string `json:"repositoryName"`
}) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[in.RepositoryName]
	if !ok {
		return nil, notFound(in.RepositoryName, s.env.AccountID)
	}
	ids := []ImageIdentifier{}
	for _, d := range sortedKeys(r.Images) {
		img := r.Images[d]
		if len(img.Tags) == 0 {
			ids = append(ids, ImageIdentifier{ImageDigest: d})
		}
		for _, t := range img.Tags {
			ids = append(ids, ImageIdentifier{ImageDigest: d, ImageTag: t})
		}
	}
	return map[string]any{"imageIds": ids}, nil
}

// batchDeleteImage deletes images by digest, or removes tags; an image
// whose last tag is removed is deleted, as on ECR.
func (s *Service) batchDeleteImage(_ context.Context, in struct {
	RepositoryName string            `json:"repositoryName"`
	ImageIDs       []ImageIdentifier `json:"imageIds"`
}) (any, error) {
	if len(in.ImageIDs) == 0 {
		return nil, core.Errorf(http.StatusBadRequest, "InvalidParameterException", "imageIds must name at least one image")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[in.RepositoryName]
	if !ok {
		return nil, notFound(in.RepositoryName, s.env.AccountID)
	}
	deleted := []ImageIdentifier{}
	type failure struct {
		ImageID       ImageIdentifier `json:"imageId"`
		FailureCode   string          `json:"failureCode"`
		FailureReason string          `json:"failureReason"`
	}
	failures := []failure{}
	for _, id := range in.ImageIDs {
		img, msg := r.find(id)
		if img == nil {
			code := "ImageNotFound"
			if id.ImageDigest != "" && id.ImageTag != "" && r.Images[id.ImageDigest] != nil {
				code = "ImageTagDoesNotMatchDigest"
			}
			failures = append(failures, failure{ImageID: id, FailureCode: code, FailureReason: msg})
			continue
		}
		if id.ImageDigest == "" {
			img.Tags = remove(img.Tags, id.ImageTag)
			if len(img.Tags) > 0 {
				deleted = append(deleted, ImageIdentifier{ImageDigest: img.Digest, ImageTag: id.ImageTag})
				continue
			}
		}
		delete(r.Images, img.Digest)
		s.registryDelete(r.Name, img.Digest)
		deleted = append(deleted, ImageIdentifier{ImageDigest: img.Digest, ImageTag: id.ImageTag})
	}
	if err := s.reposColl().Put(r.Name, r); err != nil {
		return nil, err
	}
	return map[string]any{"imageIds": deleted, "failures": failures}, nil
}

// tokenLifetime is how long a token is said to last, as on ECR.
const tokenLifetime = 12 * time.Hour

func (s *Service) getAuthorizationToken(context.Context, []byte) (any, error) {
	user, pass := s.Login()
	return map[string]any{"authorizationData": []any{map[string]any{
		"authorizationToken": base64.StdEncoding.EncodeToString([]byte(user + ":" + pass)),
		"expiresAt":          epoch(s.env.Clock.Now().Add(tokenLifetime)),
		"proxyEndpoint":      s.env.Endpoint,
	}}}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func remove(ss []string, s string) []string {
	out := ss[:0]
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// Public lets the registry's requests past the router's SigV4 check: the
// registry authenticates them itself, with the Basic login of
// GetAuthorizationToken, as ECR's registry does.
func (s *Service) Public(r *http.Request) bool { return isRegistryPath(r.URL.Path) }
