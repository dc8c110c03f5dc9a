package s3

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// checksumAlgorithm is one of S3's additional checksum algorithms.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
type checksumAlgorithm struct {
	Name string // as in x-amz-checksum-algorithm: CRC32, CRC32C, CRC64NVME, SHA1, SHA256
	new  func() hash.Hash
}

// Header is the request and response header carrying the checksum.
func (a checksumAlgorithm) Header() string { return "X-Amz-Checksum-" + strings.ToLower(a.Name) }

var (
	crc32cTable = crc32.MakeTable(crc32.Castagnoli)
	// crc64NVMETable is CRC-64/NVME: polynomial 0xAD93D23594C93659, given
	// reflected as hash/crc64 expects.
	crc64NVMETable = crc64.MakeTable(0x9A6C9329AC4BC9B5)
)

var checksumAlgorithms = []checksumAlgorithm{
	{Name: "CRC32", new: func() hash.Hash { return crc32.NewIEEE() }},
	{Name: "CRC32C", new: func() hash.Hash { return crc32.New(crc32cTable) }},
	{Name: "CRC64NVME", new: func() hash.Hash { return crc64.New(crc64NVMETable) }},
	{Name: "SHA1", new: sha1.New},
	{Name: "SHA256", new: sha256.New},
}

func checksumByName(name string) (checksumAlgorithm, bool) {
	for _, a := range checksumAlgorithms {
		if strings.EqualFold(a.Name, name) {
			return a, true
		}
	}
	return checksumAlgorithm{}, false
}

// payloadCheck verifies an upload's body as it streams by: its MD5 (always,
// for the ETag), the Content-MD5 header, a hex x-amz-content-sha256, and one
// additional checksum given as a header or an aws-chunked trailer.
type payloadCheck struct {
	md5       hash.Hash
	sha256    hash.Hash // when x-amz-content-sha256 is a hex digest
	sha256Hex string
	alg       *checksumAlgorithm
	sum       hash.Hash
	expected  string // base64 checksum from the header; from the trailer when empty
	md5B64    string // Content-MD5
}

// newPayloadCheck reads what to verify from the request headers.
func newPayloadCheck(r *http.Request) (*payloadCheck, error) {
	pc := &payloadCheck{md5: md5.New(), md5B64: r.Header.Get("Content-Md5")}
	if pc.md5B64 != "" {
		if b, err := base64.StdEncoding.DecodeString(pc.md5B64); err != nil || len(b) != md5.Size {
			return nil, core.Errorf(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified is not valid.")
		}
	}
	if h := r.Header.Get("X-Amz-Content-Sha256"); len(h) == 64 {
		if _, err := hex.DecodeString(h); err == nil {
			pc.sha256, pc.sha256Hex = sha256.New(), strings.ToLower(h)
		}
	}
	for _, a := range checksumAlgorithms {
		if v := r.Header.Get(a.Header()); v != "" {
			a := a
			pc.alg, pc.expected = &a, v
			break
		}
	}
	if pc.alg == nil {
		for _, t := range strings.Split(r.Header.Get("X-Amz-Trailer"), ",") {
			name, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(t)), "x-amz-checksum-")
			if !ok {
				continue
			}
			a, ok := checksumByName(name)
			if !ok {
				return nil, errInvalidRequest("the trailer %q names an unknown checksum algorithm", t)
			}
			pc.alg = &a
		}
	}
	if pc.alg == nil {
		for _, h := range []string{"X-Amz-Sdk-Checksum-Algorithm", "X-Amz-Checksum-Algorithm"} {
			if name := r.Header.Get(h); name != "" {
				a, ok := checksumByName(name)
				if !ok {
					return nil, errInvalidArgument(h, name, "Checksum algorithm %q is not one of CRC32, CRC32C, CRC64NVME, SHA1, SHA256.", name)
				}
				pc.alg = &a
				break
			}
		}
	}
	if pc.alg != nil {
		pc.sum = pc.alg.new()
	}
	return pc, nil
}

// Write feeds the hashes.
func (pc *payloadCheck) Write(p []byte) (int, error) {
	pc.md5.Write(p)
	if pc.sha256 != nil {
		pc.sha256.Write(p)
	}
	if pc.sum != nil {
		pc.sum.Write(p)
	}
	return len(p), nil
}

// verify compares what was received with what the client declared;
// trailers are the aws-chunked trailing headers (nil when not chunked).
func (pc *payloadCheck) verify(trailers http.Header) error {
	if pc.md5B64 != "" && base64.StdEncoding.EncodeToString(pc.md5.Sum(nil)) != pc.md5B64 {
		return errBadDigest("Content-MD5")
	}
	if pc.sha256 != nil && hex.EncodeToString(pc.sha256.Sum(nil)) != pc.sha256Hex {
		return core.Errorf(http.StatusBadRequest, "XAmzContentSHA256Mismatch",
			"The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	if pc.alg == nil {
		return nil
	}
	want := pc.expected
	if want == "" && trailers != nil {
		want = trailers.Get(pc.alg.Header())
	}
	if want != "" && want != pc.checksum() {
		return errBadDigest(pc.alg.Name)
	}
	return nil
}

// etag is the object's ETag: the quoted hex MD5.
func (pc *payloadCheck) etag() string { return `"` + hex.EncodeToString(pc.md5.Sum(nil)) + `"` }

// checksum is the base64 additional checksum, empty when none was asked.
func (pc *payloadCheck) checksum() string {
	if pc.sum == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(pc.sum.Sum(nil))
}

func newMD5() hash.Hash { return md5.New() }
