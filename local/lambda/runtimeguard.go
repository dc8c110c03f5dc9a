package lambda

import (
	"net"
	"net/http"
)

// The Runtime API is for the sandbox's own process only. It cannot carry a
// secret (AWS_LAMBDA_RUNTIME_API is a bare host:port and the runtime
// clients send no credentials), so each sandbox gets its own listener on
// an ephemeral 127.0.0.1 port, and:
//   - the listener accepts only connections from processes of this user
//     (ownerOnly: on Linux the peer socket's owner is read from
//     /proc/net/tcp), so another local user cannot feed a function events
//     or read its results;
//   - requests must name the listener's own address as Host and carry no
//     Origin or cross-site Sec-Fetch-Site, so a web page (which cannot
//     forge Host, and whose browser adds Origin) and a rebound DNS name
//     cannot reach it.
//
// The port lives as long as the sandbox, so guessing it is not enough:
// what a caller needs is to be this user on this machine, which already
// allows running code as this user.
func guardRuntimeAPI(h http.Handler, addr string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != addr || r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") == "cross-site" || r.Header.Get("Sec-Fetch-Site") == "same-site" {
			runtimeError(w, http.StatusForbidden, "AccessDenied", "the Runtime API serves only its sandbox's process")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// ownerOnly wraps ln so that it closes connections from other users'
// processes.
type ownerOnlyListener struct{ net.Listener }

func ownerOnly(ln net.Listener) net.Listener { return ownerOnlyListener{ln} }

func (l ownerOnlyListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if sameUserPeer(c) {
			return c, nil
		}
		_ = c.Close()
	}
}
