package cloudformation

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/store"
)

// load reads stacks and change sets from the store and ends the operations
// a stopped process left in progress.
func (s *Service) load() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := store.ScanAs(s.stacksC, "reading stack", func(key string, st stackDoc) error {
		if st.Resources == nil {
			st.Resources = map[string]*state{}
		}
		s.stacks[st.ID] = &st
		if st.Status != StatusDeleteComplete {
			s.byName[st.Name] = st.ID
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading CloudFormation stacks: %w", err)
	}
	err = store.ScanAs(s.changeSetsC, "reading change set", func(key string, cs changeSetDoc) error {
		s.changeSets[cs.ID] = &cs
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading CloudFormation change sets: %w", err)
	}
	for _, id := range sortedIDs(s.stacks) {
		s.recoverLocked(s.stacks[id])
	}
	for _, cs := range s.changeSets {
		if cs.ExecutionStatus == execInProgress {
			cs.ExecutionStatus = execFailedState
			cs.StatusReason = reasonStopped
			_ = s.changeSetsC.Put(cs.ID, cs)
		}
	}
	return nil
}

// recoverLocked ends an operation that was in progress when the previous
// process stopped, in the state AWS would leave after a failure at that
// point: nothing is retried behind the user's back.
func (s *Service) recoverLocked(st *stackDoc) {
	if !inProgress(st.Status) {
		return
	}
	reason := reasonStopped
	var next string
	switch st.Status {
	case StatusCreateInProgress:
		next, reason = StatusCreateFailed, reasonStopped+"; delete the stack and create it again"
	case StatusRollbackInProgress:
		next, reason = StatusRollbackFailed, reasonStopped+"; delete the stack"
	case StatusDeleteInProgress:
		next, reason = StatusDeleteFailed, reasonStopped+"; delete the stack again"
	case StatusUpdateCleanupInProgress:
		// The update had succeeded; only old resources were left to delete.
		// They stay in Cleanup and go with the next update or the stack.
		next, reason = StatusUpdateComplete, reasonStopped+" while cleaning up; replaced resources are deleted with the next update or the stack"
	case StatusUpdateRollbackCleanupInProgress:
		next, reason = StatusUpdateRollbackComplete, reasonStopped+" while cleaning up after a rollback; leftover resources are deleted with the next update or the stack"
	default: // UPDATE_IN_PROGRESS, UPDATE_ROLLBACK_IN_PROGRESS
		next, reason = StatusUpdateRollbackFailed, reasonStopped+"; continue the rollback (ContinueUpdateRollback) or delete the stack"
	}
	for _, id := range sortedIDs(st.Resources) {
		r := st.Resources[id]
		if strings.HasSuffix(r.Status, "_IN_PROGRESS") {
			s.resourceEventLocked(st, r, strings.TrimSuffix(r.Status, "_IN_PROGRESS")+"_FAILED", reasonStopped)
		}
	}
	if next == StatusUpdateComplete || next == StatusUpdateRollbackComplete {
		st.Previous = nil
	}
	s.setStatusLocked(st, next, reason)
	if cs := s.changeSets[st.ChangeSetID]; cs != nil && cs.ExecutionStatus == execInProgress {
		cs.ExecutionStatus = execFailedState
		_ = s.changeSetsC.Put(cs.ID, cs)
	}
}

// loadEventsLocked reads a stack's events from the store the first time
// they are needed: events only grow, so they are not loaded at start.
func (s *Service) loadEventsLocked(st *stackDoc) {
	if st.loaded {
		return
	}
	st.loaded = true
	var events []Event
	err := s.eventsC.ReadLog(st.ID, func(raw json.RawMessage) error {
		var e Event
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		events = append(events, e)
		return nil
	})
	if err != nil {
		s.log.WithError(err).WithField("stack", st.Name).Warn("reading stack events")
	}
	st.events = append(events, st.events...)
}

// parsedTemplate returns the stack's parsed template.
func (st *stackDoc) parsedTemplate() (*template.Template, error) {
	if st.tpl == nil {
		t, err := template.Parse([]byte(st.TemplateBody))
		if err != nil {
			return nil, err
		}
		st.tpl = t
	}
	return st.tpl, nil
}

func marshalProps(p map[string]any) string {
	b, err := json.Marshal(p)
	if err != nil {
		return ""
	}
	return string(b)
}
