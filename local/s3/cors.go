package s3

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
)

// CORSConfiguration is a bucket's cross-origin rules, applied to
// preflight requests and to the responses of requests that carry an
// Origin (on the website endpoint and on public object requests; other
// browser requests are the local cloud's own origin guard's to allow).
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
type CORSConfiguration struct {
	XMLName xml.Name   `xml:"CORSConfiguration" json:"-"`
	NS      string     `xml:"xmlns,attr,omitempty" json:"-"`
	Rules   []CORSRule `xml:"CORSRule"`
}

// CORSRule is one rule of a [CORSConfiguration].
type CORSRule struct {
	ID             string   `xml:",omitempty" json:",omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader" json:",omitempty"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader" json:",omitempty"`
	MaxAgeSeconds  *int     `xml:",omitempty" json:",omitempty"`
}

func (c *CORSConfiguration) validate() error {
	bad := func(format string, args ...any) error {
		return core.Errorf(http.StatusBadRequest, "InvalidRequest", format, args...)
	}
	if len(c.Rules) == 0 || len(c.Rules) > 100 {
		return errMalformedXML("CORSConfiguration", configError("between 1 and 100 CORSRule elements are required"))
	}
	for _, r := range c.Rules {
		if len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 {
			return errMalformedXML("CORSConfiguration", configError("a CORSRule needs AllowedMethod and AllowedOrigin"))
		}
		for _, m := range r.AllowedMethods {
			switch m {
			case "GET", "PUT", "POST", "DELETE", "HEAD":
			default:
				return bad("Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return bad("AllowedOrigin %q can not have more than one wildcard.", o)
			}
		}
	}
	return nil
}

// PutBucketCors sets a bucket's CORS rules through the Go API.
func (s *Service) PutBucketCors(bucket string, cfg CORSConfiguration) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	return s.updateMeta(bucket, func(m *bucketMeta) { m.Cors = &cfg })
}

func (s *Service) putBucketCors(w http.ResponseWriter, r *http.Request, name, _ string) error {
	var cfg CORSConfiguration
	if err := readXML(r, "CORSConfiguration", &cfg); err != nil {
		return err
	}
	if err := s.PutBucketCors(name, cfg); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketCors(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	m, err := s.meta(name)
	if err != nil {
		return err
	}
	if m.Cors == nil {
		return core.Errorf(http.StatusNotFound, "NoSuchCORSConfiguration", "The CORS configuration does not exist").With("BucketName", name)
	}
	cfg := *m.Cors
	cfg.NS = Namespace
	writeXML(w, cfg)
	return nil
}

func (s *Service) deleteBucketCors(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	if err := s.updateMeta(name, func(m *bucketMeta) { m.Cors = nil }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// match returns the first rule allowing origin and method, and (for a
// preflight) every requested header.
func (c *CORSConfiguration) match(origin, method string, headers []string) *CORSRule {
	for i := range c.Rules {
		r := &c.Rules[i]
		if !anyGlob(r.AllowedOrigins, origin, false) || !contains(r.AllowedMethods, method) {
			continue
		}
		ok := true
		for _, h := range headers {
			if h = strings.TrimSpace(h); h != "" && !anyGlob(r.AllowedHeaders, h, true) {
				ok = false
			}
		}
		if ok {
			return r
		}
	}
	return nil
}

func anyGlob(patterns []string, v string, fold bool) bool {
	for _, p := range patterns {
		if fold {
			p, v = strings.ToLower(p), strings.ToLower(v)
		}
		if iam.Glob(p, v) {
			return true
		}
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// corsPreflight answers an OPTIONS preflight that reached S3 (the website
// endpoint's, or a public object's) from the bucket's CORS rules.
func (s *Service) corsPreflight(w http.ResponseWriter, r *http.Request, bucket string) bool {
	origin, method := r.Header.Get("Origin"), r.Header.Get("Access-Control-Request-Method")
	if r.Method != http.MethodOptions || origin == "" || method == "" || bucket == "" {
		return false
	}
	core.CallFrom(r.Context()).SetOperation("PreflightRequest")
	m, err := s.meta(bucket)
	if err != nil {
		core.WriteRESTXMLError(w, r, err)
		return true
	}
	forbidden := func(msg string) bool {
		core.WriteRESTXMLError(w, r, core.Errorf(http.StatusForbidden, "AccessForbidden", "%s", msg).
			With("Method", method).With("ResourceType", "OBJECT"))
		return true
	}
	if m.Cors == nil {
		return forbidden("CORSResponse: CORS is not enabled for this bucket.")
	}
	var reqHeaders []string
	if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
		reqHeaders = strings.Split(h, ",")
	}
	rule := m.Cors.match(origin, method, reqHeaders)
	if rule == nil {
		return forbidden("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
	}
	h := w.Header()
	writeCORS(h, rule, origin)
	if len(reqHeaders) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.ToLower(r.Header.Get("Access-Control-Request-Headers")))
	}
	if rule.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*rule.MaxAgeSeconds))
	}
	w.WriteHeader(http.StatusOK)
	return true
}

// corsHeaders adds the CORS response headers of the first rule matching a
// request that carries an Origin.
func (s *Service) corsHeaders(w http.ResponseWriter, r *http.Request, bucket string) {
	origin := r.Header.Get("Origin")
	if origin == "" || bucket == "" {
		return
	}
	m, err := s.meta(bucket)
	if err != nil || m.Cors == nil {
		return
	}
	if rule := m.Cors.match(origin, r.Method, nil); rule != nil {
		writeCORS(w.Header(), rule, origin)
	}
}

func writeCORS(h http.Header, rule *CORSRule, origin string) {
	allow := origin
	if contains(rule.AllowedOrigins, "*") {
		allow = "*"
	}
	h.Set("Access-Control-Allow-Origin", allow)
	h.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if len(rule.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	}
	h.Add("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}
