//go:build !unix

package invoke

import (
	"bytes"
	"io"
	"os"
)

// capture runs fn with os.Stdout and os.Stderr pointing into a pipe and
// returns what was written there. Without dup2, output written through
// other handles to the same streams is not captured.
func capture(fn func()) string {
	r, w, err := os.Pipe()
	if err != nil {
		fn()
		return ""
	}
	defer r.Close()
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = w, w
	var buf bytes.Buffer
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&buf, r)
		close(copied)
	}()
	func() {
		defer func() {
			os.Stdout, os.Stderr = stdout, stderr
			w.Close()
		}()
		fn()
	}()
	<-copied
	return buf.String()
}
