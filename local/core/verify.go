package core

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Payload hash values of x-amz-content-sha256 that are not digests. See
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
const (
	UnsignedPayload          = "UNSIGNED-PAYLOAD"
	StreamingPayload         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingPayloadTrailer  = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// MaxClockSkew is how far a signed request's time may be from the server's:
// AWS refuses requests signed more than 15 minutes before or after its clock.
const MaxClockSkew = 15 * time.Minute

// maxPresignExpiry is the longest X-Amz-Expires SigV4 allows (7 days).
const maxPresignExpiry = 7 * 24 * time.Hour

// MaxSignedBody bounds the bodies the router reads to hash them (every
// service but S3, whose clients declare the hash in x-amz-content-sha256).
// Lambda's largest request, a 50 MB zip in base64 JSON, fits.
const MaxSignedBody = 256 << 20

const amzDateFormat = "20060102T150405Z"

// Verified is the outcome of a valid signature.
type Verified struct {
	Principal Principal
	// Chunks verifies the chunk signatures of a
	// STREAMING-AWS4-HMAC-SHA256-PAYLOAD body; nil otherwise.
	Chunks *ChunkSigner
}

// VerifyRequest checks r's SigV4 signature (Authorization header or
// presigned query) against keys at time now, as AWS does: the algorithm and
// every part of the credential, the session token of temporary keys, the
// clock skew or the presigned expiry, and the signature over the canonical
// request, whose payload hash is x-amz-content-sha256 for S3 (verified as
// the body streams: a mismatch fails the body's read with
// XAmzContentSHA256Mismatch) and the body's own SHA-256 for every other
// service (r.Body is replaced by the bytes read). service is the signing
// name the request was routed by.
func VerifyRequest(r *http.Request, service string, keys *Keyring, now time.Time) (Verified, *AuthError) {
	sig, aerr := parseSignature(r)
	if aerr != nil {
		return Verified{}, aerr
	}
	cred, ok := keys.Lookup(sig.scope.AccessKeyID)
	if !ok {
		return Verified{}, authErr(AuthUnknownKey, "")
	}
	if cred.SessionToken != sig.token {
		return Verified{}, authErr(AuthBadToken, "")
	}
	if !cred.Expires.IsZero() && now.After(cred.Expires) {
		return Verified{}, authErr(AuthExpiredToken, "")
	}
	if sig.scope.Date != sig.when.Format("20060102") {
		return Verified{}, authErr(AuthSignature, "")
	}
	if sig.presigned {
		if now.After(sig.when.Add(sig.expires)) {
			return Verified{}, authErr(AuthExpired, fmt.Sprintf("Request has expired: X-Amz-Date %s plus X-Amz-Expires %d seconds is before %s",
				sig.when.Format(amzDateFormat), int(sig.expires/time.Second), now.UTC().Format(amzDateFormat)))
		}
		if sig.when.After(now.Add(MaxClockSkew)) {
			return Verified{}, skewed(sig.when, now)
		}
	} else if d := now.Sub(sig.when); d > MaxClockSkew || d < -MaxClockSkew {
		return Verified{}, skewed(sig.when, now)
	}

	payload, aerr := payloadHash(r, service, sig.presigned)
	if aerr != nil {
		return Verified{}, aerr
	}
	key := signingKey(cred.SecretAccessKey, sig.scope)
	scope := sig.credentialScope()
	date := sig.when.Format(amzDateFormat)
	matched := false
	for _, path := range canonicalPaths(r, service) {
		creq := canonicalRequest(r, path, sig, payload)
		sts := "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hexSHA256([]byte(creq))
		if hmac.Equal([]byte(hex.EncodeToString(hmacSHA256(key, sts))), []byte(sig.signature)) {
			matched = true
			break
		}
	}
	if !matched {
		return Verified{}, authErr(AuthSignature, "")
	}
	v := Verified{Principal: cred.Principal}
	if payload == StreamingPayload || payload == StreamingPayloadTrailer {
		v.Chunks = &ChunkSigner{key: key, date: date, scope: scope, prev: sig.signature}
	}
	if hexHash(payload) && service == "s3" {
		r.Body = &hashCheckReader{r: r.Body, h: sha256.New(), want: payload, close: r.Body}
	}
	return v, nil
}

// skewed is the refusal of a request signed too far from now.
func skewed(when, now time.Time) *AuthError {
	w, n := when.UTC().Format(amzDateFormat), now.UTC()
	if when.Before(now) {
		return authErr(AuthSkewed, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			w, n.Add(-MaxClockSkew).Format(amzDateFormat), n.Format(amzDateFormat)))
	}
	return authErr(AuthSkewed, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
		w, n.Add(MaxClockSkew).Format(amzDateFormat), n.Format(amzDateFormat)))
}

// signature is a parsed SigV4 signature, from either form.
type signature struct {
	scope         Scope
	signedHeaders []string
	signature     string
	when          time.Time
	token         string
	presigned     bool
	expires       time.Duration
}

func (s signature) credentialScope() string {
	return s.scope.Date + "/" + s.scope.Region + "/" + s.scope.Service + "/aws4_request"
}

// parseSignature reads the signature's parts from the Authorization header
// or the presigned query parameters.
func parseSignature(r *http.Request) (signature, *AuthError) {
	var s signature
	if auth := r.Header.Get("Authorization"); auth != "" {
		algo, rest, _ := strings.Cut(strings.TrimSpace(auth), " ")
		if algo != "AWS4-HMAC-SHA256" {
			return s, authErr(AuthUnsupported, fmt.Sprintf("Unsupported AWS 'algorithm': %q; the local cloud verifies AWS4-HMAC-SHA256 signatures", algo))
		}
		fields := map[string]string{}
		for _, part := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			fields[k] = v
		}
		for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
			if fields[k] == "" {
				return s, authErr(AuthIncomplete, fmt.Sprintf("Authorization header requires '%s' parameter. Authorization=%s", k, auth))
			}
		}
		if err := s.parseCredential(fields["Credential"]); err != nil {
			return s, err
		}
		s.signedHeaders, s.signature = strings.Split(fields["SignedHeaders"], ";"), fields["Signature"]
		s.token = r.Header.Get("X-Amz-Security-Token")
		date := r.Header.Get("X-Amz-Date")
		var err error
		if date != "" {
			s.when, err = time.Parse(amzDateFormat, date)
		} else if date = r.Header.Get("Date"); date != "" {
			s.when, err = http.ParseTime(date)
		} else {
			return s, authErr(AuthIncomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="+auth)
		}
		if err != nil {
			return s, authErr(AuthIncomplete, fmt.Sprintf("the request's date %q is not in the ISO 8601 basic format (20060102T150405Z)", date))
		}
		return s, nil
	}
	q := r.URL.Query()
	s.presigned = true
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if q.Get(k) == "" {
			return s, authErr(AuthIncomplete, fmt.Sprintf("AWS query-string parameters must include '%s'. Re-examine the query-string parameters.", k))
		}
	}
	if a := q.Get("X-Amz-Algorithm"); a != "AWS4-HMAC-SHA256" {
		return s, authErr(AuthIncomplete, fmt.Sprintf("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\", not %q", a))
	}
	if err := s.parseCredential(q.Get("X-Amz-Credential")); err != nil {
		return s, err
	}
	s.signedHeaders, s.signature, s.token = strings.Split(q.Get("X-Amz-SignedHeaders"), ";"), q.Get("X-Amz-Signature"), q.Get("X-Amz-Security-Token")
	var err error
	if s.when, err = time.Parse(amzDateFormat, q.Get("X-Amz-Date")); err != nil {
		return s, authErr(AuthIncomplete, fmt.Sprintf("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", not %q", q.Get("X-Amz-Date")))
	}
	exp := q.Get("X-Amz-Expires")
	secs, err := strconv.Atoi(exp)
	if exp == "" {
		secs, err = 900, nil
	}
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > maxPresignExpiry {
		return s, authErr(AuthIncomplete, fmt.Sprintf("X-Amz-Expires must be between 1 and 604800 seconds, not %q", exp))
	}
	s.expires = time.Duration(secs) * time.Second
	return s, nil
}

func (s *signature) parseCredential(cred string) *AuthError {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" || parts[2] == "" || parts[3] == "" {
		return authErr(AuthIncomplete, fmt.Sprintf("Credential should be scoped with a valid terminator: 'aws4_request', in the form ACCESS_KEY/DATE/REGION/SERVICE/aws4_request, not %q", cred))
	}
	if _, err := time.Parse("20060102", parts[1]); err != nil {
		return authErr(AuthIncomplete, fmt.Sprintf("Credential should be scoped to a valid date, not %q", parts[1]))
	}
	s.scope = Scope{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
	return nil
}

// payloadHash returns the hash the signature covers. S3's clients declare
// it in x-amz-content-sha256 (a digest, UNSIGNED-PAYLOAD or a streaming
// mode); every other service's body is read and hashed here.
func payloadHash(r *http.Request, service string, presigned bool) (string, *AuthError) {
	declared := r.Header.Get("X-Amz-Content-Sha256")
	if service == "s3" {
		if presigned && declared == "" {
			if declared = r.URL.Query().Get("X-Amz-Content-Sha256"); declared == "" {
				return UnsignedPayload, nil
			}
		}
		switch {
		case declared == "":
			return "", authErr(AuthPayload, "Missing required header for this request: x-amz-content-sha256")
		case declared == UnsignedPayload || declared == StreamingPayload || declared == StreamingPayloadTrailer || declared == StreamingUnsignedTrailer:
			return declared, nil
		case hexHash(declared):
			return strings.ToLower(declared), nil
		}
		return "", authErr(AuthPayload, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.")
	}
	if r.Body == nil || r.Body == http.NoBody {
		return hexSHA256(nil), nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxSignedBody+1))
	_ = r.Body.Close()
	if err != nil {
		return "", authErr(AuthBody, fmt.Sprintf("reading the request body: %v", err))
	}
	if len(body) > MaxSignedBody {
		return "", authErr(AuthBody, fmt.Sprintf("the request body is larger than the local cloud's limit of %d bytes", MaxSignedBody))
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	return hexSHA256(body), nil
}

func hexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// canonicalPaths are the canonical URIs to try: S3 signs the path as sent;
// every other service signs it URI-encoded once more (the SDKs
// double-encode). Clients disagree at the edges, so both are accepted.
func canonicalPaths(r *http.Request, service string) []string {
	raw := r.URL.EscapedPath()
	if u := r.RequestURI; strings.HasPrefix(u, "/") {
		raw, _, _ = strings.Cut(u, "?")
	}
	if raw == "" {
		raw = "/"
	}
	double := uriEncode(raw, false)
	if service == "s3" {
		return []string{raw, double}
	}
	return []string{double, raw}
}

func canonicalRequest(r *http.Request, path string, sig signature, payload string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery, sig.presigned))
	b.WriteByte('\n')
	for _, h := range sig.signedHeaders {
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(headerValue(r, h))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(sig.signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}

// canonicalQuery sorts the decoded parameters and encodes them as SigV4
// does; a presigned URL's own signature is left out.
func canonicalQuery(raw string, presigned bool) string {
	if raw == "" {
		return ""
	}
	var pairs []string
	for _, kv := range strings.Split(raw, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			dk = k
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			dv = v
		}
		if presigned && dk == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, uriEncode(dk, true)+"="+uriEncode(dv, true))
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// headerValue is a signed header's canonical value: its values trimmed,
// inner spaces collapsed, joined by commas. Go's server moves Host and
// Content-Length out of the header map.
func headerValue(r *http.Request, name string) string {
	var values []string
	switch name {
	case "host":
		values = []string{r.Host}
	case "content-length":
		values = r.Header.Values(name)
		if len(values) == 0 && r.ContentLength >= 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	case "transfer-encoding":
		values = r.TransferEncoding
	default:
		values = r.Header.Values(name)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

// uriEncode is SigV4's UriEncode: every byte but the unreserved ones
// percent-encoded in upper case; slashes kept unless encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// signingKeys caches derived keys by secret and scope: a key changes once
// a day per client, and deriving it is four HMACs per request otherwise.
// It is emptied when full (sessions come and go).
var signingKeys = struct {
	sync.Mutex
	m map[string][]byte
}{m: map[string][]byte{}}

const maxSigningKeys = 4096

func signingKey(secret string, sc Scope) []byte {
	id := secret + "\x00" + sc.Date + "/" + sc.Region + "/" + sc.Service
	signingKeys.Lock()
	defer signingKeys.Unlock()
	if k, ok := signingKeys.m[id]; ok {
		return k
	}
	if len(signingKeys.m) >= maxSigningKeys {
		clear(signingKeys.m)
	}
	k := deriveKey(secret, sc)
	signingKeys.m[id] = k
	return k
}

func deriveKey(secret string, sc Scope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), sc.Date)
	k = hmacSHA256(k, sc.Region)
	k = hmacSHA256(k, sc.Service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// ChunkSigner verifies the chain of chunk signatures of an aws-chunked
// body signed with STREAMING-AWS4-HMAC-SHA256-PAYLOAD: each chunk's
// signature covers the previous one and the chunk's SHA-256. See
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
type ChunkSigner struct {
	key         []byte
	date, scope string
	prev        string
}

// Chunk verifies the signature of the next chunk, whose data hashes to
// digest (the final, empty chunk included).
func (c *ChunkSigner) Chunk(signature string, digest []byte) bool {
	sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + c.date + "\n" + c.scope + "\n" + c.prev + "\n" + hexSHA256(nil) + "\n" + hex.EncodeToString(digest)
	return c.check(sts, signature)
}

// Trailer verifies x-amz-trailer-signature over the trailing header lines
// ("name:value\n" each, as sent).
func (c *ChunkSigner) Trailer(signature string, lines []byte) bool {
	sts := "AWS4-HMAC-SHA256-TRAILER\n" + c.date + "\n" + c.scope + "\n" + c.prev + "\n" + hexSHA256(lines)
	return c.check(sts, signature)
}

func (c *ChunkSigner) check(sts, signature string) bool {
	want := hex.EncodeToString(hmacSHA256(c.key, sts))
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return false
	}
	c.prev = signature
	return true
}

// hashCheckReader fails the body's last read when its SHA-256 is not the
// declared x-amz-content-sha256.
type hashCheckReader struct {
	r io.Reader
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
	want  string
	close io.Closer
}

func (c *hashCheckReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(c.h.Sum(nil)) != c.want {
		return n, ErrContentSHA256Mismatch
	}
	return n, err
}

func (c *hashCheckReader) Close() error { return c.close.Close() }

// ErrContentSHA256Mismatch is S3's refusal of a body whose SHA-256 is not
// the x-amz-content-sha256 it was signed with; reading such a body fails
// with it at the end.
var ErrContentSHA256Mismatch = Errorf(http.StatusBadRequest, "XAmzContentSHA256Mismatch",
	"The provided 'x-amz-content-sha256' header does not match what was computed.")
