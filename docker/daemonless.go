package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/sirupsen/logrus"
)

// DaemonlessOptions configure [BuildAndPushDaemonless].
type DaemonlessOptions struct {
	// Build selects the binary: Service, MainPackage, Dir, GOARCH, Command
	// and Binary as for [Build]; Dockerfile, Tags and Engine are unused.
	Build BuildOptions
	// Base is the reference of the base image; empty is scratch (an empty
	// image). A base is pulled with the credentials of the Docker config.
	Base string
	// Repository is the ECR repository name; it is created when missing.
	Repository string
	// Tag is the pushed tag (default latest).
	Tag string
	// ECR is the ECR client (of AWS or the local cloud).
	ECR ECRAPI
}

// BuildAndPushDaemonless builds the image without a Docker engine, as ko
// does: the binary and the host's CA bundle as one layer on the base image,
// with the same entry point, command and user as [DefaultDockerfile], then
// pushes it to ECR with a GetAuthorizationToken login. Files and the image
// carry fixed times, so the same binary gives the same digest. It returns
// the image URI with its digest.
func BuildAndPushDaemonless(ctx context.Context, o DaemonlessOptions) (string, error) {
	if o.Repository == "" || o.ECR == nil {
		return "", errors.New("building an image without a daemon: Repository and ECR are required")
	}
	log := o.Build.Log
	if log == nil {
		log = discard()
	}
	binary := o.Build.Binary
	if binary == "" {
		dir, err := os.MkdirTemp("", "sparta-image-")
		if err != nil {
			return "", err
		}
		defer os.RemoveAll(dir)
		if binary, err = CompileBinary(ctx, o.Build, dir); err != nil {
			return "", fmt.Errorf("building an image for %s: %w", o.Repository, err)
		}
	}
	img, err := daemonlessImage(ctx, o, binary)
	if err != nil {
		return "", fmt.Errorf("building an image for %s: %w", o.Repository, err)
	}
	uri, err := EnsureRepository(ctx, o.ECR, o.Repository, log)
	if err != nil {
		return "", err
	}
	auth, err := Authorize(ctx, o.ECR)
	if err != nil {
		return "", err
	}
	tag := o.Tag
	if tag == "" {
		tag = "latest"
	}
	ref, err := name.ParseReference(uri + ":" + tag)
	if err != nil {
		return "", fmt.Errorf("pushing to %s: %w", uri, err)
	}
	log = log.WithField(FieldImage, ref.String())
	started := time.Now()
	log.Info("Publishing image")
	if err := remote.Write(ref, img, remote.WithContext(ctx), remote.WithAuth(&authn.Basic{Username: auth.Username, Password: auth.Password})); err != nil {
		return "", fmt.Errorf("pushing image %s: %w%s", ref, err, authHint(err))
	}
	digest, err := img.Digest()
	if err != nil {
		return "", err
	}
	log.WithFields(logrus.Fields{FieldDuration: time.Since(started).Round(time.Millisecond), "digest": digest.String()}).Info("Published image")
	return uri + "@" + digest.String(), nil
}

// daemonlessImage is the base image plus one layer holding the binary and
// the CA certificates.
func daemonlessImage(ctx context.Context, o DaemonlessOptions, binary string) (v1.Image, error) {
	base := empty.Image
	if o.Base != "" {
		ref, err := name.ParseReference(o.Base)
		if err != nil {
			return nil, fmt.Errorf("base image %q: %w", o.Base, err)
		}
		platform := v1.Platform{OS: "linux", Architecture: arch(o.Build.GOARCH)}
		if base, err = remote.Image(ref, remote.WithContext(ctx), remote.WithPlatform(platform), remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
			return nil, fmt.Errorf("base image %s: %w", o.Base, err)
		}
	}
	layerTar, err := binaryLayer(binary)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(base, mutate.Addendum{Layer: layer, History: v1.History{
		Author: "sparta", CreatedBy: "sparta: service binary and CA certificates", Created: v1.Time{Time: contextEpoch},
	}})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", arch(o.Build.GOARCH)
	cf.Config.Entrypoint = []string{BinaryPath}
	cf.Config.Cmd = o.Build.Command
	if len(cf.Config.Cmd) == 0 {
		cf.Config.Cmd = []string{DefaultTaskCommand}
	}
	cf.Config.User = "65532:65532"
	if cf.Config.Labels == nil {
		cf.Config.Labels = map[string]string{}
	}
	cf.Config.Labels["sparta.service"] = o.Build.Service
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return nil, err
	}
	return mutate.CreatedAt(img, v1.Time{Time: contextEpoch})
}

// binaryLayer is the layer's tar: the directories, the CA bundle and the
// binary, owned by root with fixed times.
func binaryLayer(binary string) ([]byte, error) {
	bin, err := os.ReadFile(binary)
	if err != nil {
		return nil, fmt.Errorf("reading the service binary: %w", err)
	}
	certs, err := os.ReadFile(CACertificates)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading the CA certificates: %w", err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, dir := range []string{"etc/", "etc/ssl/", "etc/ssl/certs/", path.Dir(BinaryPath)[1:] + "/"} {
		if err := tw.WriteHeader(&tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: contextEpoch}); err != nil {
			return nil, err
		}
	}
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{CACertificates[1:], 0o644, certs}, {BinaryPath[1:], 0o755, bin}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Typeflag: tar.TypeReg, Mode: f.mode, Size: int64(len(f.data)), ModTime: contextEpoch}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
