package ecr

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// maxManifest bounds manifest bodies (registries commonly allow 4 MiB).
const maxManifest = 4 << 20

// serveRegistry serves the OCI distribution API: it checks the ECR login,
// refuses repositories that do not exist, and records manifest pushes as
// images of their repository before or after handing the request to the
// registry.
//
// See https://github.com/opencontainers/distribution-spec/blob/main/spec.md.
func (s *Service) serveRegistry(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="sparta local ECR"`)
		writeRegistryError(w, http.StatusUnauthorized, "UNAUTHORIZED",
			"authentication required: log in with the user and password of ECR GetAuthorizationToken")
		return
	}
	name, kind, ref := splitRegistryPath(r.URL.Path)
	if name == "" {
		s.registry.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	repo, ok := s.repos[name]
	s.mu.Unlock()
	if !ok {
		writeRegistryError(w, http.StatusNotFound, "NAME_UNKNOWN",
			fmt.Sprintf("repository %s does not exist in the registry with id %s: create it with ECR CreateRepository", name, s.env.AccountID))
		return
	}
	if kind != "manifests" || (r.Method != http.MethodPut && r.Method != http.MethodDelete) {
		s.registry.ServeHTTP(w, r)
		return
	}
	if r.Method == http.MethodDelete {
		rec := &recorder{ResponseWriter: w}
		s.registry.ServeHTTP(rec, r)
		if rec.status == http.StatusAccepted {
			s.forget(repo, ref)
		}
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxManifest+1))
	if err != nil || len(body) > maxManifest {
		writeRegistryError(w, http.StatusBadRequest, "MANIFEST_INVALID", "the manifest is unreadable or larger than 4 MiB")
		return
	}
	if !strings.HasPrefix(ref, "sha256:") && s.tagTaken(repo, ref, body) {
		writeRegistryError(w, http.StatusBadRequest, "TAG_INVALID",
			fmt.Sprintf("the image tag '%s' already exists in the repository '%s', whose tags are immutable", ref, name))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &recorder{ResponseWriter: w}
	s.registry.ServeHTTP(rec, r)
	if rec.status != http.StatusCreated {
		return
	}
	digest := rec.Header().Get("Docker-Content-Digest")
	if err := s.record(repo, ref, digest, r.Header.Get("Content-Type"), body); err != nil {
		s.log.WithError(err).WithField("repository", name).Warn("recording a pushed image")
	}
}

// authorized checks the Basic login of GetAuthorizationToken.
func (s *Service) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	wantUser, wantPass := s.Login()
	return user == wantUser && subtle.ConstantTimeCompare([]byte(pass), []byte(wantPass)) == 1
}

// splitRegistryPath splits /v2/<name>/<kind>/<ref> (kind manifests, blobs
// or tags); name is empty for /v2/ and /v2/_catalog.
func splitRegistryPath(p string) (name, kind, ref string) {
	rest := strings.TrimPrefix(p, "/v2/")
	for _, k := range []string{"/manifests/", "/blobs/", "/tags/"} {
		if i := strings.LastIndex(rest, k); i > 0 {
			return rest[:i], strings.Trim(k, "/"), rest[i+len(k):]
		}
	}
	return "", "", ""
}

// manifestShape is what a manifest says about its size.
type manifestShape struct {
	MediaType string `json:"mediaType"`
	Config    struct {
		Size int64 `json:"size"`
	} `json:"config"`
	Layers []struct {
		Size int64 `json:"size"`
	} `json:"layers"`
	Manifests []struct {
		Size int64 `json:"size"`
	} `json:"manifests"`
}

// tagTaken reports whether pushing body as tag would move an immutable tag.
func (s *Service) tagTaken(repo *repository, tag string, body []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if repo.ImageTagMutability != "IMMUTABLE" {
		return false
	}
	for _, img := range repo.Images {
		if contains(img.Tags, tag) && !bytes.Equal(img.Manifest, body) {
			return true
		}
	}
	return false
}

// record adds a pushed manifest to its repository's images: ref is the tag
// or digest it was pushed by; a tag moves from any other image to it.
func (s *Service) record(repo *repository, ref, digest, mediaType string, body []byte) error {
	var m manifestShape
	_ = json.Unmarshal(body, &m)
	if mediaType == "" {
		mediaType = m.MediaType
	}
	size := m.Config.Size
	for _, l := range m.Layers {
		size += l.Size
	}
	for _, c := range m.Manifests {
		size += c.Size
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := repo.Images[digest]
	if !ok {
		img = &image{Digest: digest, Tags: []string{}, Size: size, MediaType: mediaType, Manifest: body}
		repo.Images[digest] = img
	}
	img.PushedAt = s.env.Clock.Now().UTC()
	if ref != digest && !contains(img.Tags, ref) {
		for _, other := range repo.Images {
			other.Tags = remove(other.Tags, ref)
		}
		img.Tags = append(img.Tags, ref)
	}
	return s.reposColl().Put(repo.Name, repo)
}

// forget drops an image deleted through the registry API.
func (s *Service) forget(repo *repository, ref string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for d, img := range repo.Images {
		if d == ref {
			delete(repo.Images, d)
			for _, t := range img.Tags {
				s.registryDo(http.MethodDelete, repo.Name, t, "", nil)
			}
		} else {
			img.Tags = remove(img.Tags, ref)
		}
	}
	_ = s.reposColl().Put(repo.Name, repo)
}

// registryDelete removes an image and its tags from the registry.
func (s *Service) registryDelete(name, digest string) {
	for _, img := range s.repos[name].Images {
		if img.Digest == digest {
			for _, t := range img.Tags {
				s.registryDo(http.MethodDelete, name, t, "", nil)
			}
		}
	}
	s.registryDo(http.MethodDelete, name, digest, "", nil)
}

// replay puts a reloaded repository's manifests back into the registry,
// whose manifest index lives in memory; the blobs are on disk already.
func (s *Service) replay(r *repository) error {
	for _, img := range r.Images {
		refs := append([]string{img.Digest}, img.Tags...)
		for _, ref := range refs {
			if code := s.registryDo(http.MethodPut, r.Name, ref, img.MediaType, img.Manifest); code != http.StatusCreated {
				return fmt.Errorf("restoring %s:%s into the registry: status %d", r.Name, ref, code)
			}
		}
	}
	return nil
}

// registryDo sends one manifest request to the registry in-process.
func (s *Service) registryDo(method, name, ref, mediaType string, body []byte) int {
	req := httptest.NewRequest(method, "/v2/"+name+"/manifests/"+ref, bytes.NewReader(body))
	if mediaType != "" {
		req.Header.Set("Content-Type", mediaType)
	}
	rec := httptest.NewRecorder()
	s.registry.ServeHTTP(rec, req)
	return rec.Code
}

func writeRegistryError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]string{"code": code, "message": message}}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// recorder remembers the status the registry wrote.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}
