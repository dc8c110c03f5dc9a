package s3

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// Multipart upload limits.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const (
	minPartSize = 5 << 20
	maxPartSize = 5 << 30
	maxParts    = 10000
)

// uploadMeta is an in-progress multipart upload, durable in the "uploads"
// collection; its parts are documents and blobs of the collection
// parts/<upload ID>.
type uploadMeta struct {
	ID        string
	Bucket    string
	Key       string
	Initiated time.Time
	// Object holds the attributes given at creation (content type,
	// metadata...), applied to the object on completion.
	Object version
}

type partMeta struct {
	Number       int
	Blob         string
	Size         int64
	ETag         string
	Checksum     string `json:",omitempty"`
	LastModified time.Time
}

type upload struct {
	mu     sync.Mutex
	meta   uploadMeta
	parts  map[int]partMeta // nil until loaded
	closed bool             // completed or aborted
}

func (s *Service) uploadsColl() *store.Collection { return s.env.Store.Collection("s3", "uploads") }
func (s *Service) partsColl(id string) *store.Collection {
	return s.env.Store.Collection("s3", "parts", id)
}

func (s *Service) loadUploads() error {
	return store.ScanAs(s.uploadsColl(), "multipart upload", func(id string, m uploadMeta) error {
		s.uploads[id] = &upload{meta: m}
		return nil
	})
}

// uploadFor returns the open upload id of bucket/key, its parts loaded, with
// its lock held; the caller unlocks.
func (s *Service) uploadFor(id, bucket, key string) (*upload, error) {
	s.uploadsMu.Lock()
	u := s.uploads[id]
	s.uploadsMu.Unlock()
	if u == nil || u.meta.Bucket != bucket || u.meta.Key != key {
		return nil, errNoSuchUpload(id)
	}
	u.mu.Lock()
	if u.closed {
		u.mu.Unlock()
		return nil, errNoSuchUpload(id)
	}
	if u.parts == nil {
		parts := map[int]partMeta{}
		err := s.partsColl(id).Scan(func(_ string, raw json.RawMessage) error {
			var p partMeta
			if err := json.Unmarshal(raw, &p); err != nil {
				return err
			}
			parts[p.Number] = p
			return nil
		})
		if err != nil {
			u.mu.Unlock()
			return nil, errInternal("loading multipart upload "+id, err)
		}
		u.parts = parts
	}
	return u, nil
}

func (s *Service) createUpload(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	if _, err := s.bucketFor(bucketName); err != nil {
		return err
	}
	if err := aclHeaders(r, false); err != nil {
		return err
	}
	v, err := versionFromHeaders(r)
	if err != nil {
		return err
	}
	if alg := r.Header.Get("X-Amz-Checksum-Algorithm"); alg != "" {
		a, ok := checksumByName(alg)
		if !ok {
			return errInvalidArgument("x-amz-checksum-algorithm", alg, "Checksum algorithm %q is not one of CRC32, CRC32C, CRC64NVME, SHA1, SHA256.", alg)
		}
		v.ChecksumAlgorithm = a.Name
	}
	m := uploadMeta{ID: newID() + newID(), Bucket: bucketName, Key: key, Initiated: s.now(), Object: v}
	if err := s.uploadsColl().Put(m.ID, m); err != nil {
		return errInternal("creating multipart upload", err)
	}
	s.uploadsMu.Lock()
	s.uploads[m.ID] = &upload{meta: m, parts: map[int]partMeta{}}
	s.uploadsMu.Unlock()
	if v.ChecksumAlgorithm != "" {
		w.Header().Set("X-Amz-Checksum-Algorithm", v.ChecksumAlgorithm)
		w.Header().Set("X-Amz-Checksum-Type", "COMPOSITE")
	}
	writeXML(w, initiateMultipartUploadResult{NS: Namespace, Bucket: bucketName, Key: key, UploadID: m.ID})
	return nil
}

func partNumber(r *http.Request) (int, error) {
	pn := r.URL.Query().Get("partNumber")
	n, err := strconv.Atoi(pn)
	if err != nil || n < 1 || n > maxParts {
		return 0, errInvalidArgument("partNumber", pn, "Part number must be an integer between 1 and %d, inclusive", maxParts)
	}
	return n, nil
}

func (s *Service) uploadPart(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	id := r.URL.Query().Get("uploadId")
	n, err := partNumber(r)
	if err != nil {
		return err
	}
	u, err := s.uploadFor(id, bucketName, key)
	if err != nil {
		return err
	}
	u.mu.Unlock() // parts stream in parallel; only the bookkeeping is locked
	if r.ContentLength > maxPartSize {
		return core.Errorf(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	}
	blob := fmt.Sprintf("%05d-%s", n, newID())
	size, pc, err := s.receive(r, s.partsColl(id), blob)
	if err != nil {
		return err
	}
	p := partMeta{Number: n, Blob: blob, Size: size, ETag: pc.etag(), Checksum: pc.checksum(), LastModified: s.now()}
	if u, err = s.uploadFor(id, bucketName, key); err != nil {
		_ = s.partsColl(id).DeleteBlob(blob)
		return err
	}
	defer u.mu.Unlock()
	docKey := fmt.Sprintf("%05d", n)
	if err := s.partsColl(id).Put(docKey, p); err != nil {
		return errInternal("saving part", err)
	}
	if old, ok := u.parts[n]; ok {
		_ = s.partsColl(id).DeleteBlob(old.Blob)
	}
	u.parts[n] = p
	w.Header().Set("ETag", p.ETag)
	w.Header().Set("X-Amz-Server-Side-Encryption", "AES256")
	if pc.alg != nil {
		w.Header().Set(pc.alg.Header(), p.Checksum)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) completeUpload(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	id := r.URL.Query().Get("uploadId")
	b, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	var req completeMultipartUpload
	if err := readXML(r, "CompleteMultipartUpload", &req); err != nil {
		return err
	}
	if len(req.Parts) == 0 {
		return errMalformedXML("CompleteMultipartUpload", errors.New("no Part"))
	}
	u, err := s.uploadFor(id, bucketName, key)
	if err != nil {
		return err
	}
	defer u.mu.Unlock()
	for i := 1; i < len(req.Parts); i++ {
		if req.Parts[i].PartNumber <= req.Parts[i-1].PartNumber {
			return core.Errorf(http.StatusBadRequest, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.").
				With("UploadId", id)
		}
	}
	parts := make([]partMeta, 0, len(req.Parts))
	for i, cp := range req.Parts {
		p, ok := u.parts[cp.PartNumber]
		if !ok || strings.Trim(cp.ETag, `"`) != strings.Trim(p.ETag, `"`) {
			return core.Errorf(http.StatusBadRequest, "InvalidPart",
				"One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").
				With("UploadId", id).With("PartNumber", strconv.Itoa(cp.PartNumber)).With("ETag", cp.ETag)
		}
		if i < len(req.Parts)-1 && p.Size < minPartSize {
			return core.Errorf(http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.").
				With("ProposedSize", strconv.FormatInt(p.Size, 10)).With("MinSizeAllowed", strconv.Itoa(minPartSize)).
				With("PartNumber", strconv.Itoa(p.Number))
		}
		parts = append(parts, p)
	}

	// The ETag of a multipart object is the MD5 of the parts' binary MD5s,
	// "-" and the part count; a composite checksum is built the same way.
	etag := md5.New()
	v := u.meta.Object
	var composite *checksumAlgorithm
	var compositeSum []byte
	if a, ok := checksumByName(v.ChecksumAlgorithm); ok {
		composite = &a
	}
	v.Blob = newID()
	size, err := s.blobsColl(bucketName).WriteBlob(v.Blob, func(w io.Writer) error {
		for _, p := range parts {
			raw, _ := hex.DecodeString(strings.Trim(p.ETag, `"`))
			etag.Write(raw)
			if composite != nil {
				sum, err := base64.StdEncoding.DecodeString(p.Checksum)
				if err != nil || p.Checksum == "" {
					composite = nil // a part without a checksum: no composite
				} else {
					compositeSum = append(compositeSum, sum...)
				}
			}
			f, err := s.partsColl(id).OpenBlob(p.Blob)
			if err != nil {
				return err
			}
			_, err = io.Copy(w, f)
			_ = f.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return errInternal("assembling multipart upload", err)
	}
	v.Size, v.LastModified, v.Parts = size, s.now(), len(parts)
	v.ETag = fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(etag.Sum(nil)), len(parts))
	v.Checksum, v.ChecksumAlgorithm = "", ""
	if composite != nil {
		h := composite.new()
		h.Write(compositeSum)
		v.ChecksumAlgorithm = composite.Name
		v.Checksum = fmt.Sprintf("%s-%d", base64.StdEncoding.EncodeToString(h.Sum(nil)), len(parts))
	}
	if v, err = s.commit(b, key, v); err != nil {
		return err
	}
	s.closeUpload(u)
	s.notify(r.Context(), bucketName, changeFrom(r, "ObjectCreated:CompleteMultipartUpload", key, v))
	res := completeMultipartUploadResult{NS: Namespace, Location: s.env.Endpoint + "/" + bucketName + "/" + key,
		Bucket: bucketName, Key: key, ETag: v.ETag}
	if composite != nil {
		res.ChecksumType = "COMPOSITE"
		switch composite.Name {
		case "CRC32":
			res.ChecksumCRC32 = v.Checksum
		case "CRC32C":
			res.ChecksumCRC32C = v.Checksum
		case "CRC64NVME":
			res.ChecksumCRC64NVME = v.Checksum
		case "SHA1":
			res.ChecksumSHA1 = v.Checksum
		case "SHA256":
			res.ChecksumSHA256 = v.Checksum
		}
	}
	if v.VersionID != "" {
		w.Header().Set("X-Amz-Version-Id", v.VersionID)
	}
	w.Header().Set("X-Amz-Server-Side-Encryption", v.SSE)
	writeXML(w, res)
	return nil
}

// closeUpload forgets a completed or aborted upload and its parts; u.mu is
// held.
func (s *Service) closeUpload(u *upload) {
	u.closed = true
	if err := errors.Join(s.partsColl(u.meta.ID).Drop(), s.uploadsColl().Delete(u.meta.ID)); err != nil {
		s.log.WithError(err).Warn("removing a finished multipart upload")
	}
	s.uploadsMu.Lock()
	delete(s.uploads, u.meta.ID)
	s.uploadsMu.Unlock()
}

// abortUploadsOf aborts the uploads of a bucket being deleted.
func (s *Service) abortUploadsOf(bucket string) {
	s.uploadsMu.Lock()
	var doomed []*upload
	for _, u := range s.uploads {
		if u.meta.Bucket == bucket {
			doomed = append(doomed, u)
		}
	}
	s.uploadsMu.Unlock()
	for _, u := range doomed {
		u.mu.Lock()
		if !u.closed {
			s.closeUpload(u)
		}
		u.mu.Unlock()
	}
}

func (s *Service) abortUpload(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	if _, err := s.bucketFor(bucketName); err != nil {
		return err
	}
	u, err := s.uploadFor(r.URL.Query().Get("uploadId"), bucketName, key)
	if err != nil {
		return err
	}
	defer u.mu.Unlock()
	s.closeUpload(u)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) listParts(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	if _, err := s.bucketFor(bucketName); err != nil {
		return err
	}
	q := r.URL.Query()
	id := q.Get("uploadId")
	maxParts, marker := 1000, 0
	if v := q.Get("max-parts"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errInvalidArgument("max-parts", v, "Provided max-parts not an integer or within integer range")
		}
		maxParts = min(n, 1000)
	}
	if v := q.Get("part-number-marker"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errInvalidArgument("part-number-marker", v, "Provided part-number-marker not an integer or within integer range")
		}
		marker = n
	}
	u, err := s.uploadFor(id, bucketName, key)
	if err != nil {
		return err
	}
	defer u.mu.Unlock()
	numbers := make([]int, 0, len(u.parts))
	for n := range u.parts {
		if n > marker {
			numbers = append(numbers, n)
		}
	}
	sort.Ints(numbers)
	res := listPartsResult{NS: Namespace, Bucket: bucketName, Key: key, UploadID: id, PartNumberMarker: marker,
		MaxParts: maxParts, Initiator: s.owner, Owner: s.owner, StorageClass: "STANDARD",
		ChecksumAlgorithm: u.meta.Object.ChecksumAlgorithm}
	if len(numbers) > maxParts {
		numbers, res.IsTruncated = numbers[:maxParts], true
	}
	for _, n := range numbers {
		p := u.parts[n]
		e := partEntry{PartNumber: n, LastModified: xmlTime(p.LastModified), ETag: p.ETag, Size: p.Size}
		switch u.meta.Object.ChecksumAlgorithm {
		case "CRC32":
			e.ChecksumCRC32 = p.Checksum
		case "CRC32C":
			e.ChecksumCRC32C = p.Checksum
		case "CRC64NVME":
			e.ChecksumCRC64NVME = p.Checksum
		case "SHA1":
			e.ChecksumSHA1 = p.Checksum
		case "SHA256":
			e.ChecksumSHA256 = p.Checksum
		}
		res.Parts = append(res.Parts, e)
		res.NextPartNumberMarker = n
	}
	writeXML(w, res)
	return nil
}

// listUploads lists the bucket's in-progress uploads (all of them, sorted by
// key then initiation; pagination markers are not supported).
func (s *Service) listUploads(w http.ResponseWriter, r *http.Request, bucketName, _ string) error {
	if _, err := s.bucketFor(bucketName); err != nil {
		return err
	}
	prefix := r.URL.Query().Get("prefix")
	res := listMultipartUploadsResult{NS: Namespace, Bucket: bucketName, Prefix: prefix, MaxUploads: 1000}
	s.uploadsMu.Lock()
	for _, u := range s.uploads {
		if u.meta.Bucket == bucketName && strings.HasPrefix(u.meta.Key, prefix) {
			res.Uploads = append(res.Uploads, uploadEntry{Key: u.meta.Key, UploadID: u.meta.ID,
				Initiated: xmlTime(u.meta.Initiated), StorageClass: "STANDARD", Initiator: s.owner, Owner: s.owner})
		}
	}
	s.uploadsMu.Unlock()
	sort.Slice(res.Uploads, func(i, j int) bool {
		a, b := res.Uploads[i], res.Uploads[j]
		return a.Key < b.Key || (a.Key == b.Key && a.Initiated < b.Initiated)
	})
	writeXML(w, res)
	return nil
}
