// Package build turns the user's main package into deployable code: it finds
// the package of the running program, cross-compiles it for Linux with the
// Lambda build tag, and packages the binary as a deterministic zip whose name
// carries its SHA-256, so unchanged code keeps its artifact key.
package build
