package s3_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestMultipartUploadThroughManager(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "big")
	data := randomBytes(12<<20 + 123)
	up := manager.NewUploader(cl, func(u *manager.Uploader) { u.PartSize = 5 << 20 })
	res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("artifact.zip"), Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("Uploader.Upload = %v", err)
	}
	// The ETag is the MD5 of the parts' MD5s, "-3".
	var md5s []byte
	for off := 0; off < len(data); off += 5 << 20 {
		sum := md5.Sum(data[off:min(off+5<<20, len(data))])
		md5s = append(md5s, sum[:]...)
	}
	total := md5.Sum(md5s)
	if want := fmt.Sprintf(`"%s-3"`, hex.EncodeToString(total[:])); *res.ETag != want {
		t.Errorf("multipart ETag = %s, want %s", *res.ETag, want)
	}
	got, out := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("artifact.zip"), ChecksumMode: types.ChecksumModeEnabled})
	if got != string(data) || *out.ContentLength != int64(len(data)) {
		t.Errorf("GetObject after multipart: %d bytes, equal=%v", len(got), got == string(data))
	}
	// Parts are gone once completed.
	ups, err := cl.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("big")})
	if err != nil || len(ups.Uploads) != 0 {
		t.Errorf("ListMultipartUploads after completion = %+v, %v", ups.Uploads, err)
	}
}

func TestMultipartErrors(t *testing.T) {
	c := localtest.Start(t)
	cl := client(c)
	mustCreate(t, cl, "mpu")
	cr, err := cl.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	part := func(n int32, body string) *s3.UploadPartOutput {
		out, err := cl.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("k"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(n), Body: strings.NewReader(body)})
		if err != nil {
			t.Fatalf("UploadPart(%d) = %v", n, err)
		}
		return out
	}
	p1, p2 := part(1, "small"), part(2, "tail")
	lp, err := cl.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("k"), UploadId: cr.UploadId})
	if err != nil || len(lp.Parts) != 2 || *lp.Parts[0].Size != 5 {
		t.Errorf("ListParts = %+v, %v", lp, err)
	}
	complete := func(parts ...types.CompletedPart) error {
		_, err := cl.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("k"),
			UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
		return err
	}
	wantCode(t, "Complete(part under 5 MiB)", complete(types.CompletedPart{PartNumber: aws.Int32(1), ETag: p1.ETag}, types.CompletedPart{PartNumber: aws.Int32(2), ETag: p2.ETag}), "EntityTooSmall")
	wantCode(t, "Complete(wrong ETag)", complete(types.CompletedPart{PartNumber: aws.Int32(1), ETag: aws.String(`"00"`)}), "InvalidPart")
	wantCode(t, "Complete(out of order)", complete(types.CompletedPart{PartNumber: aws.Int32(2), ETag: p2.ETag}, types.CompletedPart{PartNumber: aws.Int32(1), ETag: p1.ETag}), "InvalidPartOrder")
	// A single small part is a valid (last) part.
	if err := complete(types.CompletedPart{PartNumber: aws.Int32(2), ETag: p2.ETag}); err != nil {
		t.Fatalf("Complete(one part) = %v", err)
	}
	if got, _ := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String("k")}); got != "tail" {
		t.Errorf("completed object = %q, want tail", got)
	}
	wantCode(t, "Complete(again)", complete(types.CompletedPart{PartNumber: aws.Int32(2), ETag: p2.ETag}), "NoSuchUpload")

	cr2, _ := cl.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("k2")})
	if _, err := cl.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("k2"), UploadId: cr2.UploadId}); err != nil {
		t.Errorf("AbortMultipartUpload = %v", err)
	}
	_, err = cl.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("k2"), UploadId: cr2.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	wantCode(t, "UploadPart(aborted)", err, "NoSuchUpload")
}

// TestAWSChunkedOverTLS drives the SDK's own aws-chunked encoder: over
// HTTPS it streams an unseekable body with a trailing CRC32.
func TestAWSChunkedOverTLS(t *testing.T) {
	c := localtest.Start(t)
	srv := httptest.NewTLSServer(c.Handler())
	defer srv.Close()
	cfg := localtest.Config(c)
	cfg.BaseEndpoint = aws.String(srv.URL)
	cfg.HTTPClient = srv.Client()
	var sawChunked bool
	cl := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = true
		o.HTTPClient = recordingClient{srv.Client(), &sawChunked}
	})
	mustCreate(t, cl, "tls")
	data := randomBytes(300 << 10)
	out, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tls"), Key: aws.String("streamed"),
		Body: io.NopCloser(bytes.NewReader(data)), ContentLength: aws.Int64(int64(len(data))),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatalf("PutObject(aws-chunked) = %v", err)
	}
	if !sawChunked {
		t.Error("the SDK did not send aws-chunked; the test does not test what it says")
	}
	sum := crc32.ChecksumIEEE(data)
	want := base64.StdEncoding.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	if out.ChecksumCRC32 == nil || *out.ChecksumCRC32 != want {
		t.Errorf("PutObject CRC32 = %v, want %s", out.ChecksumCRC32, want)
	}
	got, _ := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("tls"), Key: aws.String("streamed"), ChecksumMode: types.ChecksumModeEnabled})
	if got != string(data) {
		t.Errorf("GetObject(aws-chunked upload): %d bytes, want %d", len(got), len(data))
	}
}

type recordingClient struct {
	*http.Client
	sawChunked *bool
}

func (r recordingClient) Do(req *http.Request) (*http.Response, error) {
	if strings.Contains(req.Header.Get("Content-Encoding"), "aws-chunked") {
		*r.sawChunked = true
	}
	return r.Client.Do(req)
}

// TestSignedChunkedWithTrailer sends the signed streaming variant (chunk
// signatures, trailer signature) that Java and other SDKs use, signed as
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
// describes; a chunk changed after signing is refused.
func TestSignedChunkedWithTrailer(t *testing.T) {
	c := localtest.Start(t)
	mustCreate(t, client(c), "raw")
	data := "Hello world, in two chunks!"
	sum := crc32.ChecksumIEEE([]byte(data))
	good := base64.StdEncoding.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	send := func(key, checksum string, tamper bool) *http.Response {
		req, _ := http.NewRequest(http.MethodPut, c.Endpoint()+"/raw/"+key, nil)
		req.Header.Set("Content-Encoding", "aws-chunked")
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
		req.Header.Set("X-Amz-Decoded-Content-Length", fmt.Sprint(len(data)))
		req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
		now := time.Now().UTC()
		if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, req,
			"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "s3", "us-east-1", now); err != nil {
			t.Fatal(err)
		}
		auth := req.Header.Get("Authorization")
		prev := auth[strings.LastIndex(auth, "Signature=")+len("Signature="):]
		date, scope := now.Format("20060102T150405Z"), now.Format("20060102")+"/us-east-1/s3/aws4_request"
		key4 := []byte("AWS4test")
		for _, part := range []string{now.Format("20060102"), "us-east-1", "s3", "aws4_request"} {
			key4 = hmacSum(key4, part)
		}
		chunk := func(payload string) string {
			sig := hex.EncodeToString(hmacSum(key4, "AWS4-HMAC-SHA256-PAYLOAD\n"+date+"\n"+scope+"\n"+prev+"\n"+sha256Hex("")+"\n"+sha256Hex(payload)))
			prev = sig
			if tamper && payload != "" {
				payload = strings.ToUpper(payload)
			}
			return fmt.Sprintf("%x;chunk-signature=%s\r\n%s\r\n", len(payload), sig, payload)
		}
		var b strings.Builder
		b.WriteString(chunk(data[:10]))
		b.WriteString(chunk(data[10:]))
		last := chunk("")
		b.WriteString(strings.TrimSuffix(last, "\r\n"))
		trailer := "x-amz-checksum-crc32:" + checksum + "\n"
		tsig := hex.EncodeToString(hmacSum(key4, "AWS4-HMAC-SHA256-TRAILER\n"+date+"\n"+scope+"\n"+prev+"\n"+sha256Hex(trailer)))
		b.WriteString("x-amz-checksum-crc32:" + checksum + "\r\nx-amz-trailer-signature:" + tsig + "\r\n\r\n")
		req.Body = io.NopCloser(strings.NewReader(b.String()))
		req.ContentLength = int64(b.Len())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := send("good", good, false); resp.StatusCode != http.StatusOK || resp.Header.Get("X-Amz-Checksum-Crc32") != good {
		t.Errorf("signed chunked PUT = %d, checksum %q", resp.StatusCode, resp.Header.Get("X-Amz-Checksum-Crc32"))
	}
	if got, _ := get(t, client(c), &s3.GetObjectInput{Bucket: aws.String("raw"), Key: aws.String("good")}); got != data {
		t.Errorf("decoded object = %q, want %q", got, data)
	}
	if resp := send("bad", "AAAAAA==", false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("wrong trailing checksum = %d, want 400 BadDigest", resp.StatusCode)
	}
	_, err := client(c).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("raw"), Key: aws.String("bad")})
	wantCode(t, "HeadObject after a bad trailer", err, "NotFound")
	if resp := send("tampered", good, true); resp.StatusCode != http.StatusForbidden {
		t.Errorf("chunk changed after signing = %d, want 403 SignatureDoesNotMatch", resp.StatusCode)
	}
	_, err = client(c).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("raw"), Key: aws.String("tampered")})
	wantCode(t, "HeadObject after a tampered chunk", err, "NotFound")
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestVirtualHostedStyle addresses buckets as bucket.localhost:port. The
// dialer sends every host to the cloud, so the test does not depend on the
// system resolving *.localhost.
func TestVirtualHostedStyle(t *testing.T) {
	c := localtest.Start(t)
	addr := strings.TrimPrefix(c.Endpoint(), "http://")
	_, port, _ := net.SplitHostPort(addr)
	cfg := localtest.Config(c)
	cfg.BaseEndpoint = aws.String("http://localhost:" + port)
	var hosts []string
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
			hosts = append(hosts, a)
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	cl := s3.NewFromConfig(cfg)
	mustCreate(t, cl, "vhost")
	put(t, cl, "vhost", "dir/key", "virtual")
	if got, _ := get(t, cl, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/key")}); got != "virtual" {
		t.Errorf("GetObject (virtual-hosted) = %q", got)
	}
	if len(hosts) == 0 || !strings.HasPrefix(hosts[0], "vhost.localhost:") {
		t.Errorf("dialed %q, want vhost.localhost:port (virtual-hosted style)", hosts)
	}
	// The same object, path-style.
	if got, _ := get(t, client(c), &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/key")}); got != "virtual" {
		t.Errorf("GetObject (path-style) = %q", got)
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(ctx, local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cl := client(c)
	mustCreate(t, cl, "durable")
	if _, err := cl.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("durable"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	v1 := put(t, cl, "durable", "a/key", "first")
	put(t, cl, "durable", "a/key", "second")
	cr, _ := cl.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("durable"), Key: aws.String("pending")})
	p1, err := cl.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("durable"), Key: aws.String("pending"), UploadId: cr.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("part one")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c2 := localtest.Start(t, local.Options{StateDir: dir})
	cl2 := client(c2)
	if got, _ := get(t, cl2, &s3.GetObjectInput{Bucket: aws.String("durable"), Key: aws.String("a/key")}); got != "second" {
		t.Errorf("after restart, current = %q, want second", got)
	}
	if got, _ := get(t, cl2, &s3.GetObjectInput{Bucket: aws.String("durable"), Key: aws.String("a/key"), VersionId: v1.VersionId}); got != "first" {
		t.Errorf("after restart, version 1 = %q, want first", got)
	}
	if v, _ := cl2.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("durable")}); v.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("after restart, versioning = %q", v.Status)
	}
	if _, err := cl2.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("durable"), Key: aws.String("pending"),
		UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p1.ETag}}}}); err != nil {
		t.Errorf("completing an upload started before the restart = %v", err)
	}
	if got, _ := get(t, cl2, &s3.GetObjectInput{Bucket: aws.String("durable"), Key: aws.String("pending")}); got != "part one" {
		t.Errorf("after restart, completed upload = %q", got)
	}
}
