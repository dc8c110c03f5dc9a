package apigateway

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzRouting: no Host or path sent by a client panics the data plane's
// target parsing or the resource matcher.
func FuzzRouting(f *testing.F) {
	for _, s := range []string{"/restapis/abc/v1/_user_request_/dragons/x", "/v1/a/b", "/", "//", "/restapis//v1/_user_request_"} {
		f.Add("abc.execute-api.localhost:4566", s)
	}
	rt := &router{}
	for _, p := range []string{"/", "/dragons", "/dragons/{name}", "/files/{proxy+}", "/a/b/c"} {
		rt.routes = append(rt.routes, route{res: &apiResource{Path: p}, segs: segments(p)})
	}
	f.Fuzz(func(t *testing.T, host, path string) {
		r := &http.Request{Host: host, URL: &url.URL{Path: path}}
		if _, rest, ok := dataPlaneTarget(r); ok {
			rt.match(rest)
		}
		rt.match(path)
	})
}
