package s3

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"testing"
)

// FuzzBucketPolicy feeds PutBucketPolicy's parser and the public-policy
// and anonymous evaluation: no input may panic, and a policy the parser
// accepts must evaluate.
func FuzzBucketPolicy(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	f.Add(`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":["s3:*"],"Resource":"arn:aws:s3:::b","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}}`)
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:Get*","Resource":"arn:aws:s3:::*"}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := parseBucketPolicy("b", doc)
		if err != nil {
			return
		}
		_ = isPublic(p)
		s := &Service{}
		_ = s.anonymous(bucketMeta{Name: "b", Policy: doc, PublicAccessBlock: &PublicAccessBlock{RestrictPublicBuckets: true}}, "s3:GetObject", "arn:aws:s3:::b/k")
	})
}

// FuzzBucketConfigurations feeds the XML of PutBucketNotificationConfiguration,
// PutBucketWebsite and PutBucketCors through decoding and validation.
func FuzzBucketConfigurations(f *testing.F) {
	f.Add(`<NotificationConfiguration><QueueConfiguration><Queue>arn:aws:sqs:us-east-1:1:q</Queue><Event>s3:ObjectCreated:*</Event>` +
		`<Filter><S3Key><FilterRule><Name>prefix</Name><Value>a/</Value></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>`)
	f.Add(`<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition>` +
		`<HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><ReplaceKeyWith>x</ReplaceKeyWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`)
	f.Add(`<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`)
	f.Fuzz(func(t *testing.T, body string) {
		var n NotificationConfiguration
		if xml.Unmarshal([]byte(body), &n) == nil {
			if n.validate() == nil {
				for _, d := range n.destinations() {
					_ = d.matches(change{name: "ObjectCreated:Put", key: "a/b.txt"})
				}
			}
		}
		var w WebsiteConfiguration
		if xml.Unmarshal([]byte(body), &w) == nil && w.validate() == nil {
			_ = matchRule(&w, "a/b", 404)
		}
		var c CORSConfiguration
		if xml.Unmarshal([]byte(body), &c) == nil && c.validate() == nil {
			_ = c.match("http://x", "GET", []string{"x-a"})
		}
	})
}

// FuzzWebsiteTarget feeds the website endpoint's Host and path parsing.
func FuzzWebsiteTarget(f *testing.F) {
	f.Add("site.s3-website.localhost:4566", "/docs/")
	f.Add("site.s3-website-eu-west-1.localhost", "/")
	f.Add("127.0.0.1", "/_website/site/a%2Fb")
	f.Add(".s3-website.localhost", "/")
	f.Fuzz(func(t *testing.T, host, path string) {
		u, err := url.Parse(path)
		if err != nil {
			return
		}
		r := &http.Request{Host: host, URL: u}
		if b, _, ok := websiteTarget(r); ok && b == "" {
			t.Fatalf("websiteTarget(%q, %q) accepted an empty bucket", host, path)
		}
	})
}
