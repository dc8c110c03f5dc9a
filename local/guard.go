package local

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// guard keeps browsers and rebound names away from the cloud: a request
// whose Origin is not allowed, or whose Host is not a name that can only
// mean this machine, is refused before routing. A web page can make a
// browser send requests to 127.0.0.1 (a "simple" cross-origin POST needs
// no preflight) and DNS rebinding can point a page's own name at
// 127.0.0.1; the Origin check stops the first, the Host check the second.
type guard struct {
	// origins are the allowed Origin values (scheme://host[:port]),
	// "*" allowing any.
	origins map[string]bool
	// hosts are the extra allowed Host names (without port); a leading
	// "." allows a whole domain.
	hosts []string
	// boundIP is the listener's IP; unspecified when it listens on every
	// interface.
	boundIP net.IP
}

func newGuard(origins, hosts []string, bound net.Addr) *guard {
	g := &guard{origins: map[string]bool{}}
	for _, o := range origins {
		g.origins[strings.TrimSuffix(strings.ToLower(o), "/")] = true
	}
	for _, h := range hosts {
		g.hosts = append(g.hosts, strings.ToLower(h))
	}
	if tcp, ok := bound.(*net.TCPAddr); ok {
		g.boundIP = tcp.IP
	}
	return g
}

// errForbidden is the router's own refusal, worded as AWS's AccessDenied.
func errForbidden(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusForbidden, "AccessDenied", format, args...)
}

// check refuses a request from a foreign origin or for a foreign Host.
func (g *guard) check(r *http.Request) error {
	if g == nil {
		return nil
	}
	host, prefixed := g.thisMachine(r.Host)
	if !host {
		return errForbidden("the local cloud does not answer to the Host %q: use 127.0.0.1, localhost or a *.localhost name "+
			"(a name that can only mean this machine, so no web page can rebind it), or allow it with --allow-host", r.Host)
	}
	if prefixed && (r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "") {
		// SDK host prefixes are for SDKs and the AWS CLI, which send no
		// Origin: a browser sending one for a name such as sync-localhost
		// resolved it through a DNS server that could rebind it.
		return errForbidden("the local cloud answers to the Host %q (an SDK host prefix on a loopback name) only from SDKs and the AWS CLI, not from web pages", r.Host)
	}
	if origin := r.Header.Get("Origin"); origin != "" && !g.originAllowed(origin, r) {
		return errForbidden("the local cloud refuses requests from web pages of the origin %q: a page may not call it from a browser "+
			"unless its origin is allowed with --allow-origin", origin)
	}
	// Browsers omit Origin on some cross-site requests (GETs of images,
	// scripts, frames) but send Sec-Fetch-Site on all of them.
	if site := r.Header.Get("Sec-Fetch-Site"); (site == "cross-site" || site == "same-site") && r.Header.Get("Origin") == "" {
		return errForbidden("the local cloud refuses cross-site requests from web pages (Sec-Fetch-Site: %s)", site)
	}
	return nil
}

// originAllowed accepts the configured origins and the request's own origin
// (a page the cloud itself served calling back, e.g. an API Gateway page).
func (g *guard) originAllowed(origin string, r *http.Request) bool {
	o := strings.TrimSuffix(strings.ToLower(origin), "/")
	if g.origins[o] || g.origins["*"] {
		return true
	}
	return o == "http://"+strings.ToLower(r.Host) || o == "https://"+strings.ToLower(r.Host)
}

// sdkHostPrefixes are the prefixes AWS SDKs and the AWS CLI put in front
// of the endpoint's host for some operations (the "hostPrefix" of the
// operation in the service's model), even with an endpoint URL:
// StartSyncExecution goes to sync-HOST, CloudWatch Logs' StartLiveTail
// and GetLogObject to stream-HOST, Cloud Map's DiscoverInstances to
// data-HOST.
// See https://smithy.io/2.0/spec/endpoint-traits.html#endpoint-trait
var sdkHostPrefixes = []string{"sync-", "data-", "stream-"}

// thisMachine reports whether hostport names this machine (hostAllowed),
// possibly behind one of the SDK host prefixes (prefixed), as the AWS CLI
// sends it when it reaches the cloud through a name that resolves (a
// *.localhost name where the resolver pins those to loopback) or through
// HTTP_PROXY set to the cloud's own address (which answers for its own
// names and never forwards anything).
func (g *guard) thisMachine(hostport string) (ok, prefixed bool) {
	if g.hostAllowed(hostport) {
		return true, false
	}
	lower := strings.ToLower(hostport)
	for _, p := range sdkHostPrefixes {
		if rest, cut := strings.CutPrefix(lower, p); cut && g.hostAllowed(rest) {
			return true, true
		}
	}
	return false, false
}

// hostAllowed accepts a loopback address, the address the cloud is bound
// to, localhost and *.localhost (which browsers and resolvers pin to
// loopback, RFC 6761), and the configured names.
func (g *guard) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "" {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsLoopback() || ip.Equal(g.boundIP) {
			return true
		}
		if g.boundIP != nil && g.boundIP.IsUnspecified() {
			return localInterfaceIP(ip)
		}
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	for _, h := range g.hosts {
		if h == host || strings.HasPrefix(h, ".") && strings.HasSuffix(host, h) {
			return true
		}
	}
	return false
}

// localInterfaceIP reports whether ip is one of this machine's addresses
// (a cloud listening on every interface answers to them).
func localInterfaceIP(ip net.IP) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// preflight answers a CORS preflight (OPTIONS with
// Access-Control-Request-Method) for an allowed origin, unless the
// service serves the request itself (API Gateway's own CORS). The guard
// already refused other origins.
func (g *guard) preflight(w http.ResponseWriter, r *http.Request, svc core.Service) bool {
	if g == nil || r.Method != http.MethodOptions || r.Header.Get("Origin") == "" || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	if p, ok := svc.(core.Public); ok && p.Public(r) {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	h.Set("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, HEAD, PATCH")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	h.Add("Vary", "Origin")
	w.WriteHeader(http.StatusOK)
	return true
}

// cors marks the response readable by an allowed origin's page.
func (g *guard) cors(w http.ResponseWriter, r *http.Request) {
	if g == nil || r.Header.Get("Origin") == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	h.Set("Access-Control-Expose-Headers", "ETag, x-amz-request-id, x-amzn-requestid, x-amzn-errortype, x-amz-version-id")
	h.Add("Vary", "Origin")
}

// describeOrigins is the allowed origins for the start banner.
func describeOrigins(origins []string) string {
	if len(origins) == 0 {
		return "none"
	}
	return fmt.Sprint(origins)
}
