//go:build !unix

package local

// processAlive cannot tell without a portable check, so another process's
// cloud is never shared: the state directory's lock then reports it.
func processAlive(int) bool { return false }
