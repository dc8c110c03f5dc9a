package step

import (
	"bytes"
	"encoding/json"
	"sync/atomic"
)

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

// latestRevision is the newest revision among the machine and every state,
// branch and Choice rule it contains.
func (sm *StateMachine) latestRevision() uint64 {
	latest := sm.rev
	newer := func(r uint64) {
		if r > latest {
			latest = r
		}
	}
	sm.Walk(func(s, _ State) bool {
		newer(s.common().rev)
		switch st := s.(type) {
		case *ChoiceState:
			for _, r := range st.choices {
				newer(r.rev)
			}
		case *ParallelState, *MapState:
			for _, b := range subScopes(s) {
				newer(b.rev)
			}
		}
		return true
	})
	return latest
}

// definition is the ASL the machine deploys and runs: the JSON FromJSON
// read (compacted), as written, while no builder method has changed the
// machine since; otherwise what MarshalJSON writes from the typed model.
func (sm *StateMachine) definition() ([]byte, error) {
	if sm.source != nil && sm.latestRevision() <= sm.sourceRev {
		var b bytes.Buffer
		if err := json.Compact(&b, sm.source); err == nil {
			return b.Bytes(), nil
		}
	}
	return sm.MarshalJSON()
}
