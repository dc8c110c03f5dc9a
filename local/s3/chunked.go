package s3

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// chunkedReader decodes the aws-chunked content encoding that SigV4
// streaming uploads use: "<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n"
// repeated, a zero-size chunk, then optional trailing headers ("name:value"
// lines, e.g. x-amz-checksum-crc32 and x-amz-trailer-signature) and an empty
// line. Chunk and trailer signatures are not verified (the local cloud
// accepts any credentials). See
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
type chunkedReader struct {
	r         *bufio.Reader
	remaining int64 // bytes left in the current chunk
	started   bool
	done      bool
	trailers  http.Header
}

// maxChunkLine bounds chunk-header and trailer lines: a signature extension
// is under 100 bytes, a checksum trailer under 100.
const maxChunkLine = 4096

var errChunkedFormat = errors.New("malformed aws-chunked body")

func newChunkedReader(r io.Reader) *chunkedReader {
	return &chunkedReader{r: bufio.NewReaderSize(r, 64<<10), trailers: http.Header{}}
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
		sizeHex, _, _ := strings.Cut(line, ";")
		size, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
		if err != nil || size < 0 {
			return 0, fmt.Errorf("%w: chunk size %q", errChunkedFormat, sizeHex)
		}
		if size == 0 {
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
	for {
		line, err := c.readLine()
		if errors.Is(err, io.EOF) || (err == nil && line == "") {
			return nil
		}
		if err != nil {
			return err
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("%w: trailer %q", errChunkedFormat, line)
		}
		c.trailers.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
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
