// Package peerbench measures github.com/coinbase/step, the Go ASL
// interpreter the issue tracker compares the engine with, on the same
// definition and input as step's public benchmarks, in the same run:
//
//	cd step/internal/peerbench && go test -run '^$' -bench . -benchmem
//
// It is a module of its own so that the main module never depends on
// coinbase/step; its replace directive builds step from this checkout.
package peerbench
