package s3

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// listing is one page of keys and common prefixes.
type listing struct {
	contents  []objectEntry
	prefixes  []commonPrefix
	truncated bool
	last      string // the last key or common prefix returned
}

// list walks the bucket's keys after marker (exclusive), applying prefix
// and delimiter: keys sharing the part up to the delimiter collapse into
// one common prefix, counted once against maxKeys.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
func (s *Service) list(b *bucket, prefix, delimiter, marker string, maxKeys int, fetchOwner bool) listing {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out listing
	i := sort.SearchStrings(b.keys, max(prefix, marker))
	for ; i < len(b.keys); i++ {
		key := b.keys[i]
		if key <= marker {
			continue
		}
		if !strings.HasPrefix(key, prefix) {
			break // keys are sorted: nothing further has the prefix
		}
		o := b.objects[key]
		if o.Current.DeleteMarker {
			continue
		}
		if delimiter != "" {
			if j := strings.Index(key[len(prefix):], delimiter); j >= 0 {
				cp := key[:len(prefix)+j+len(delimiter)]
				if cp <= marker {
					continue // returned on an earlier page
				}
				if len(out.prefixes) > 0 && out.prefixes[len(out.prefixes)-1].Prefix == cp {
					continue
				}
				if len(out.contents)+len(out.prefixes) == maxKeys {
					out.truncated = true
					return out
				}
				out.prefixes = append(out.prefixes, commonPrefix{Prefix: cp})
				out.last = cp
				continue
			}
		}
		if len(out.contents)+len(out.prefixes) == maxKeys {
			out.truncated = true
			return out
		}
		v := o.Current
		e := objectEntry{Key: key, LastModified: xmlTime(v.LastModified), ETag: v.ETag, Size: v.Size, StorageClass: "STANDARD"}
		if v.StorageClass != "" {
			e.StorageClass = v.StorageClass
		}
		if v.ChecksumAlgorithm != "" {
			e.ChecksumAlgorithm = v.ChecksumAlgorithm
			e.ChecksumType = "FULL_OBJECT"
			if v.Parts > 0 {
				e.ChecksumType = "COMPOSITE"
			}
		}
		if fetchOwner {
			owner := s.owner
			e.Owner = &owner
		}
		out.contents = append(out.contents, e)
		out.last = key
	}
	return out
}

// listParams reads the parameters common to both list versions.
func listParams(q url.Values) (prefix, delimiter, encoding string, maxKeys int, err error) {
	prefix, delimiter, encoding = q.Get("prefix"), q.Get("delimiter"), q.Get("encoding-type")
	if encoding != "" && encoding != "url" {
		return "", "", "", 0, errInvalidArgument("encoding-type", encoding, "Invalid Encoding Method specified in Request")
	}
	maxKeys = 1000
	if mk := q.Get("max-keys"); mk != "" {
		n, perr := strconv.Atoi(mk)
		if perr != nil || n < 0 {
			return "", "", "", 0, errInvalidArgument("max-keys", mk, "Provided max-keys not an integer or within integer range")
		}
		maxKeys = min(n, 1000)
	}
	return prefix, delimiter, encoding, maxKeys, nil
}

// encodeKey applies encoding-type=url: S3 form-encodes keys and prefixes in
// the response (spaces as '+'), leaving '/' readable; the AWS CLI asks for
// it and decodes.
func encodeKey(s, encoding string) string {
	if encoding != "url" {
		return s
	}
	return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/")
}

func (l *listing) encode(encoding string) {
	if encoding != "url" {
		return
	}
	for i := range l.contents {
		l.contents[i].Key = encodeKey(l.contents[i].Key, encoding)
	}
	for i := range l.prefixes {
		l.prefixes[i].Prefix = encodeKey(l.prefixes[i].Prefix, encoding)
	}
}

func (s *Service) listObjectsV2(w http.ResponseWriter, r *http.Request, bucketName, _ string) error {
	b, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	prefix, delimiter, encoding, maxKeys, err := listParams(q)
	if err != nil {
		return err
	}
	token, startAfter := q.Get("continuation-token"), q.Get("start-after")
	marker := startAfter
	if token != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(token)
		if derr != nil {
			return errInvalidArgument("continuation-token", token, "The continuation token provided is incorrect")
		}
		marker = string(raw)
	}
	l := s.list(b, prefix, delimiter, marker, maxKeys, q.Get("fetch-owner") == "true")
	res := listBucketResultV2{
		NS: Namespace, Name: bucketName, Prefix: encodeKey(prefix, encoding), Delimiter: encodeKey(delimiter, encoding),
		MaxKeys: maxKeys, KeyCount: len(l.contents) + len(l.prefixes), IsTruncated: l.truncated,
		ContinuationToken: token, StartAfter: encodeKey(startAfter, encoding), EncodingType: encoding,
	}
	if l.truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(l.last))
	}
	l.encode(encoding)
	res.Contents, res.CommonPrefixes = l.contents, l.prefixes
	writeXML(w, res)
	return nil
}

func (s *Service) listObjectsV1(w http.ResponseWriter, r *http.Request, bucketName, _ string) error {
	b, err := s.bucketFor(bucketName)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	prefix, delimiter, encoding, maxKeys, err := listParams(q)
	if err != nil {
		return err
	}
	marker := q.Get("marker")
	l := s.list(b, prefix, delimiter, marker, maxKeys, true)
	res := listBucketResultV1{
		NS: Namespace, Name: bucketName, Prefix: encodeKey(prefix, encoding), Marker: encodeKey(marker, encoding),
		Delimiter: encodeKey(delimiter, encoding), MaxKeys: maxKeys, IsTruncated: l.truncated, EncodingType: encoding,
	}
	if l.truncated && delimiter != "" {
		// V1 returns NextMarker only with a delimiter; clients use the last
		// key otherwise.
		res.NextMarker = encodeKey(l.last, encoding)
	}
	l.encode(encoding)
	res.Contents, res.CommonPrefixes = l.contents, l.prefixes
	writeXML(w, res)
	return nil
}

// Keys returns the keys under prefix in bucket (current, non-deleted
// objects), sorted: a Go API for services and tests.
func (s *Service) Keys(bucket, prefix string) ([]string, error) {
	b, err := s.bucketFor(bucket)
	if err != nil {
		return nil, err
	}
	var keys []string
	marker := ""
	for {
		l := s.list(b, prefix, "", marker, 1000, false)
		for _, c := range l.contents {
			keys = append(keys, c.Key)
		}
		if !l.truncated {
			return keys, nil
		}
		marker = l.last
	}
}
