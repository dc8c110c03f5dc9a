package s3

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// version is one version of an object (the only one in unversioned
// buckets). Its bytes are the blob Blob of the bucket's blob collection:
// blobs have their own IDs so that writing the object's document is the
// single commit point of a write.
type version struct {
	VersionID    string `json:",omitempty"`
	DeleteMarker bool   `json:",omitempty"`
	Blob         string `json:",omitempty"`
	Size         int64
	ETag         string
	LastModified time.Time

	ContentType        string            `json:",omitempty"`
	ContentEncoding    string            `json:",omitempty"`
	ContentDisposition string            `json:",omitempty"`
	ContentLanguage    string            `json:",omitempty"`
	CacheControl       string            `json:",omitempty"`
	Expires            string            `json:",omitempty"`
	Metadata           map[string]string `json:",omitempty"`
	Tagging            string            `json:",omitempty"`
	StorageClass       string            `json:",omitempty"`
	SSE                string            `json:",omitempty"`

	ChecksumAlgorithm string `json:",omitempty"`
	Checksum          string `json:",omitempty"` // base64; "...-N" for multipart
	Parts             int    `json:",omitempty"` // multipart part count
}

// object is a key with its current version and, in versioned buckets, its
// noncurrent versions, newest first.
type object struct {
	Key        string
	Current    version
	Noncurrent []version `json:",omitempty"`
}

// find returns the version with id ("" or "null" for the current one of an
// unversioned object).
func (o *object) find(id string) (version, bool) {
	if id == "" || id == o.Current.VersionID || (id == "null" && o.Current.VersionID == "") {
		return o.Current, true
	}
	for _, v := range o.Noncurrent {
		if v.VersionID == id || (id == "null" && v.VersionID == "") {
			return v, true
		}
	}
	return version{}, false
}

// ObjectInfo describes an object for the Go API.
type ObjectInfo struct {
	Bucket, Key  string
	Size         int64
	ETag         string
	LastModified time.Time
	ContentType  string
	VersionID    string
	Metadata     map[string]string
}

func (v version) info(bucket, key string) ObjectInfo {
	return ObjectInfo{Bucket: bucket, Key: key, Size: v.Size, ETag: v.ETag, LastModified: v.LastModified,
		ContentType: v.ContentType, VersionID: v.VersionID, Metadata: v.Metadata}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// commit makes v the current version of key in b: it assigns a version ID
// in versioned buckets, writes the object's document (the commit point),
// and removes the replaced version's blob unless versioning keeps it.
func (s *Service) commit(b *bucket, key string, v version) (version, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.deleted {
		_ = s.blobsColl(b.meta.Name).DeleteBlob(v.Blob)
		return version{}, errNoSuchBucket(b.meta.Name)
	}
	if v.SSE == "" {
		v.SSE = b.meta.sseAlgorithm()
	}
	prev := b.objects[key]
	o := &object{Key: key, Current: v}
	var garbage []string
	switch b.meta.Versioning {
	case "Enabled":
		o.Current.VersionID = newID()
		if prev != nil {
			o.Noncurrent = append([]version{prev.Current}, prev.Noncurrent...)
		}
	case "Suspended":
		// New versions get the null version ID, replacing the previous
		// null version; other versions are kept.
		if prev != nil {
			for _, old := range append([]version{prev.Current}, prev.Noncurrent...) {
				if old.VersionID == "" {
					garbage = append(garbage, old.Blob)
				} else {
					o.Noncurrent = append(o.Noncurrent, old)
				}
			}
		}
	default:
		if prev != nil {
			garbage = append(garbage, prev.Current.Blob)
		}
	}
	if err := s.objectsColl(b.meta.Name).Put(key, o); err != nil {
		_ = s.blobsColl(b.meta.Name).DeleteBlob(v.Blob)
		return version{}, errInternal("saving object", err)
	}
	if prev == nil {
		b.insertKey(key)
	}
	b.objects[key] = o
	s.dropBlobs(b.meta.Name, garbage)
	return o.Current, nil
}

func (s *Service) dropBlobs(bucket string, blobs []string) {
	for _, id := range blobs {
		if id == "" {
			continue
		}
		if err := s.blobsColl(bucket).DeleteBlob(id); err != nil {
			s.log.WithError(err).Warn("removing a replaced object's data")
		}
	}
}

func (b *bucket) insertKey(key string) {
	i := sort.SearchStrings(b.keys, key)
	b.keys = append(b.keys, "")
	copy(b.keys[i+1:], b.keys[i:])
	b.keys[i] = key
}

func (b *bucket) removeKey(key string) {
	i := sort.SearchStrings(b.keys, key)
	if i < len(b.keys) && b.keys[i] == key {
		b.keys = append(b.keys[:i], b.keys[i+1:]...)
	}
}

// PutObject stores body under bucket/key through the Go API, with S3's
// semantics (versioning, ETag); contentType may be empty.
func (s *Service) PutObject(bucket, key, contentType string, body io.Reader) (ObjectInfo, error) {
	b, err := s.bucketFor(bucket)
	if err != nil {
		return ObjectInfo{}, err
	}
	pc := &payloadCheck{md5: newMD5()}
	v := version{Blob: newID(), ContentType: contentType}
	n, err := s.blobsColl(bucket).WriteBlob(v.Blob, func(w io.Writer) error {
		_, err := io.Copy(io.MultiWriter(w, pc), body)
		return err
	})
	if err != nil {
		return ObjectInfo{}, errInternal("writing object data", err)
	}
	v.Size, v.ETag, v.LastModified = n, pc.etag(), s.now()
	v, err = s.commit(b, key, v)
	if err != nil {
		return ObjectInfo{}, err
	}
	s.notify(context.Background(), bucket, change{name: "ObjectCreated:Put", key: key, size: v.Size, etag: v.ETag,
		versionID: v.VersionID, principal: "AWS:" + s.env.AccountID, sourceIP: "127.0.0.1", requestID: core.NewRequestID()})
	return v.info(bucket, key), nil
}

// GetObject opens the current version of bucket/key through the Go API.
// The caller closes the reader.
func (s *Service) GetObject(bucket, key string) (io.ReadCloser, ObjectInfo, error) {
	b, err := s.bucketFor(bucket)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	v, f, err := s.open(b, key, "")
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	return f, v.info(bucket, key), nil
}

func (s *Service) now() time.Time { return s.env.Clock.Now().UTC().Truncate(time.Second) }

// open returns a version of key and its data, opened under the bucket's
// lock so that a concurrent overwrite cannot remove the blob in between
// (an open file keeps its bytes after removal).
func (s *Service) open(b *bucket, key, versionID string) (version, *os.File, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	o := b.objects[key]
	if o == nil {
		return version{}, nil, errNoSuchKey(key)
	}
	v, ok := o.find(versionID)
	if !ok {
		return version{}, nil, errNoSuchVersion(key, versionID)
	}
	if v.DeleteMarker {
		return v, nil, nil
	}
	f, err := s.blobsColl(b.meta.Name).OpenBlob(v.Blob)
	if err != nil {
		return version{}, nil, errInternal("opening object data", err)
	}
	return v, f, nil
}

var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "OUTPOSTS": true,
	"GLACIER_IR": true, "SNOW": true, "EXPRESS_ONEZONE": true,
}

// versionFromHeaders reads the object attributes a PutObject,
// CreateMultipartUpload or CopyObject (REPLACE) request sets.
func versionFromHeaders(r *http.Request) (version, error) {
	h := r.Header
	v := version{
		ContentType:        h.Get("Content-Type"),
		ContentEncoding:    storedContentEncoding(r),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
		Tagging:            h.Get("X-Amz-Tagging"),
		StorageClass:       h.Get("X-Amz-Storage-Class"),
		SSE:                h.Get("X-Amz-Server-Side-Encryption"),
	}
	if v.StorageClass != "" && !storageClasses[v.StorageClass] {
		return v, core.Errorf(http.StatusBadRequest, "InvalidStorageClass", "The storage class you specified is not valid").
			With("StorageClassRequested", v.StorageClass)
	}
	if v.StorageClass == "STANDARD" {
		v.StorageClass = ""
	}
	for name, vals := range h {
		if m, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-meta-"); ok {
			if v.Metadata == nil {
				v.Metadata = map[string]string{}
			}
			v.Metadata[m] = strings.Join(vals, ",")
		}
	}
	return v, nil
}

// maxObjectSize is the largest single PutObject (5 GiB).
const maxObjectSize = 5 << 30

// receive streams a request body into a new blob of bucket, decoding
// aws-chunked bodies and verifying every declared digest; nothing is kept
// when a check fails.
func (s *Service) receive(r *http.Request, coll *store.Collection, blob string) (size int64, pc *payloadCheck, err error) {
	pc, err = newPayloadCheck(r)
	if err != nil {
		return 0, nil, err
	}
	body := io.Reader(r.Body)
	declared := r.ContentLength
	var chunked *chunkedReader
	if isAWSChunked(r) {
		chunked = newChunkedReader(r.Body, core.CallFrom(r.Context()).Chunks)
		body = chunked
		declared = -1
		if d := r.Header.Get("X-Amz-Decoded-Content-Length"); d != "" {
			if declared, err = strconv.ParseInt(d, 10, 64); err != nil || declared < 0 {
				return 0, nil, errInvalidArgument("x-amz-decoded-content-length", d, "x-amz-decoded-content-length is not a length")
			}
		}
	}
	if declared < 0 {
		return 0, nil, core.Errorf(http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
	}
	if declared > maxObjectSize {
		return 0, nil, core.Errorf(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size").
			With("ProposedSize", strconv.FormatInt(declared, 10)).With("MaxSizeAllowed", strconv.Itoa(maxObjectSize))
	}
	size, err = coll.WriteBlob(blob, func(w io.Writer) error {
		sw := &storageWriter{w: w}
		n, err := io.Copy(io.MultiWriter(sw, pc), io.LimitReader(body, declared+1))
		var aws *core.Error
		switch {
		case sw.err != nil:
			return errStorage(sw.err)
		case errors.As(err, &aws):
			return aws
		case err != nil && errors.Is(err, errChunkedFormat):
			return errInvalidRequest("%v", err)
		case err != nil:
			return core.Errorf(http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header: %v", err)
		case n != declared:
			return core.Errorf(http.StatusBadRequest, "IncompleteBody",
				"You did not provide the number of bytes specified by the Content-Length HTTP header (%d of %d)", n, declared)
		}
		if chunked != nil {
			// Drain the final chunk and the trailers.
			if _, err := io.Copy(io.Discard, chunked); err != nil {
				if errors.As(err, &aws) {
					return aws
				}
				return errInvalidRequest("%v", err)
			}
			return pc.verify(chunked.trailers)
		}
		return pc.verify(nil)
	})
	if err != nil {
		var e *core.Error
		if errors.As(err, &e) {
			return 0, nil, e
		}
		return 0, nil, errStorage(err)
	}
	return size, pc, nil
}

// storageWriter remembers a failed write to the store, so that a full disk
// is told apart from a client that sent too little.
type storageWriter struct {
	w   io.Writer
	err error
}

func (s *storageWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

func (s *Service) putObject(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	if len(key) > 1024 {
		return core.Errorf(http.StatusBadRequest, "KeyTooLongError", "Your key is too long")
	}
	b, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	if err := aclHeaders(r, false); err != nil {
		return err
	}
	v, err := versionFromHeaders(r)
	if err != nil {
		return err
	}
	blob := newID()
	size, pc, err := s.receive(r, s.blobsColl(bucketName), blob)
	if err != nil {
		return err
	}
	v.Blob, v.Size, v.ETag, v.LastModified = blob, size, pc.etag(), s.now()
	if pc.alg != nil {
		v.ChecksumAlgorithm, v.Checksum = pc.alg.Name, pc.checksum()
	}
	v, err = s.commit(b, key, v)
	if err != nil {
		return err
	}
	s.notify(r.Context(), bucketName, changeFrom(r, "ObjectCreated:Put", key, v))
	h := w.Header()
	h.Set("ETag", v.ETag)
	h.Set("X-Amz-Server-Side-Encryption", v.SSE)
	if v.VersionID != "" {
		h.Set("X-Amz-Version-Id", v.VersionID)
	}
	if pc.alg != nil {
		h.Set(pc.alg.Header(), v.Checksum)
		h.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// writeObjectHeaders sets the headers GetObject and HeadObject return.
func writeObjectHeaders(w http.ResponseWriter, r *http.Request, v version) {
	h := w.Header()
	h.Set("Last-Modified", v.LastModified.UTC().Format(http.TimeFormat))
	h.Set("ETag", v.ETag)
	h.Set("Accept-Ranges", "bytes")
	ct := v.ContentType
	if ct == "" {
		ct = "binary/octet-stream"
	}
	h.Set("Content-Type", ct)
	for name, val := range map[string]string{
		"Content-Encoding": v.ContentEncoding, "Content-Disposition": v.ContentDisposition,
		"Content-Language": v.ContentLanguage, "Cache-Control": v.CacheControl, "Expires": v.Expires,
		"X-Amz-Version-Id": v.VersionID, "X-Amz-Storage-Class": v.StorageClass,
		"X-Amz-Server-Side-Encryption": v.SSE,
	} {
		if val != "" {
			h.Set(name, val)
		}
	}
	for k, val := range v.Metadata {
		h["X-Amz-Meta-"+k] = []string{val}
	}
	if v.Tagging != "" {
		if q, err := url.ParseQuery(v.Tagging); err == nil {
			h.Set("X-Amz-Tagging-Count", strconv.Itoa(len(q)))
		}
	}
	if v.Parts > 0 {
		h.Set("X-Amz-Mp-Parts-Count", strconv.Itoa(v.Parts))
	}
	// Response header overrides (response-content-type=...).
	q := r.URL.Query()
	for param, header := range map[string]string{
		"response-content-type": "Content-Type", "response-content-language": "Content-Language",
		"response-expires": "Expires", "response-cache-control": "Cache-Control",
		"response-content-disposition": "Content-Disposition", "response-content-encoding": "Content-Encoding",
	} {
		if val := q.Get(param); val != "" {
			h.Set(header, val)
		}
	}
}

// conditional evaluates If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since in RFC 9110's order; it returns the status to answer
// with instead of the object (412 or 304), or 0.
func conditional(r *http.Request, v version) int {
	h := r.Header
	etagMatch := func(list string) bool {
		for _, e := range strings.Split(list, ",") {
			e = strings.TrimSpace(e)
			if e == "*" || strings.Trim(e, `"`) == strings.Trim(v.ETag, `"`) {
				return true
			}
		}
		return false
	}
	if im := h.Get("If-Match"); im != "" {
		if !etagMatch(im) {
			return http.StatusPreconditionFailed
		}
	} else if ius := h.Get("If-Unmodified-Since"); ius != "" {
		if t, err := http.ParseTime(ius); err == nil && v.LastModified.After(t) {
			return http.StatusPreconditionFailed
		}
	}
	if inm := h.Get("If-None-Match"); inm != "" {
		if etagMatch(inm) {
			return http.StatusNotModified
		}
	} else if ims := h.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !v.LastModified.After(t) {
			return http.StatusNotModified
		}
	}
	return 0
}

// parseRange parses a single "bytes=" range against size. ok is false when
// there is no usable range (absent, malformed or multiple ranges: S3 then
// returns the whole object); unsatisfiable is true when it starts past
// the end.
func parseRange(spec string, size int64) (start, length int64, ok, unsatisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(spec), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	first, last, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, false
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, false, true
		}
		n = min(n, size)
		return size - n, n, true, false
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if err != nil || a < 0 {
		return 0, 0, false, false
	}
	end := size - 1
	if last != "" {
		b, err := strconv.ParseInt(last, 10, 64)
		if err != nil || b < a {
			return 0, 0, false, false
		}
		end = min(b, size-1)
	}
	if a >= size {
		return 0, 0, false, true
	}
	return a, end - a + 1, true, false
}

// getObject serves GetObject and HeadObject.
func (s *Service) getObject(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	b, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if _, ok := q["partNumber"]; ok {
		return errNotSupported("GetObject with partNumber (use a Range)")
	}
	versionID := q.Get("versionId")
	v, f, err := s.open(b, key, versionID)
	if err != nil {
		return err
	}
	if v.DeleteMarker {
		w.Header().Set("X-Amz-Delete-Marker", "true")
		w.Header().Set("X-Amz-Version-Id", v.VersionID)
		if versionID != "" {
			return errMethodNotAllowed(r.Method, "DeleteMarker")
		}
		return errNoSuchKey(key)
	}
	defer f.Close()
	if status := conditional(r, v); status != 0 {
		w.Header().Set("ETag", v.ETag)
		w.Header().Set("Last-Modified", v.LastModified.UTC().Format(http.TimeFormat))
		if status == http.StatusNotModified {
			w.WriteHeader(status)
			return nil
		}
		return core.Errorf(status, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold").
			With("Condition", "If-Match")
	}
	start, length := int64(0), v.Size
	status := http.StatusOK
	if rg := r.Header.Get("Range"); rg != "" {
		a, n, ok, unsatisfiable := parseRange(rg, v.Size)
		switch {
		case unsatisfiable:
			w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(v.Size, 10))
			return core.Errorf(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable").
				With("RangeRequested", rg).With("ActualObjectSize", strconv.FormatInt(v.Size, 10))
		case ok:
			start, length, status = a, n, http.StatusPartialContent
			w.Header().Set("Content-Range", "bytes "+strconv.FormatInt(a, 10)+"-"+strconv.FormatInt(a+n-1, 10)+"/"+strconv.FormatInt(v.Size, 10))
		}
	}
	writeObjectHeaders(w, r, v)
	if status == http.StatusOK && v.ChecksumAlgorithm != "" && strings.EqualFold(r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
		if a, ok := checksumByName(v.ChecksumAlgorithm); ok {
			w.Header().Set(a.Header(), v.Checksum)
			typ := "FULL_OBJECT"
			if v.Parts > 0 {
				typ = "COMPOSITE"
			}
			w.Header().Set("X-Amz-Checksum-Type", typ)
		}
	}
	w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return nil
	}
	if _, err := io.Copy(w, io.NewSectionReader(f, start, length)); err != nil {
		s.log.WithError(err).WithField("key", key).Debug("client went away during GetObject")
	}
	return nil
}

// remove deletes key (versionID "" for the plain delete) with S3's
// versioning rules, and reports the version removed or the delete marker
// created.
func (s *Service) remove(b *bucket, key, versionID string) (deleted deletedEntry, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	deleted.Key = key
	o := b.objects[key]
	coll := s.objectsColl(b.meta.Name)
	if versionID == "" && b.meta.Versioning != "" {
		// Versioned: keep what was there, put a delete marker on top.
		marker := version{DeleteMarker: true, LastModified: s.now()}
		if b.meta.Versioning == "Enabled" {
			marker.VersionID = newID()
		}
		n := &object{Key: key, Current: marker}
		var garbage []string
		if o != nil {
			for _, old := range append([]version{o.Current}, o.Noncurrent...) {
				if marker.VersionID == "" && old.VersionID == "" {
					garbage = append(garbage, old.Blob) // Suspended: the null version is replaced
					continue
				}
				n.Noncurrent = append(n.Noncurrent, old)
			}
		}
		if err := coll.Put(key, n); err != nil {
			return deleted, errInternal("saving delete marker", err)
		}
		if o == nil {
			b.insertKey(key)
		}
		b.objects[key] = n
		s.dropBlobs(b.meta.Name, garbage)
		deleted.DeleteMarker, deleted.DeleteMarkerVersionID = true, marker.VersionID
		return deleted, nil
	}
	if o == nil {
		return deleted, nil // deleting a missing key succeeds
	}
	var keep []version
	var gone *version
	for _, v := range append([]version{o.Current}, o.Noncurrent...) {
		if gone == nil && (versionID == "" || v.VersionID == versionID || (versionID == "null" && v.VersionID == "")) {
			v := v
			gone = &v
			continue
		}
		keep = append(keep, v)
	}
	if gone == nil {
		if versionID != "" {
			return deleted, errInvalidArgument("versionId", versionID, "Invalid version id specified")
		}
		return deleted, nil
	}
	if len(keep) == 0 {
		if err := coll.Delete(key); err != nil {
			return deleted, errInternal("deleting object", err)
		}
		delete(b.objects, key)
		b.removeKey(key)
	} else {
		n := &object{Key: key, Current: keep[0], Noncurrent: keep[1:]}
		if err := coll.Put(key, n); err != nil {
			return deleted, errInternal("deleting object version", err)
		}
		b.objects[key] = n
	}
	s.dropBlobs(b.meta.Name, []string{gone.Blob})
	deleted.VersionID = versionID
	if gone.DeleteMarker {
		deleted.DeleteMarker, deleted.DeleteMarkerVersionID = true, gone.VersionID
	}
	return deleted, nil
}

func (s *Service) deleteObject(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	b, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	d, err := s.remove(b, key, r.URL.Query().Get("versionId"))
	if err != nil {
		return err
	}
	s.notifyRemoval(r, bucketName, d)
	if d.DeleteMarker {
		w.Header().Set("X-Amz-Delete-Marker", "true")
		if d.DeleteMarkerVersionID != "" {
			w.Header().Set("X-Amz-Version-Id", d.DeleteMarkerVersionID)
		}
	} else if d.VersionID != "" {
		w.Header().Set("X-Amz-Version-Id", d.VersionID)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// DeleteObject deletes bucket/key through the Go API (a delete marker in a
// versioned bucket).
func (s *Service) DeleteObject(bucket, key string) error {
	b, err := s.bucketFor(bucket)
	if err != nil {
		return err
	}
	_, err = s.remove(b, key, "")
	return err
}

func (s *Service) deleteObjects(w http.ResponseWriter, r *http.Request, bucketName, _ string) error {
	b, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	var req deleteRequest
	if err := readXML(r, "Delete", &req); err != nil {
		return err
	}
	if len(req.Objects) == 0 || len(req.Objects) > 1000 {
		return errMalformedXML("Delete", errors.New("between 1 and 1000 Object elements are required"))
	}
	res := deleteResult{NS: Namespace}
	for _, o := range req.Objects {
		d, err := s.remove(b, o.Key, o.VersionID)
		if err != nil {
			e := core.AsError(err)
			res.Errors = append(res.Errors, deleteErrorXM{Key: o.Key, Code: e.Code, Message: e.Message})
			continue
		}
		s.notifyRemoval(r, bucketName, d)
		if !req.Quiet {
			if d.VersionID == "" {
				d.VersionID = o.VersionID
			}
			res.Deleted = append(res.Deleted, d)
		}
	}
	writeXML(w, res)
	return nil
}

// copySource parses x-amz-copy-source: "bucket/key" or "/bucket/key",
// URL-encoded, optionally followed by "?versionId=".
func copySource(h string) (bucket, key, versionID string, err error) {
	src, query, _ := strings.Cut(h, "?")
	if query != "" {
		q, _ := url.ParseQuery(query)
		versionID = q.Get("versionId")
	}
	src, uerr := url.PathUnescape(strings.TrimPrefix(src, "/"))
	bucket, key, _ = strings.Cut(src, "/")
	if uerr != nil || bucket == "" || key == "" {
		return "", "", "", errInvalidArgument("x-amz-copy-source", h, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	return bucket, key, versionID, nil
}

func (s *Service) copyObject(w http.ResponseWriter, r *http.Request, bucketName, key string) error {
	srcBucket, srcKey, srcVersion, err := copySource(r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	if err := aclHeaders(r, false); err != nil {
		return err
	}
	dst, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	src, err := s.bucketFor(srcBucket)
	if err != nil {
		return err
	}
	directive := r.Header.Get("X-Amz-Metadata-Directive")
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return errInvalidArgument("x-amz-metadata-directive", directive, "Unknown metadata directive.")
	}
	if srcBucket == bucketName && srcKey == key && srcVersion == "" && directive != "REPLACE" && r.Header.Get("X-Amz-Storage-Class") == "" {
		return errInvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	v, f, err := s.open(src, srcKey, srcVersion)
	if err != nil {
		return err
	}
	if v.DeleteMarker {
		return errNoSuchKey(srcKey)
	}
	_ = f.Close()
	n := v
	if directive == "REPLACE" {
		if n, err = versionFromHeaders(r); err != nil {
			return err
		}
		n.Size, n.ETag, n.ChecksumAlgorithm, n.Checksum, n.Parts = v.Size, v.ETag, v.ChecksumAlgorithm, v.Checksum, v.Parts
	} else if sc := r.Header.Get("X-Amz-Storage-Class"); sc != "" {
		n.StorageClass = sc
	}
	n.VersionID, n.DeleteMarker, n.SSE = "", false, ""
	n.Blob, n.LastModified = newID(), s.now()
	if _, err := s.blobsColl(bucketName).LinkBlob(n.Blob, s.blobsColl(srcBucket), v.Blob); err != nil {
		return errInternal("copying object data", err)
	}
	n, err = s.commit(dst, key, n)
	if err != nil {
		return err
	}
	s.notify(r.Context(), bucketName, changeFrom(r, "ObjectCreated:Copy", key, n))
	if n.VersionID != "" {
		w.Header().Set("X-Amz-Version-Id", n.VersionID)
	}
	if v.VersionID != "" {
		w.Header().Set("X-Amz-Copy-Source-Version-Id", v.VersionID)
	}
	w.Header().Set("X-Amz-Server-Side-Encryption", n.SSE)
	writeXML(w, copyObjectResult{NS: Namespace, ETag: n.ETag, LastModified: xmlTime(n.LastModified)})
	return nil
}
