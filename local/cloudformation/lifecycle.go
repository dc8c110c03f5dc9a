package cloudformation

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/resource"
)

// Stack operations. Each runs in the background (see goOp) and moves the
// stack through the statuses AWS uses. When ctx ends (Close), an operation
// stops where it is and leaves the stack in progress in the store; the next
// New ends it (recoverLocked).

// runCreate creates the resources of a new stack and rolls back on failure.
func (s *Service) runCreate(ctx context.Context, st *stackDoc, tpl *template.Template, cs *changeSetDoc) {
	s.mu.Lock()
	o, err := s.newOpLocked(st, tpl, st.Parameters)
	s.mu.Unlock()
	ok := err == nil && o.applyResources(ctx)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	reason := ""
	if err != nil {
		reason = err.Error()
	} else if ok {
		outs, oerr := o.outputsLocked()
		if oerr == nil {
			st.Outputs, st.Imports = outs, o.importList()
			st.Updated = s.now()
			s.setStatusLocked(st, StatusCreateComplete, "")
			s.finishChangeSetLocked(cs, true)
			return
		}
		reason = oerr.Error()
	} else {
		reason = o.failureReason()
	}
	s.finishChangeSetLocked(cs, false)
	if !strings.HasSuffix(reason, " ") {
		reason += ". "
	}
	if st.DisableRollback || st.OnFailure == "DO_NOTHING" {
		s.setStatusLocked(st, StatusCreateFailed, reason)
		return
	}
	s.setStatusLocked(st, StatusRollbackInProgress, reason+"Rollback requested by user.")
	s.mu.Unlock()
	failed := s.deleteStates(ctx, st, s.liveStates(st, nil), true)
	s.mu.Lock()
	if ctx.Err() != nil {
		return
	}
	if len(failed) > 0 {
		s.setStatusLocked(st, StatusRollbackFailed, deleteFailureReason(failed))
		return
	}
	s.setStatusLocked(st, StatusRollbackComplete, "")
	if st.OnFailure == "DELETE" {
		s.setStatusLocked(st, StatusDeleteInProgress, reasonUserInitiated)
		s.deletedLocked(st)
	}
}

// runUpdate moves an existing stack to a new template and parameters.
func (s *Service) runUpdate(ctx context.Context, st *stackDoc, tpl *template.Template, cs *changeSetDoc) {
	s.mu.Lock()
	o, err := s.newOpLocked(st, tpl, st.Parameters)
	s.mu.Unlock()
	ok := err == nil && o.applyResources(ctx)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	var reason string
	var outs []template.ResolvedOutput
	switch {
	case err != nil:
		reason = err.Error()
	case !ok:
		reason = o.failureReason()
	default:
		var oerr error
		if outs, oerr = o.outputsLocked(); oerr != nil {
			reason = oerr.Error()
		}
	}
	if reason != "" {
		s.finishChangeSetLocked(cs, false)
		s.setStatusLocked(st, StatusUpdateRollbackInProgress, reason)
		s.mu.Unlock()
		s.rollbackUpdate(ctx, st)
		return
	}
	st.Outputs, st.Imports = outs, o.importList()
	st.Previous = nil
	s.setStatusLocked(st, StatusUpdateCleanupInProgress, "")
	// Removed resources and the old physical resources of replaced ones.
	var garbage []*state
	for _, id := range sortedIDs(st.Resources) {
		if !o.eval.Active(id) {
			garbage = append(garbage, st.Resources[id])
		}
	}
	garbage = append(garbage, st.Cleanup...)
	s.mu.Unlock()
	// A failed delete here does not fail the update, as on AWS: the
	// resource's DELETE_FAILED event says what was left behind.
	s.deleteStates(ctx, st, garbage, false)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range sortedIDs(st.Resources) {
		if !o.eval.Active(id) {
			delete(st.Resources, id)
		}
	}
	st.Cleanup = nil
	s.setStatusLocked(st, StatusUpdateComplete, "")
	s.finishChangeSetLocked(cs, true)
}

// rollbackUpdate brings the stack back to st.Previous: resources added by
// the update are deleted, replaced ones get their old physical resource
// back (the new one is deleted), and ones updated in place are updated
// back to their old properties. ContinueUpdateRollback runs it again after
// a failed rollback or a restart.
func (s *Service) rollbackUpdate(ctx context.Context, st *stackDoc) {
	s.mu.Lock()
	prev := st.Previous
	if prev == nil {
		s.setStatusLocked(st, StatusUpdateRollbackComplete, "")
		s.mu.Unlock()
		return
	}
	prevDeps := map[string][]string{}
	for id, r := range prev.Resources {
		prevDeps[id] = r.Deps
	}
	order, _ := template.Order(prevDeps)
	var garbage []*state
	for _, id := range sortedIDs(st.Resources) {
		if _, kept := prev.Resources[id]; !kept {
			garbage = append(garbage, st.Resources[id])
		}
	}
	var failed []string
	for _, id := range order {
		if ctx.Err() != nil {
			s.mu.Unlock()
			return
		}
		old := prev.Resources[id]
		cur := st.Resources[id]
		switch {
		case cur == nil || cur.PhysicalID != old.PhysicalID:
			// Replaced (or its replacement failed): the old physical
			// resource is current again; the new one goes.
			st.Cleanup = removeState(st.Cleanup, old.PhysicalID)
			if cur != nil && cur.PhysicalID != "" {
				st.Cleanup = append(st.Cleanup, cur)
			}
			r := old.clone()
			st.Resources[id] = r
			s.resourceEventLocked(st, r, StatusUpdateInProgress, "")
			s.resourceEventLocked(st, r, StatusUpdateComplete, "")
		case !resource.Equal(cur.Properties, old.Properties) || strings.HasSuffix(cur.Status, "_FAILED"):
			prov := s.provider(cur.Type)
			if prov == nil {
				cur.Properties = old.Properties
				continue
			}
			req := resource.Request{StackName: st.Name, StackID: st.ID, LogicalID: id, Type: cur.Type,
				Properties: old.Properties, OldProperties: cur.Properties, PhysicalID: cur.PhysicalID,
				Region: s.cfg.Region, AccountID: s.cfg.AccountID}
			s.resourceEventLocked(st, cur, StatusUpdateInProgress, "")
			_ = s.saveLocked(st)
			s.mu.Unlock()
			_, err := prov.Update(ctx, req)
			s.mu.Lock()
			if err != nil {
				s.resourceEventLocked(st, cur, StatusUpdateFailed, err.Error())
				failed = append(failed, id)
				continue
			}
			// The old attributes come back; an in-place update changes
			// no IDs.
			cur.Properties, cur.Metadata, cur.Ref, cur.Attributes = old.Properties, old.Metadata, old.Ref, old.Attributes
			s.resourceEventLocked(st, cur, StatusUpdateComplete, "")
		default:
			cur.Deps = old.Deps
		}
		_ = s.saveLocked(st)
	}
	if len(failed) > 0 {
		s.setStatusLocked(st, StatusUpdateRollbackFailed, fmt.Sprintf("The following resource(s) failed to update: [%s]. ", strings.Join(failed, ", ")))
		s.mu.Unlock()
		return
	}
	// Everything is back: the stack is the previous one again, with the
	// update's leftovers to delete.
	for _, g := range garbage {
		if st.Resources[g.LogicalID] == g {
			delete(st.Resources, g.LogicalID)
		}
	}
	st.Cleanup = append(st.Cleanup, garbage...)
	st.TemplateBody, st.tpl, st.Parameters, st.Description = prev.TemplateBody, nil, prev.Parameters, prev.Description
	st.Capabilities, st.Tags, st.Outputs, st.Imports = prev.Capabilities, prev.Tags, prev.Outputs, prev.Imports
	st.Previous = nil
	s.setStatusLocked(st, StatusUpdateRollbackCleanupInProgress, "")
	cleanup := append([]*state(nil), st.Cleanup...)
	s.mu.Unlock()
	s.deleteStates(ctx, st, cleanup, false)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Cleanup = nil
	s.setStatusLocked(st, StatusUpdateRollbackComplete, "")
}

func removeState(list []*state, physicalID string) []*state {
	out := list[:0]
	for _, r := range list {
		if r.PhysicalID != physicalID {
			out = append(out, r)
		}
	}
	return out
}

// runDelete deletes a stack's resources in reverse dependency order.
func (s *Service) runDelete(ctx context.Context, st *stackDoc, retain map[string]bool) {
	s.mu.Lock()
	var users []string
	for _, o := range st.Outputs {
		if o.ExportName == "" {
			continue
		}
		if u := s.importersLocked(o.ExportName, st.ID); len(u) > 0 {
			users = append(users, fmt.Sprintf("Export %s cannot be deleted as it is in use by %s", o.ExportName, strings.Join(u, " and ")))
		}
	}
	if len(users) > 0 {
		s.setStatusLocked(st, StatusDeleteFailed, strings.Join(users, "; "))
		s.mu.Unlock()
		return
	}
	items := append(s.liveStates(st, retain), st.Cleanup...)
	for _, id := range sortedIDs(retain) {
		if r := st.Resources[id]; r != nil && r.Status != StatusDeleteComplete {
			s.resourceEventLocked(st, r, StatusDeleteSkipped, "")
		}
	}
	s.mu.Unlock()
	failed := s.deleteStates(ctx, st, items, false)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(failed) > 0 {
		st.Cleanup = removeDeleted(st.Cleanup)
		s.setStatusLocked(st, StatusDeleteFailed, deleteFailureReason(failed))
		return
	}
	s.deletedLocked(st)
}

// deletedLocked ends a stack: DELETE_COMPLETE, its name free again, its
// change sets gone. The document stays, so that DescribeStacks by stack ID
// and ListStacks still show it, as on AWS.
func (s *Service) deletedLocked(st *stackDoc) {
	st.Deleted = s.now()
	st.Cleanup = nil
	st.Outputs, st.Imports = nil, nil
	delete(s.byName, st.Name)
	for id, cs := range s.changeSets {
		if cs.StackID == st.ID {
			delete(s.changeSets, id)
			_ = s.changeSetsC.Delete(id)
		}
	}
	s.setStatusLocked(st, StatusDeleteComplete, "")
}

func removeDeleted(list []*state) []*state {
	out := list[:0]
	for _, r := range list {
		if r.Status != StatusDeleteComplete {
			out = append(out, r)
		}
	}
	return out
}

func deleteFailureReason(failed []string) string {
	sort.Strings(failed)
	return fmt.Sprintf("The following resource(s) failed to delete: [%s]. ", strings.Join(failed, ", "))
}

// liveStates returns the stack's resources that still exist, minus the
// retained ones; callers hold the lock.
func (s *Service) liveStates(st *stackDoc, retain map[string]bool) []*state {
	var out []*state
	for _, id := range sortedIDs(st.Resources) {
		r := st.Resources[id]
		if r.Status == StatusDeleteComplete || r.Status == StatusDeleteSkipped || retain[id] {
			continue
		}
		out = append(out, r)
	}
	return out
}

// deleteStates deletes resources, each after the resources that depended
// on it, and returns the logical IDs that failed to delete. inRollback
// marks a create rollback, where RetainExceptOnCreate deletes.
func (s *Service) deleteStates(ctx context.Context, st *stackDoc, items []*state, inRollback bool) []string {
	keys := make([]string, len(items))
	byKey := make(map[string]*state, len(items))
	byLogical := map[string][]string{}
	for i, r := range items {
		keys[i] = fmt.Sprintf("%s#%d", r.LogicalID, i)
		byKey[keys[i]] = r
		byLogical[r.LogicalID] = append(byLogical[r.LogicalID], keys[i])
	}
	deps := map[string][]string{}
	for _, k := range keys {
		for _, d := range byKey[k].Deps {
			deps[k] = append(deps[k], byLogical[d]...)
		}
	}
	var failed []string
	var mu = &s.mu
	schedule(ctx, keys, reverseDeps(deps), s.cfg.Concurrency, false, func(k string) bool {
		r := byKey[k]
		mu.Lock()
		defer mu.Unlock()
		policy := r.DeletionPolicy
		if r.UpdateReplacePolicy != "" && st.Resources[r.LogicalID] != r {
			// An old physical resource replaced by an update.
			policy = r.UpdateReplacePolicy
		}
		if policy == "Retain" || policy == "RetainExceptOnCreate" && !inRollback {
			s.resourceEventLocked(st, r, StatusDeleteSkipped, "")
			_ = s.saveLocked(st)
			return true
		}
		if r.PhysicalID == "" {
			s.resourceEventLocked(st, r, StatusDeleteComplete, "")
			_ = s.saveLocked(st)
			return true
		}
		prov := s.provider(r.Type)
		s.resourceEventLocked(st, r, StatusDeleteInProgress, "")
		if prov == nil {
			s.resourceEventLocked(st, r, StatusDeleteFailed, unsupported(r.Type))
			failed = append(failed, r.LogicalID)
			_ = s.saveLocked(st)
			return false
		}
		_ = s.saveLocked(st)
		req := resource.Request{StackName: st.Name, StackID: st.ID, LogicalID: r.LogicalID, Type: r.Type,
			Properties: r.Properties, PhysicalID: r.PhysicalID, Region: s.cfg.Region, AccountID: s.cfg.AccountID}
		mu.Unlock()
		err := prov.Delete(ctx, req)
		mu.Lock()
		if err != nil {
			s.resourceEventLocked(st, r, StatusDeleteFailed, err.Error())
			failed = append(failed, r.LogicalID)
			_ = s.saveLocked(st)
			return false
		}
		s.resourceEventLocked(st, r, StatusDeleteComplete, "")
		_ = s.saveLocked(st)
		return true
	})
	return failed
}
