//go:build !lambdabinary

package site

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ManifestKey is the object Sparta writes at the site's root with the
// stack's outputs and the site's UserManifestData.
const ManifestKey = "MANIFEST.json"

// Result counts what a Sync did.
type Result struct {
	Uploaded  []string
	Deleted   []string
	Unchanged int
}

// Sync makes bucket hold exactly the files of dir (and the manifest, when
// not nil, under ManifestKey). Non-regular files (symbolic links,
// devices) are skipped: a site is the folder's own files.
func Sync(ctx context.Context, client *s3.Client, bucket, dir string, manifest []byte) (Result, error) {
	var res Result
	existing, err := list(ctx, client, bucket)
	if err != nil {
		return res, err
	}
	want := map[string]bool{}
	put := func(key string, body []byte) error {
		want[key] = true
		sum := md5.Sum(body)
		if existing[key] == hex.EncodeToString(sum[:]) {
			res.Unchanged++
			return nil
		}
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			Body: bytes.NewReader(body), ContentType: aws.String(ContentType(key))})
		if err != nil {
			return fmt.Errorf("uploading %s to bucket %s: %w", key, bucket, err)
		}
		res.Uploaded = append(res.Uploaded, key)
		return nil
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return put(filepath.ToSlash(rel), body)
	})
	if err != nil {
		return res, fmt.Errorf("S3 site %s: %w", dir, err)
	}
	if manifest != nil && !want[ManifestKey] {
		if err := put(ManifestKey, manifest); err != nil {
			return res, err
		}
	}
	var stale []string
	for key := range existing {
		if !want[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	if err := deleteKeys(ctx, client, bucket, stale); err != nil {
		return res, err
	}
	res.Deleted = stale
	return res, nil
}

// Manifest is MANIFEST.json: every stack output by name (with its
// description) and, under "userdata", the site's UserManifestData.
func Manifest(outputs map[string]string, userdata map[string]any) ([]byte, error) {
	m := map[string]any{}
	for k, v := range outputs {
		m[k] = map[string]any{"Value": v}
	}
	if len(userdata) > 0 {
		m["userdata"] = userdata
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("S3 site: UserManifestData cannot be written as JSON: %w", err)
	}
	return b, nil
}

// Empty deletes every object of bucket and returns how many; a bucket
// that no longer exists is empty.
func Empty(ctx context.Context, client *s3.Client, bucket string) (int, error) {
	existing, err := list(ctx, client, bucket)
	var nsb *types.NoSuchBucket
	if errors.As(err, &nsb) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	keys := make([]string, 0, len(existing))
	for k := range existing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return len(keys), deleteKeys(ctx, client, bucket, keys)
}

// list returns each key of bucket with its ETag (unquoted).
func list(ctx context.Context, client *s3.Client, bucket string) (map[string]string, error) {
	out := map[string]string{}
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing bucket %s: %w", bucket, err)
		}
		for _, o := range page.Contents {
			out[aws.ToString(o.Key)] = strings.Trim(aws.ToString(o.ETag), `"`)
		}
	}
	return out, nil
}

// deleteKeys deletes keys in batches of 1,000 (DeleteObjects' limit).
func deleteKeys(ctx context.Context, client *s3.Client, bucket string, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		ids := make([]types.ObjectIdentifier, n)
		for i, k := range keys[:n] {
			ids[i] = types.ObjectIdentifier{Key: aws.String(k)}
		}
		out, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			return fmt.Errorf("deleting objects of bucket %s: %w", bucket, err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return fmt.Errorf("deleting %s from bucket %s: %s: %s", aws.ToString(e.Key), bucket, aws.ToString(e.Code), aws.ToString(e.Message))
		}
		keys = keys[n:]
	}
	return nil
}

// ContentType is the Content-Type a browser needs for key, from its
// extension (text types in UTF-8); application/octet-stream when unknown.
func ContentType(key string) string {
	ext := strings.ToLower(path.Ext(key))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// contentTypes fixes the types of the web's common files, whatever the
// host's mime database says (Go's built-in table misses some, and an
// /etc/mime.types may differ between machines).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
	".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
	".json": "application/json", ".map": "application/json", ".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8",
	".xml": "application/xml", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/vnd.microsoft.icon",
	".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
	".wasm": "application/wasm", ".pdf": "application/pdf", ".webmanifest": "application/manifest+json",
	".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg", ".csv": "text/csv; charset=utf-8",
}
