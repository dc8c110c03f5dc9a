//go:build !lambdabinary

package step

import (
	"bytes"
	"encoding/json"
)

// The CLI side of revisions: Execute and the decorator ask whether the
// machine changed since it was compiled or read. The Lambda build runs
// neither.

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
	if sm.source != "" && sm.latestRevision() <= sm.sourceRev {
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(sm.source)); err == nil {
			return b.Bytes(), nil
		}
	}
	return sm.MarshalJSON()
}
