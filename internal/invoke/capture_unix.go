//go:build unix

package invoke

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// capture runs fn with file descriptors 1 and 2 pointing into a pipe and
// returns what was written there: fmt.Print, the log package, a logger
// created at init and a child process's output all land on those
// descriptors, not only on the os.Stdout and os.Stderr variables.
func capture(fn func()) string {
	r, w, err := os.Pipe()
	if err != nil {
		fn()
		return ""
	}
	defer r.Close()
	saved := [2]int{-1, -1}
	for i, fd := range []int{1, 2} {
		if saved[i], err = unix.Dup(fd); err == nil {
			err = unix.Dup2(int(w.Fd()), fd)
		}
		if err != nil {
			restoreFDs(saved)
			w.Close()
			fn()
			return ""
		}
	}
	var buf bytes.Buffer
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&buf, r)
		close(copied)
	}()
	func() {
		defer func() {
			restoreFDs(saved)
			w.Close()
		}()
		fn()
	}()
	<-copied
	return buf.String()
}

func restoreFDs(saved [2]int) {
	for i, fd := range []int{1, 2} {
		if saved[i] >= 0 {
			_ = unix.Dup2(saved[i], fd)
			_ = unix.Close(saved[i])
		}
	}
}
