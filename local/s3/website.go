package s3

import (
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
)

// WebsiteHostInfix marks a website endpoint host:
// http://<bucket>.s3-website.localhost:<port>/ (and the regional forms
// <bucket>.s3-website-<region>.localhost and
// <bucket>.s3-website.<region>.localhost) serve the bucket as AWS's
// http://<bucket>.s3-website-<region>.amazonaws.com does.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
const WebsiteHostInfix = ".s3-website"

// WebsitePathPrefix is the path form of the website endpoint, for clients
// that cannot set a Host: http://127.0.0.1:<port>/_website/<bucket>/<key>.
// No bucket can be named "_website", so it never shadows a bucket.
// Absolute links in the site's pages ("/style.css") leave the prefix;
// use the host form for sites that have them.
const WebsitePathPrefix = "/_website/"

// WebsiteURL is the local website endpoint of bucket on a cloud whose
// endpoint is http://host:port.
func WebsiteURL(endpoint, bucket string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Port() == "" {
		return "http://" + bucket + WebsiteHostInfix + ".localhost/"
	}
	return "http://" + bucket + WebsiteHostInfix + ".localhost:" + u.Port() + "/"
}

// websiteTarget returns the bucket and key a website request asks for,
// and whether r is one.
func websiteTarget(r *http.Request) (bucket, key string, ok bool) {
	if rest, found := strings.CutPrefix(r.URL.Path, WebsitePathPrefix); found {
		bucket, key, _ = strings.Cut(rest, "/")
		return bucket, key, bucket != ""
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	name, found := strings.CutSuffix(host, ".localhost")
	if !found {
		return "", "", false
	}
	i := strings.LastIndex(name, WebsiteHostInfix)
	if i <= 0 {
		return "", "", false
	}
	// After the infix: nothing, "-<region>" or ".<region>".
	if tail := name[i+len(WebsiteHostInfix):]; tail != "" && tail[0] != '-' && tail[0] != '.' {
		return "", "", false
	}
	return name[:i], strings.TrimPrefix(r.URL.Path, "/"), true
}

// Public accepts what S3 serves without credentials: every request to a
// website endpoint (whose visitors are anonymous, whatever they send), and
// unsigned GETs of objects that the bucket policy opens to everyone (aws
// --no-sign-request, a browser). Both are decided by the target and the
// bucket's policy, never by a credential.
func (s *Service) Public(r *http.Request) bool {
	if _, _, ok := websiteTarget(r); ok {
		return true
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.Header.Get("Authorization") != "" || r.URL.Query().Has("X-Amz-Signature") || r.URL.Query().Has("X-Amz-Credential") {
		return false
	}
	bucket, key := address(r)
	if bucket == "" || key == "" || subresource(r) != "" {
		return false
	}
	action := "s3:GetObject"
	if r.URL.Query().Has("versionId") {
		action = "s3:GetObjectVersion"
	}
	m, err := s.meta(bucket)
	return err == nil && s.anonymous(m, action, "arn:aws:s3:::"+bucket+"/"+key) == iam.Allow
}

// websiteError is an error as the website endpoint reports it: an HTML page
// (or the bucket's error document) with the error's status.
type websiteError struct {
	status int
	code   string
	msg    string
	fields [][2]string
}

func (s *Service) serveWebsite(w http.ResponseWriter, r *http.Request, bucket, key string) {
	call := core.CallFrom(r.Context())
	call.SetOperation("WebsiteGetObject")
	m, err := s.meta(bucket)
	if err != nil {
		s.websiteFail(w, r, nil, websiteError{http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist", [][2]string{{"BucketName", bucket}}})
		return
	}
	cfg := m.Website
	if cfg == nil {
		s.websiteFail(w, r, nil, websiteError{http.StatusNotFound, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", [][2]string{{"BucketName", bucket}}})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.websiteFail(w, r, nil, websiteError{http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.",
			[][2]string{{"Method", r.Method}, {"ResourceType", "OBJECT"}}})
		return
	}
	if to := cfg.RedirectAllRequestsTo; to != nil {
		proto := to.Protocol
		if proto == "" {
			proto = "http"
		}
		http.Redirect(w, r, proto+"://"+to.HostName+"/"+key, http.StatusMovedPermanently)
		return
	}
	if rule := matchRule(cfg, key, 0); rule != nil {
		s.redirect(w, r, rule, key)
		return
	}
	object := key
	if object == "" || strings.HasSuffix(object, "/") {
		object += cfg.IndexDocument.Suffix
	}
	werr, ok := s.serveWebsiteObject(w, r, bucket, m, object)
	if ok {
		return
	}
	if werr.status == http.StatusNotFound || werr.status == http.StatusForbidden {
		// A "folder" asked for without its slash: S3 redirects to it when
		// its index document exists.
		// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/IndexDocumentSupport.html
		if object == key && key != "" && s.exists(bucket, key+"/"+cfg.IndexDocument.Suffix) &&
			s.anonymous(m, "s3:GetObject", "arn:aws:s3:::"+bucket+"/"+key+"/"+cfg.IndexDocument.Suffix) == iam.Allow {
			base := "/"
			if strings.HasPrefix(r.URL.Path, WebsitePathPrefix) {
				base = WebsitePathPrefix + bucket + "/"
			}
			http.Redirect(w, r, base+key+"/", http.StatusFound)
			return
		}
	}
	if rule := matchRule(cfg, key, werr.status); rule != nil {
		s.redirect(w, r, rule, key)
		return
	}
	s.websiteFail(w, r, &m, werr)
}

// serveWebsiteObject serves one object to an anonymous visitor, or returns
// the error S3 would: 403 AccessDenied when the bucket policy does not
// allow s3:GetObject, and for a missing key unless it allows s3:ListBucket
// (which is what turns 403 into 404 on AWS).
func (s *Service) serveWebsiteObject(w http.ResponseWriter, r *http.Request, bucket string, m bucketMeta, key string) (websiteError, bool) {
	denied := websiteError{http.StatusForbidden, "AccessDenied", "Access Denied", nil}
	if s.anonymous(m, "s3:GetObject", "arn:aws:s3:::"+bucket+"/"+key) != iam.Allow {
		return denied, false
	}
	if !s.exists(bucket, key) {
		if s.anonymous(m, "s3:ListBucket", "arn:aws:s3:::"+bucket) != iam.Allow {
			return denied, false
		}
		return websiteError{http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", [][2]string{{"Key", key}}}, false
	}
	// The object itself, through GetObject's handler: conditional
	// requests and ranges behave as on the REST endpoint. The website
	// endpoint ignores the query string.
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = ""
	if err := s.getObject(w, r2, bucket, key); err != nil {
		e := core.AsError(err)
		if e.Status == http.StatusNotFound {
			return websiteError{http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", [][2]string{{"Key", key}}}, false
		}
		core.WriteRESTXMLError(w, r, err)
	}
	return websiteError{}, true
}

// exists reports whether key has a current version that is not a delete
// marker.
func (s *Service) exists(bucket, key string) bool {
	b, err := s.bucketFor(bucket)
	if err != nil {
		return false
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	o := b.objects[key]
	return o != nil && !o.Current.DeleteMarker
}

// matchRule returns the first routing rule whose condition holds for key
// and, when status is not 0, for that error status; a rule with an error
// condition never matches before the object is looked up (status 0).
func matchRule(cfg *WebsiteConfiguration, key string, status int) *RoutingRule {
	for i := range cfg.RoutingRules {
		rule := &cfg.RoutingRules[i]
		c := rule.Condition
		if c == nil {
			if status == 0 {
				return rule
			}
			continue
		}
		if c.KeyPrefixEquals != "" && !strings.HasPrefix(key, c.KeyPrefixEquals) {
			continue
		}
		if c.HttpErrorCodeReturnedEquals != "" {
			if strconv.Itoa(status) != c.HttpErrorCodeReturnedEquals {
				continue
			}
		} else if status != 0 {
			continue
		}
		return rule
	}
	return nil
}

// redirect answers with a routing rule's redirect.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html
func (s *Service) redirect(w http.ResponseWriter, r *http.Request, rule *RoutingRule, key string) {
	rd := rule.Redirect
	proto := rd.Protocol
	if proto == "" {
		proto = "http"
	}
	host := rd.HostName
	if host == "" {
		host = r.Host
	}
	newKey := key
	switch {
	case rd.ReplaceKeyWith != "":
		newKey = rd.ReplaceKeyWith
	case rd.ReplaceKeyPrefixWith != "" || (rule.Condition != nil && rule.Condition.KeyPrefixEquals != ""):
		prefix := ""
		if rule.Condition != nil {
			prefix = rule.Condition.KeyPrefixEquals
		}
		newKey = rd.ReplaceKeyPrefixWith + strings.TrimPrefix(key, prefix)
	}
	code := http.StatusMovedPermanently
	if c, err := strconv.Atoi(rd.HttpRedirectCode); err == nil {
		code = c
	}
	path := "/" + newKey
	if strings.HasPrefix(r.URL.Path, WebsitePathPrefix) && rd.HostName == "" {
		b, _, _ := websiteTarget(r)
		path = WebsitePathPrefix + b + path
	}
	w.Header().Set("Location", proto+"://"+host+path)
	w.WriteHeader(code)
}

// websiteFail answers with the bucket's error document (with the error's
// status) for 4XX errors, or with S3's HTML error page.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/CustomErrorDocSupport.html
func (s *Service) websiteFail(w http.ResponseWriter, r *http.Request, m *bucketMeta, e websiteError) {
	var docErr *websiteError
	if m != nil && m.Website != nil && m.Website.ErrorDocument != nil && e.status >= 400 && e.status < 500 {
		key := m.Website.ErrorDocument.Key
		switch {
		case s.anonymous(*m, "s3:GetObject", "arn:aws:s3:::"+m.Name+"/"+key) != iam.Allow:
			docErr = &websiteError{http.StatusForbidden, "AccessDenied", "Access Denied", nil}
		case !s.exists(m.Name, key):
			docErr = &websiteError{http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", [][2]string{{"Key", key}}}
		default:
			if s.writeErrorDocument(w, r, m.Name, key, e.status) {
				return
			}
		}
	}
	call := core.CallFrom(r.Context())
	title := fmt.Sprintf("%d %s", e.status, http.StatusText(e.status))
	var b strings.Builder
	fmt.Fprintf(&b, "<html>\n<head><title>%s</title></head>\n<body>\n<h1>%s</h1>\n<ul>\n", title, title)
	list := func(e websiteError) {
		fmt.Fprintf(&b, "<li>Code: %s</li>\n<li>Message: %s</li>\n", html.EscapeString(e.code), html.EscapeString(e.msg))
		for _, f := range e.fields {
			fmt.Fprintf(&b, "<li>%s: %s</li>\n", f[0], html.EscapeString(f[1]))
		}
	}
	list(e)
	fmt.Fprintf(&b, "<li>RequestId: %s</li>\n<li>HostId: %s</li>\n</ul>\n", call.RequestID, call.RequestID)
	if docErr != nil {
		b.WriteString("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n")
		list(*docErr)
		b.WriteString("</ul>\n")
	}
	b.WriteString("<hr/>\n</body>\n</html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, b.String())
	}
}

// writeErrorDocument serves the error document's bytes with status.
func (s *Service) writeErrorDocument(w http.ResponseWriter, r *http.Request, bucket, key string, status int) bool {
	body, info, err := s.GetObject(bucket, key)
	if err != nil {
		return false
	}
	defer body.Close()
	ct := info.ContentType
	if ct == "" {
		ct = "binary/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("ETag", info.ETag)
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, body)
	}
	return true
}
