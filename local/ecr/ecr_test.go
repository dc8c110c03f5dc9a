package ecr_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
	localecr "github.com/sparta-go/sparta/local/ecr"
	"github.com/sparta-go/sparta/local/localtest"
)

func start(t *testing.T, dir string) (*local.Cloud, *ecr.Client) {
	t.Helper()
	c := localtest.Start(t, local.Options{StateDir: dir, Services: []core.Factory{localecr.New}})
	return c, ecr.NewFromConfig(localtest.Config(c))
}

// push writes a random image to repo:tag with the ECR login and returns it.
func push(t *testing.T, client *ecr.Client, uri, tag string) v1.Image {
	t.Helper()
	auth, err := docker.Authorize(context.Background(), client)
	if err != nil {
		t.Fatalf("Authorize = %v", err)
	}
	img, err := random.Image(256, 2)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(uri + ":" + tag)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img, remote.WithAuth(&authn.Basic{Username: auth.Username, Password: auth.Password})); err != nil {
		t.Fatalf("remote.Write(%s) = %v", ref, err)
	}
	return img
}

func TestRepositoryLifecycleAndImages(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	c, client := start(t, dir)

	uri, err := docker.EnsureRepository(ctx, client, "team/orders", nil)
	if err != nil {
		t.Fatalf("EnsureRepository = %v", err)
	}
	if want := strings.TrimPrefix(c.Endpoint(), "http://") + "/team/orders"; uri != want {
		t.Errorf("repository URI = %q, want %q", uri, want)
	}
	if _, err := client.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("team/orders")}); !errorAs[*ecrtypes.RepositoryAlreadyExistsException](err) {
		t.Errorf("CreateRepository(existing) = %v, want RepositoryAlreadyExistsException", err)
	}
	if _, err := client.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("Bad Name")}); !errorAs[*ecrtypes.InvalidParameterException](err) {
		t.Errorf("CreateRepository(Bad Name) = %v, want InvalidParameterException", err)
	}
	if _, err := client.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"missing"}}); !errorAs[*ecrtypes.RepositoryNotFoundException](err) {
		t.Errorf("DescribeRepositories(missing) = %v, want RepositoryNotFoundException", err)
	}

	img := push(t, client, uri, "v1")
	digest, _ := img.Digest()
	manifest, _ := img.Manifest()
	wantSize := manifest.Config.Size
	for _, l := range manifest.Layers {
		wantSize += l.Size
	}
	out, err := client.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("team/orders")})
	if err != nil {
		t.Fatalf("DescribeImages = %v", err)
	}
	if len(out.ImageDetails) != 1 {
		t.Fatalf("DescribeImages = %d images, want 1", len(out.ImageDetails))
	}
	d := out.ImageDetails[0]
	if aws.ToString(d.ImageDigest) != digest.String() || len(d.ImageTags) != 1 || d.ImageTags[0] != "v1" || aws.ToInt64(d.ImageSizeInBytes) != wantSize {
		t.Errorf("DescribeImages = %s %v %d, want %s [v1] %d", aws.ToString(d.ImageDigest), d.ImageTags, aws.ToInt64(d.ImageSizeInBytes), digest, wantSize)
	}

	// Pushing to a repository that does not exist is refused, as on ECR.
	auth, _ := docker.Authorize(ctx, client)
	missing, _ := name.ParseReference(strings.TrimSuffix(uri, "team/orders") + "nope:v1")
	err = remote.Write(missing, img, remote.WithAuth(&authn.Basic{Username: auth.Username, Password: auth.Password}))
	if !registryCode(err, "NAME_UNKNOWN") {
		t.Errorf("push to a missing repository = %v, want NAME_UNKNOWN", err)
	}
	// And so is a push without the login.
	ref, _ := name.ParseReference(uri + ":anonymous")
	if err := remote.Write(ref, img); !registryStatus(err, http.StatusUnauthorized) {
		t.Errorf("anonymous push = %v, want 401", err)
	}

	// Restart on the same state: the image is still described and pullable.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, client = start(t, dir)
	uri = strings.TrimPrefix(c.Endpoint(), "http://") + "/team/orders"
	pulled, err := remote.Image(mustRef(t, uri+":v1"), remote.WithAuth(&authn.Basic{Username: auth.Username, Password: auth.Password}))
	if err != nil {
		t.Fatalf("pull after restart = %v", err)
	}
	if got, _ := pulled.Digest(); got != digest {
		t.Errorf("pulled digest after restart = %s, want %s", got, digest)
	}
	if _, err := pulled.RawConfigFile(); err != nil {
		t.Errorf("reading the config blob after restart = %v", err)
	}

	del, err := client.BatchDeleteImage(ctx, &ecr.BatchDeleteImageInput{RepositoryName: aws.String("team/orders"),
		ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String("v1")}, {ImageTag: aws.String("v9")}}})
	if err != nil {
		t.Fatalf("BatchDeleteImage = %v", err)
	}
	if len(del.ImageIds) != 1 || len(del.Failures) != 1 || del.Failures[0].FailureCode != ecrtypes.ImageFailureCodeImageNotFound {
		t.Errorf("BatchDeleteImage = %d deleted, failures %+v; want 1 deleted and v9 not found", len(del.ImageIds), del.Failures)
	}
	if _, err := client.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("team/orders"),
		ImageIds: []ecrtypes.ImageIdentifier{{ImageDigest: aws.String(digest.String())}}}); !errorAs[*ecrtypes.ImageNotFoundException](err) {
		t.Errorf("DescribeImages(deleted) = %v, want ImageNotFoundException", err)
	}
	if _, err := client.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("team/orders")}); err != nil {
		t.Errorf("DeleteRepository(empty) = %v", err)
	}
}

func TestDeleteRepositoryWithImagesNeedsForce(t *testing.T) {
	ctx := context.Background()
	_, client := start(t, t.TempDir())
	uri, err := docker.EnsureRepository(ctx, client, "full", nil)
	if err != nil {
		t.Fatal(err)
	}
	push(t, client, uri, "latest")
	if _, err := client.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("full")}); !errorAs[*ecrtypes.RepositoryNotEmptyException](err) {
		t.Errorf("DeleteRepository(non-empty) = %v, want RepositoryNotEmptyException", err)
	}
	if _, err := client.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("full"), Force: true}); err != nil {
		t.Errorf("DeleteRepository(force) = %v", err)
	}
}

func TestAWSCLIDescribeRepositories(t *testing.T) {
	c, client := start(t, t.TempDir())
	if _, err := docker.EnsureRepository(context.Background(), client, "cli-repo", nil); err != nil {
		t.Fatal(err)
	}
	out := localtest.CLI(t, c, "ecr", "describe-repositories")
	if !strings.Contains(out, `"repositoryName": "cli-repo"`) {
		t.Errorf("aws ecr describe-repositories = %s, want cli-repo", out)
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func errorAs[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

func registryCode(err error, code string) bool {
	var te *transport.Error
	if !errors.As(err, &te) {
		return false
	}
	for _, d := range te.Errors {
		if string(d.Code) == code {
			return true
		}
	}
	return false
}

func registryStatus(err error, status int) bool {
	var te *transport.Error
	return errors.As(err, &te) && te.StatusCode == status
}
