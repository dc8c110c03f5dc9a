//go:build !unix

package store

import "os"

// lockDir only opens the lock file where flock is not available: sharing a
// state directory between processes is then the user's responsibility.
func lockDir(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}

func unlockDir(f *os.File) error { return f.Close() }
