package s3

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// chunkedReader decodes the aws-chunked content encoding that SigV4
// streaming uploads use: "<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n"
// repeated, a zero-size chunk, then optional trailing headers ("name:value"
// lines, e.g. x-amz-checksum-crc32 and x-amz-trailer-signature) and an empty
// line. When the request was signed with STREAMING-AWS4-HMAC-SHA256-PAYLOAD
// the router hands over a signer, and every chunk's signature (and the
// trailer's) is verified as the chunk ends; a bad one fails the read with
// SignatureDoesNotMatch. See
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
type chunkedReader struct {
	r         *bufio.Reader
	remaining int64 // bytes left in the current chunk
	started   bool
	done      bool
	trailers  http.Header

	// signer verifies chunk signatures; nil for unsigned chunks.
	signer *core.ChunkSigner
	sig    string    // signature of the chunk being read
	sum    hash.Hash // its data's SHA-256 so far
}

// maxChunkLine bounds chunk-header and trailer lines: a signature extension
// is under 100 bytes, a checksum trailer under 100.
const maxChunkLine = 4096

var errChunkedFormat = errors.New("malformed aws-chunked body")

func newChunkedReader(r io.Reader, signer *core.ChunkSigner) *chunkedReader {
	return &chunkedReader{r: bufio.NewReaderSize(r, 64<<10), trailers: http.Header{}, signer: signer, sum: sha256.New()}
}

// errChunkSignature is S3's refusal of a chunk whose signature is wrong.
var errChunkSignature = core.Errorf(http.StatusForbidden, "SignatureDoesNotMatch",
	"The request signature we calculated does not match the signature you provided. Check your key and signing method.")

// verifyChunk checks the signature of the chunk just read.
func (c *chunkedReader) verifyChunk() error {
	if c.signer == nil {
		return nil
	}
	if c.sig == "" || !c.signer.Chunk(c.sig, c.sum.Sum(nil)) {
		return errChunkSignature
	}
	c.sum.Reset()
	return nil
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	for !c.done && c.remaining == 0 {
		if c.started {
			// Each chunk's data is followed by CRLF.
			if err := c.expectCRLF(); err != nil {
				return 0, err
			}
		}
		c.started = true
		line, err := c.readLine()
		if err != nil {
			return 0, err
		}
		sizeHex, ext, _ := strings.Cut(line, ";")
		size, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
		if err != nil || size < 0 {
			return 0, fmt.Errorf("%w: chunk size %q", errChunkedFormat, sizeHex)
		}
		c.sig, _ = strings.CutPrefix(strings.TrimSpace(ext), "chunk-signature=")
		if size == 0 {
			if err := c.verifyChunk(); err != nil {
				return 0, err
			}
			if err := c.readTrailers(); err != nil {
				return 0, err
			}
			c.done = true
			break
		}
		c.remaining = size
	}
	if c.done {
		return 0, io.EOF
	}
	if int64(len(p)) > c.remaining {
		p = p[:c.remaining]
	}
	n, err := c.r.Read(p)
	c.remaining -= int64(n)
	if c.signer != nil {
		c.sum.Write(p[:n])
		if c.remaining == 0 {
			if verr := c.verifyChunk(); verr != nil {
				return 0, verr
			}
		}
	}
	if errors.Is(err, io.EOF) {
		if c.remaining > 0 {
			return n, io.ErrUnexpectedEOF
		}
		err = nil
	}
	return n, err
}

func (c *chunkedReader) expectCRLF() error {
	var b [2]byte
	if _, err := io.ReadFull(c.r, b[:]); err != nil || b != [2]byte{'\r', '\n'} {
		return fmt.Errorf("%w: chunk data not followed by CRLF", errChunkedFormat)
	}
	return nil
}

// readLine reads one CRLF-terminated line without the CRLF.
func (c *chunkedReader) readLine() (string, error) {
	var sb strings.Builder
	for {
		frag, err := c.r.ReadSlice('\n')
		sb.Write(frag)
		if sb.Len() > maxChunkLine {
			return "", fmt.Errorf("%w: line longer than %d bytes", errChunkedFormat, maxChunkLine)
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			if sb.Len() == 0 {
				return "", io.EOF
			}
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	line := strings.TrimSuffix(sb.String(), "\n")
	return strings.TrimSuffix(line, "\r"), nil
}

// readTrailers reads "name:value" lines up to an empty line or the end of
// the body (some clients omit the final CRLF).
func (c *chunkedReader) readTrailers() error {
	var signed strings.Builder
	for {
		line, err := c.readLine()
		if errors.Is(err, io.EOF) || (err == nil && line == "") {
			break
		}
		if err != nil {
			return err
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("%w: trailer %q", errChunkedFormat, line)
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !strings.EqualFold(name, "x-amz-trailer-signature") {
			signed.WriteString(line + "\n")
		}
		c.trailers.Add(name, value)
	}
	// The trailer's own signature continues the chain of a signed upload
	// that sent trailers.
	if sig := c.trailers.Get("X-Amz-Trailer-Signature"); c.signer != nil && (sig != "" || signed.Len() > 0) {
		if !c.signer.Trailer(sig, []byte(signed.String())) {
			return errChunkSignature
		}
	}
	return nil
}

// isAWSChunked reports whether the request body is aws-chunked encoded.
func isAWSChunked(r *http.Request) bool {
	for _, enc := range strings.Split(r.Header.Get("Content-Encoding"), ",") {
		if strings.EqualFold(strings.TrimSpace(enc), "aws-chunked") {
			return true
		}
	}
	return strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-")
}

// storedContentEncoding is the Content-Encoding to keep on the object: the
// request's, less aws-chunked (a transfer detail, not the object's).
func storedContentEncoding(r *http.Request) string {
	var keep []string
	for _, enc := range strings.Split(r.Header.Get("Content-Encoding"), ",") {
		enc = strings.TrimSpace(enc)
		if enc != "" && !strings.EqualFold(enc, "aws-chunked") {
			keep = append(keep, enc)
		}
	}
	return strings.Join(keep, ",")
}
