// Package cli holds what the framework's commands share at the terminal:
// the logger and its field keys, the banner, and phase timing.
package cli
