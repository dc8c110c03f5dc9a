//go:build unix

package local

import "syscall"

// processAlive reports whether pid names a running process (signal 0
// checks without sending anything).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
