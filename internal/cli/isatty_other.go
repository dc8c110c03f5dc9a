//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package cli

// isTerminal reports false where it cannot tell: the plain log lines are
// always correct, the compact view only nicer.
func isTerminal(uintptr) bool { return false }
