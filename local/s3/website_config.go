package s3

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// WebsiteConfiguration is a bucket's static website configuration, as
// PutBucketWebsite takes it and the website endpoint serves it.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_WebsiteConfiguration.html
type WebsiteConfiguration struct {
	XMLName               xml.Name               `xml:"WebsiteConfiguration" json:"-"`
	NS                    string                 `xml:"xmlns,attr,omitempty" json:"-"`
	IndexDocument         *IndexDocument         `xml:",omitempty" json:",omitempty"`
	ErrorDocument         *ErrorDocument         `xml:",omitempty" json:",omitempty"`
	RedirectAllRequestsTo *RedirectAllRequestsTo `xml:",omitempty" json:",omitempty"`
	RoutingRules          []RoutingRule          `xml:"RoutingRules>RoutingRule,omitempty" json:",omitempty"`
}

// IndexDocument names the object served for a "folder" request: Suffix is
// appended to a key that is empty or ends in "/".
type IndexDocument struct{ Suffix string }

// ErrorDocument is the object served, with the error's status, for 4XX
// errors.
type ErrorDocument struct{ Key string }

// RedirectAllRequestsTo sends every request to another host.
type RedirectAllRequestsTo struct {
	HostName string
	Protocol string `xml:",omitempty" json:",omitempty"`
}

// RoutingRule redirects the requests its Condition matches.
type RoutingRule struct {
	Condition *RoutingCondition `xml:",omitempty" json:",omitempty"`
	Redirect  Redirect
}

// RoutingCondition matches a key prefix, an error code returned, or both.
type RoutingCondition struct {
	HttpErrorCodeReturnedEquals string `xml:",omitempty" json:",omitempty"`
	KeyPrefixEquals             string `xml:",omitempty" json:",omitempty"`
}

// Redirect is where a routing rule sends a request.
type Redirect struct {
	HostName             string `xml:",omitempty" json:",omitempty"`
	HttpRedirectCode     string `xml:",omitempty" json:",omitempty"`
	Protocol             string `xml:",omitempty" json:",omitempty"`
	ReplaceKeyPrefixWith string `xml:",omitempty" json:",omitempty"`
	ReplaceKeyWith       string `xml:",omitempty" json:",omitempty"`
}

// validate applies PutBucketWebsite's rules.
func (c *WebsiteConfiguration) validate() error {
	bad := func(format string, args ...any) error {
		return core.Errorf(http.StatusBadRequest, "InvalidArgument", format, args...)
	}
	if c.RedirectAllRequestsTo != nil {
		if c.IndexDocument != nil || c.ErrorDocument != nil || len(c.RoutingRules) > 0 {
			return bad("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.")
		}
		if c.RedirectAllRequestsTo.HostName == "" {
			return bad("A host name must be provided.")
		}
		if p := c.RedirectAllRequestsTo.Protocol; p != "" && p != "http" && p != "https" {
			return bad("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.")
		}
		return nil
	}
	if c.IndexDocument == nil {
		return bad("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty")
	}
	if c.IndexDocument.Suffix == "" || strings.Contains(c.IndexDocument.Suffix, "/") {
		return bad("The IndexDocument Suffix is not well formed")
	}
	if c.ErrorDocument != nil && c.ErrorDocument.Key == "" {
		return bad("The ErrorDocument Key is not well formed")
	}
	if len(c.RoutingRules) > 50 {
		return bad("The number of routing rules must not exceed allowed limit of 50 rules.")
	}
	for _, rule := range c.RoutingRules {
		rd := rule.Redirect
		if rd.ReplaceKeyPrefixWith != "" && rd.ReplaceKeyWith != "" {
			return bad("You can only define ReplaceKeyPrefix or ReplaceKey but not both.")
		}
		if p := rd.Protocol; p != "" && p != "http" && p != "https" {
			return bad("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.")
		}
		if c := rd.HttpRedirectCode; c != "" && (len(c) != 3 || c[0] != '3') {
			return bad("The provided HTTP redirect code (%s) is not valid. Valid codes are 3XX except 300.", c)
		}
		if rule.Condition != nil && rule.Condition.HttpErrorCodeReturnedEquals != "" {
			if c := rule.Condition.HttpErrorCodeReturnedEquals; len(c) != 3 || (c[0] != '4' && c[0] != '5') {
				return bad("The provided HTTP error code (%s) is not valid. Valid codes are 4XX or 5XX.", c)
			}
		}
	}
	return nil
}

// PutBucketWebsite sets a bucket's website configuration through the Go
// API (the AWS::S3::Bucket provider's WebsiteConfiguration).
func (s *Service) PutBucketWebsite(bucket string, cfg WebsiteConfiguration) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	return s.updateMeta(bucket, func(m *bucketMeta) { m.Website = &cfg })
}

// DeleteBucketWebsite removes a bucket's website configuration.
func (s *Service) DeleteBucketWebsite(bucket string) error {
	return s.updateMeta(bucket, func(m *bucketMeta) { m.Website = nil })
}

func errNoSuchWebsite(bucket string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration").
		With("BucketName", bucket)
}

func (s *Service) putBucketWebsite(w http.ResponseWriter, r *http.Request, name, _ string) error {
	var cfg WebsiteConfiguration
	if err := readXML(r, "WebsiteConfiguration", &cfg); err != nil {
		return err
	}
	if err := s.PutBucketWebsite(name, cfg); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketWebsite(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	m, err := s.meta(name)
	if err != nil {
		return err
	}
	if m.Website == nil {
		return errNoSuchWebsite(name)
	}
	cfg := *m.Website
	cfg.NS = Namespace
	writeXML(w, cfg)
	return nil
}

func (s *Service) deleteBucketWebsite(w http.ResponseWriter, _ *http.Request, name, _ string) error {
	if err := s.DeleteBucketWebsite(name); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
