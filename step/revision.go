package step

import "sync/atomic"

// revisions numbers every change made to a machine's definition by a
// builder method, across all machines: Execute compiles a machine once and
// compiles it again only when one of its parts carries a revision newer
// than the compilation. Changes to values handed to a builder (a
// Parameters map, a Comparison's fields) made in place afterwards carry no
// revision; (*StateMachine).Compile picks them up.
var revisions atomic.Uint64

// revision is the last change of one part of a definition: a machine, a
// state, a branch or a Choice rule.
type revision struct {
	rev uint64
}

// touch records a change of the part.
func (r *revision) touch() { r.rev = revisions.Add(1) }
